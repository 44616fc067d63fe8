package io.vaultcube.pipeline.parse.kernel;

import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class KernelLogParserTest {
    private final KernelLogParser parser = new KernelLogParser();

    @TempDir
    Path tmp;

    @Test
    void countsAndClassifiesXidsOfEveryShape() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("kernel-log/reference-xid-shapes.log"));
        assertThat(value(m, "xid.count")).isEqualTo(9L);
        // 14 is an injected test error; every other code here is fatal.
        assertThat(value(m, "xid.fatal.count")).isEqualTo(8L);
        assertThat(value(m, "xid.codes")).isEqualTo("14,63,79,95,119,149,154");
        assertThat(value(m, "xid.code[154].count")).isEqualTo(2L);
        assertThat(value(m, "gpu.fell_off_bus.count")).isEqualTo(2L);
    }

    @Test
    void readsDmesgWithWallClockTimes() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("kernel-log/reference-dmesg-T-xid-119.log"));
        assertThat(value(m, "xid.count")).isEqualTo(1L);
        assertThat(value(m, "xid.codes")).isEqualTo("119");
        assertThat(value(m, "xid.fatal.count")).isEqualTo(1L);
    }

    @Test
    void fallenOffTheBusWithoutXidText() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("kernel-log/reference-fallen-off-bus-without-xid.log"));
        assertThat(value(m, "xid.count")).isEqualTo(0L);
        assertThat(value(m, "gpu.fell_off_bus.count")).as("each line that says so").isEqualTo(2L);
    }

    @Test
    void applicationXidsAreNotFatalButUnknownCodesAre() throws Exception {
        MetricSet m = parser.parse(write(tmp, "k.log", "[1.0] NVRM: Xid (PCI:0000:01:00): 13, Graphics Exception\n"
                + "[2.0] NVRM: Xid (PCI:0000:01:00): 31, pid=1, MMU Fault\n"
                + "[3.0] NVRM: Xid (PCI:0000:01:00): 999, something new\n"
                + "[4.0] NVRM: RmInitAdapter failed! (0x22:0x56:884)\n"));
        assertThat(value(m, "xid.count")).isEqualTo(3L);
        assertThat(value(m, "xid.fatal.count")).isEqualTo(1L);
        assertThat(value(m, "nvrm.init_failed.count")).isEqualTo(1L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel-log/this-machine-dmesg-no-nvidia.log",
            "kernel-log/this-machine-journalctl-no-entries.log"})
    void aCleanLogHasZeroXidsAndEmptyCodes(String fixture) throws Exception {
        MetricSet m = parser.parse(Fixtures.input(fixture));
        assertThat(value(m, "xid.count")).isEqualTo(0L);
        assertThat(value(m, "xid.codes")).isEqualTo("");
        assertThat(value(m, "gpu.fell_off_bus.count")).isEqualTo(0L);
    }

    @Test
    void textThatIsNoKernelLogIsRefusedNotReadAsNoXid() throws Exception {
        // a README, an HTML error page, base64 noise: none may pass the Xid gates as "0"
        for (String text : new String[] {"# Vault\n\nThe golden image pipeline.\n",
                "<html><body>502 Bad Gateway</body></html>\n", "aGVsbG8gd29ybGQK\nc29tZSBub2lzZQ==\n"}) {
            assertThatThrownBy(() -> parser.parse(write(tmp, "x.log", text))).isInstanceOf(ParseException.class)
                    .hasMessageStartingWith("x.log:1: not a kernel log").hasMessageContaining("the first line is: ");
        }
        // every shape a kernel log comes in is accepted, each on its own (real or documented formats)
        for (String line : new String[] {"[    0.000000] Linux version 6.8.0-49-generic",
                "[Sun Feb 23 16:24:18 2025] NVRM: loading NVIDIA UNIX Open Kernel Module",
                "kern  :info  : [    0.000000] Linux version 6.8.0",
                "Nov 29 02:44:25 vault-cube kernel: Linux version 6.8.0-49-generic",
                "Nov  9 02:44:25.123456 vault-cube kernel: pci 0000:01:00.0: [10de:2b85] type 00 class 0x030000",
                "2026-11-29T02:44:25+0000 vault-cube kernel: nvidia: module license 'NVIDIA' taints kernel.",
                "-- No entries --", "NVRM: GPU 0000:18:00.0: GPU has fallen off the bus."}) {
            assertThat(value(parser.parse(write(tmp, "k.log", "\n" + line + "\nanything after it\n")), "xid.count"))
                    .as(line).isNotNull();
        }
    }

    @Test
    void refusesGarbledXidLinesEmptyAndBinaryInput() throws Exception {
        assertThatThrownBy(() -> parser.parse(write(tmp, "a.log", "ok\nNVRM: Xid (PCI:0000:01:00): x13, what\n")))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("a.log:2: an Xid line whose code is not a number");
        assertThatThrownBy(() -> parser.parse(write(tmp, "b.log", "NVRM: Xid (PCI:0000:01:00\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("without its code");
        assertThatThrownBy(() -> parser.parse(write(tmp, "e.log", ""))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> parser.parse(write(tmp, "z.log", read("kernel-log/reference-xid-shapes.log") + "\0")))
                .isInstanceOf(ParseException.class).hasMessageContaining("binary");
        MetricSet crlf = parser.parse(write(tmp, "c.log", read("kernel-log/reference-xid-shapes.log").replace("\n", "\r\n")));
        assertThat(value(crlf, "xid.count")).isEqualTo(9L);
    }
}
