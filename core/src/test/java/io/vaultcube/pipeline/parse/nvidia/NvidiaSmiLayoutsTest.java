package io.vaultcube.pipeline.parse.nvidia;

import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layouts of nvidia-smi that real machines print: field aliases, MIG, 600-series drivers, cut output. */
class NvidiaSmiLayoutsTest {
    @TempDir
    Path tmp;

    /** Every alias pair of a real --help-query-gpu text reads as one field, and the table has no other. */
    @Test
    void theAliasTableIsNvidiaSmisHelpText() throws Exception {
        String help = Files.readString(Fixtures.path("nvidia-smi-help/reference-help-query-gpu.txt"));
        List<String[]> pairs = new ArrayList<>();
        Matcher or = Pattern.compile("(?m)^\"([^\"]+)\" or \"([^\"]+)\"$").matcher(help);
        while (or.find()) {
            pairs.add(new String[] {or.group(1), or.group(2)});
        }
        Matcher deprecated = Pattern.compile("(?m)^\"([^\"]+)\"\\n[^\\n]*Deprecated, use ([a-z0-9_.]+) instead").matcher(help);
        while (deprecated.find()) {
            pairs.add(new String[] {deprecated.group(1), deprecated.group(2)});
        }
        assertThat(pairs).hasSizeGreaterThan(30);
        for (String[] p : pairs) {
            assertThat(QueryFields.canonical(p[0])).as("%s and %s", p[0], p[1]).isEqualTo(QueryFields.canonical(p[1]));
        }
        // Names without an alias in the help stay themselves.
        Matcher single = Pattern.compile("(?m)^\"([a-z0-9_.]+)\"$").matcher(help);
        int singles = 0;
        while (single.find()) {
            String name = single.group(1);
            boolean aliased = pairs.stream().anyMatch(p -> p[0].equals(name) || p[1].equals(name));
            if (!aliased) {
                assertThat(QueryFields.canonical(name)).as(name).isEqualTo(name);
                singles++;
            }
        }
        assertThat(singles).isGreaterThan(100);
    }

    @Test
    void aCsvNamingAFieldAndItsAliasIsReadAsOneField() throws Exception {
        NvidiaSmiQueryParser p = new NvidiaSmiQueryParser();
        MetricSet m = p.parse(Fixtures.input("nvidia-smi/synthetic-alias-columns.csv"));
        assertThat(value(m, "gpu[0].pcie_gen_current")).isEqualTo(1L);
        assertThat(value(m, "gpu[1].pcie_gen_current")).isEqualTo(5L);
        assertThat(value(m, "gpu[0].throttled")).isEqualTo(false);
        assertThat(value(m, "gpu.throttled.count")).isEqualTo(0L);
        String csv = read("nvidia-smi/synthetic-alias-columns.csv");
        assertThatThrownBy(() -> p.parse(write(tmp, "disagree.csv", csv.replace(", 1, 1, 5,", ", 1, 4, 5,"))))
                .isInstanceOf(ParseException.class)
                .hasMessage("disagree.csv:2: columns 4 (pcie.link.gen.current) and 5 (pcie.link.gen.gpucurrent) name one"
                        + " property but read '1' and '4'");
        String twice = csv.replace("memory.total [MiB]\n", "memory.total [MiB], index\n").replace(" MiB\n", " MiB, 0\n");
        assertThatThrownBy(() -> p.parse(write(tmp, "twice.csv", twice)))
                .isInstanceOf(ParseException.class).hasMessage("twice.csv:1: field index is named twice, in columns 1 and 12");
    }

    @Test
    void migDevicesAreReadAsMigDevicesNotAsTheGpu() throws Exception {
        NvidiaSmiQParser p = new NvidiaSmiQParser();
        MetricSet m = p.parse(Fixtures.input("nvidia-smi-q/assembled-mig-610-cmp170hx.log"));
        assertThat(value(m, "gpu[0].memory_total_mib")).as("the GPU's FB total").isEqualTo(65536L);
        assertThat(value(m, "gpu[0].mig_mode")).isEqualTo("Enabled");
        assertThat(value(m, "gpu[0].mig_devices")).isEqualTo(1L);
        assertThat(value(m, "gpu[0].mig[0].memory_total_mib")).isEqualTo(64912L);
        assertThat(value(m, "gpu[0].mig[0].bar1_total_mib")).isEqualTo(65536L);
        assertThat(value(m, "gpu[0].mig[0].index")).isEqualTo(0L);
        assertThat(value(m, "gpu[0].bar1_total_mib")).isEqualTo(65536L);
        // Older drivers print "FB Memory Usage" (not "Shared ...") inside each MIG device, indented under "MIG Devices".
        String q = read("nvidia-smi-q/assembled-mig-610-cmp170hx.log");
        String old = q.replace("    MIG Device\n", "    MIG Devices\n        MIG Device\n")
                .replace("Shared FB Memory Usage", "FB Memory Usage");
        String reindented = reindentMig(old);
        MetricSet two = p.parse(write(tmp, "old.log", reindented.replace("GPU Instance ID", "GPU Instance ID")));
        assertThat(value(two, "gpu[0].memory_total_mib")).isEqualTo(65536L);
        assertThat(value(two, "gpu[0].mig[0].memory_total_mib")).isEqualTo(64912L);
    }

    /** Indents the MIG device's lines by four more spaces, as under a "MIG Devices" heading. */
    private static String reindentMig(String q) {
        StringBuilder out = new StringBuilder();
        boolean inMig = false;
        for (String l : q.split("\n", -1)) {
            if (l.equals("        MIG Device")) {
                inMig = true;
                out.append(l).append('\n');
                continue;
            }
            if (inMig && l.startsWith("        ")) {
                out.append("    ").append(l).append('\n');
                continue;
            }
            inMig = false;
            out.append(l).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    @Test
    void driver600SeriesVersionsAreReadWithoutTheDeprecationNote() throws Exception {
        NvidiaSmiQParser p = new NvidiaSmiQParser();
        MetricSet m = p.parse(Fixtures.input("nvidia-smi-q/assembled-610-header-5090-body.log"));
        assertThat(value(m, "nvsmi.driver_version")).isEqualTo("610.57.04");
        assertThat(line(m, "nvsmi.driver_version")).as("from KMD Version").isEqualTo(6L);
        assertThat(value(m, "nvsmi.cuda_version")).isEqualTo("13.3");
        assertThat(value(m, "gpu[0].power_limit_w")).isEqualTo(575L);
        String q = read("nvidia-smi-q/assembled-610-header-5090-body.log");
        // Only the legacy keys, with the note: the note is dropped.
        MetricSet legacy = p.parse(write(tmp, "l.log", q.replaceAll("(?m)^(KMD|CUDA UMD) Version.*\\n", "")));
        assertThat(value(legacy, "nvsmi.driver_version")).isEqualTo("610.57.04");
        assertThat(value(legacy, "nvsmi.cuda_version")).isEqualTo("13.3");
        assertThatThrownBy(() -> p.parse(write(tmp, "d.log", q.replace("KMD Version                                            : 610.57.04",
                "KMD Version                                            : 610.57.05"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("the driver version is 610.57.05 here but 610.57.04 at line 4");
        // A power section whose limits sit under their own heading.
        String moved = q.replace("        Current Power Limit               : 575.00 W\n", "")
                .replace("    Max Clocks\n", "    Power Limits\n        Current                           : 575.00 W\n"
                        + "        Default                           : 575.00 W\n    Max Clocks\n");
        MetricSet mm = p.parse(write(tmp, "moved.log", moved));
        assertThat(value(mm, "gpu[0].power_limit_w")).isEqualTo(575L);
        // A module's limits are not the GPU's.
        MetricSet module = p.parse(write(tmp, "module.log", q.replace("    Max Clocks\n",
                "    Module Power Readings\n        Current Power Limit               : 1200.00 W\n    Max Clocks\n")));
        assertThat(value(module, "gpu[0].power_limit_w")).isEqualTo(575L);
    }

    @Test
    void cutShortOrImpossibleSmiQIsRefused() throws Exception {
        NvidiaSmiQParser p = new NvidiaSmiQParser();
        String q = read("nvidia-smi-q/assembled-5090-excerpts.log");
        String cut = q.substring(0, q.indexOf("Current Power Limit") + 30);
        assertThatThrownBy(() -> p.parse(write(tmp, "cut.log", cut)))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("cut.log:71: cut short: the last line has no newline");
        assertThatThrownBy(() -> p.parse(write(tmp, "cold.log", q.replace("GPU Current Temp                  : 25 C",
                "GPU Current Temp                  : -40 C"))))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("cold.log:60: impossible temperature for GPU Current Temp: -40 C");
        assertThatThrownBy(() -> p.parse(write(tmp, "pl.log", q.replace("Min Power Limit                   : 400.00 W",
                "Min Power Limit                   : -400.00 W"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("impossible power for Min Power Limit");
        assertThatThrownBy(() -> p.parse(write(tmp, "fb.log", q.replace("Total                             : 32607 MiB",
                "Total                             : -32607 MiB"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("impossible memory for Total");
        // Two GPUs, the second cut at a line end after its PCI section.
        String second = q.substring(q.indexOf("GPU 00000000")).replace("00000000:02:00.0", "00000000:21:00.0");
        String two = q.replace("Attached GPUs                             : 1", "Attached GPUs                             : 2")
                + second.substring(0, second.indexOf("    Fan Speed"));
        assertThatThrownBy(() -> p.parse(write(tmp, "two.log", two)))
                .isInstanceOf(ParseException.class).hasMessageContaining("cut short: the last GPU block (00000000:21:00.0) lacks [");
    }

    @Test
    void cutShortOrImpossibleCsvIsRefused() throws Exception {
        NvidiaSmiQueryParser p = new NvidiaSmiQueryParser();
        String csv = read("nvidia-smi/synthetic-4x5090-inventory.csv");
        assertThatThrownBy(() -> p.parse(write(tmp, "cut.csv", csv.substring(0, csv.length() - 1))))
                .isInstanceOf(ParseException.class).hasMessageContaining("cut short: the last line has no newline");
        String firstRow = csv.split("\n")[1];
        String cold = csv.replace(firstRow, firstRow.replaceFirst(", 2[0-9], ", ", -40, "));
        assertThat(cold).isNotEqualTo(csv);
        assertThatThrownBy(() -> p.parse(write(tmp, "cold.csv", cold)))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("cold.csv:2: impossible temperature for temperature.gpu: -40 C");
    }

    @Test
    void aLastLineWithoutNewlineIsReported() throws Exception {
        try (LineReader r = new LineReader(new ByteArrayInputStream("a\nb".getBytes(StandardCharsets.UTF_8)), "x")) {
            while (r.next()) {
                assertThat(r.unterminated()).isEqualTo(r.text().equals("b"));
            }
            assertThatThrownBy(() -> r.requireNewlineAtEnd("tool")).isInstanceOf(ParseException.class).hasMessageStartingWith("x:2: cut short");
        }
        try (LineReader r = new LineReader(new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.UTF_8)), "x")) {
            while (r.next()) {
                assertThat(r.unterminated()).isFalse();
            }
            r.requireNewlineAtEnd("tool");
        }
    }
}
