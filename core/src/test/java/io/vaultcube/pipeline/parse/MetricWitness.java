package io.vaultcube.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.parse.packer.PackerRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "A parser never yields a metric it did not see", as checks that can fail:
 * <ul>
 *   <li>a metric that cites a line cites a line of the input, and its value is on that line: a
 *       text value as text (after the format's own unescaping), a number as one of the numbers
 *       written there. Values a parser derives on a line (a duration from "1 second 5
 *       milliseconds", a sum cited at a recap's header) are listed per kind and checked by the
 *       invariants instead;</li>
 *   <li>per kind, invariants between aggregates and the entities they sum or count
 *       ({@code gpu.count} = GPUs reported, {@code ansible.ok} = the sum of the hosts of run 1,
 *       ...), and entity keys (hosts, builds, GPUs) that appear in the input.</li>
 * </ul>
 */
public final class MetricWitness {
    private static final Pattern NUMBER = Pattern.compile("-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
    private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per kind: metric patterns whose numbers are derived on their line (checked by invariants). */
    private static final Map<String, List<String>> DERIVED = new HashMap<>();
    /** Per kind: invariants over the whole metric set. */
    private static final Map<String, BiConsumer<Input, MetricSet>> INVARIANTS = new HashMap<>();

    static {
        DERIVED.put("packer", List.of("packer.build[*].duration_s"));
        INVARIANTS.put("packer", MetricWitness::packer);
        DERIVED.put("packer-manifest", List.of("packer.manifest.build[*].files"));
        INVARIANTS.put("packer-manifest", MetricWitness::packerManifest);
        INVARIANTS.put("packer-checksum", MetricWitness::packerChecksum);
        DERIVED.put("ansible", List.of("ansible.duration_s", "ansible.run[*].duration_s", "ansible.run[*].hosts",
                "ansible.run[*].ok", "ansible.run[*].changed", "ansible.run[*].unreachable", "ansible.run[*].failed",
                "ansible.run[*].skipped", "ansible.run[*].rescued", "ansible.run[*].ignored"));
        INVARIANTS.put("ansible", MetricWitness::ansible);
        // json: a host's counters cite the host's object, each counter on its own line.
        DERIVED.put("ansible-json", List.of("ansible.**"));
        INVARIANTS.put("ansible-json", MetricWitness::ansible);
        INVARIANTS.put("nvidia-smi", MetricWitness::nvidiaSmi);
        // Per-GPU summaries are derived over many lines and cite the file; the maxima cite their line.
        INVARIANTS.put("telemetry", MetricWitness::telemetry);
        INVARIANTS.put("kernel-log", (in, m) -> {
            assertThat(num(m, "xid.count")).isEqualTo(sum(m, "xid.code[*].count"));
            assertThat(num(m, "xid.fatal.count")).isLessThanOrEqualTo(num(m, "xid.count"));
            String codes = (String) m.get("xid.codes").orElseThrow().value().raw();
            assertThat(codes.isEmpty() ? Set.of() : Set.of(codes.split(","))).isEqualTo(keys(m, "xid.code[*].count"));
            for (String c : keys(m, "xid.code[*].count")) {
                assertThat(in.text()).contains("): " + c);
            }
            assertThat(num(m, "xid.count") + num(m, "gpu.fell_off_bus.count")).isLessThanOrEqualTo(2.0 * in.lines().size());
        });
        DERIVED.put("gpu-burn", List.of("gpu_burn.gpu[*].errors"));
        INVARIANTS.put("gpu-burn", (in, m) -> {
            assertThat(num(m, "gpu_burn.gpus")).isEqualTo(keys(m, "gpu_burn.gpu[*].ok").size());
            assertThat(num(m, "gpu_burn.faulty")).isEqualTo(matching(m, "gpu_burn.gpu[*].ok").values().stream()
                    .filter(x -> x.value().raw().equals(false)).count());
            if (m.contains("gpu_burn.errors")) {
                assertThat(num(m, "gpu_burn.errors")).isEqualTo(sum(m, "gpu_burn.gpu[*].errors"));
                assertThat(matching(m, "gpu_burn.gpu[*].errors")).hasSize((int) num(m, "gpu_burn.gpus"));
            }
        });
        INVARIANTS.put("nccl", (in, m) -> {
            assertThat(num(m, "nccl.sizes")).isEqualTo(matching(m, "nccl.size[*].busbw_gbps").size());
            for (var x : matching(m, "nccl.size[*].busbw_gbps").values()) {
                assertThat(x.number().orElseThrow()).isLessThanOrEqualTo(num(m, "nccl.busbw_gbps.max"));
            }
        });
        INVARIANTS.put("dcgm", (in, m) -> {
            assertThat(num(m, "dcgm.tests")).isEqualTo(num(m, "dcgm.passed") + num(m, "dcgm.failed")
                    + num(m, "dcgm.warned") + num(m, "dcgm.skipped"));
            assertThat(num(m, "dcgm.tests")).isEqualTo(matching(m, "dcgm.test[*].status").size());
            if (m.get("dcgm.ok").orElseThrow().value().raw().equals(true)) {
                assertThat(num(m, "dcgm.passed")).isEqualTo(num(m, "dcgm.tests")).isPositive();
            }
        });
        INVARIANTS.put("dmon", (in, m) -> {
            assertThat(num(m, "dmon.gpus")).isEqualTo(matching(m, "dmon.gpu[*].samples").size());
            assertThat(num(m, "dmon.samples")).isEqualTo(sum(m, "dmon.gpu[*].samples"));
        });
        INVARIANTS.put("stress-gpus", (in, m) -> {
            assertThat(num(m, "stress_gpus.gpus")).isEqualTo(matching(m, "stress_gpus.gpu[*].ok").size());
            assertThat(num(m, "stress_gpus.faulty") + num(m, "stress_gpus.unverified")).isEqualTo(
                    matching(m, "stress_gpus.gpu[*].ok").values().stream().filter(x -> x.value().raw().equals(false)).count());
        });
        INVARIANTS.put("nvidia-smi-q", (in, m) -> {
            if (m.contains("nvsmi.attached_gpus")) {
                assertThat(num(m, "nvsmi.attached_gpus")).isEqualTo(matching(m, "gpu[*].pci_bus_id").size());
            }
        });
    }

    private static void nvidiaSmi(Input in, MetricSet m) {
        Set<String> gpus = new HashSet<>();
        for (Metric x : m) {
            if (x.name().segments().get(0).hasKey()) {
                gpus.add(x.name().segments().get(0).key());
            }
        }
        assertThat(num(m, "gpu.count")).isEqualTo(gpus.size());
        assertThat(num(m, "gpu.count")).isLessThanOrEqualTo(in.lines().size());
        if (m.contains("gpu.memory_total_mib.min")) {
            assertThat(num(m, "gpu.memory_total_mib.min")).isEqualTo(matching(m, "gpu[*].memory_total_mib").values().stream()
                    .mapToDouble(x -> x.number().orElseThrow()).min().orElseThrow());
            assertThat(matching(m, "gpu[*].memory_total_mib")).hasSize(gpus.size());
        }
        if (m.contains("gpu.throttled.count")) {
            assertThat(num(m, "gpu.throttled.count")).isEqualTo(matching(m, "gpu[*].throttled").values().stream()
                    .filter(x -> x.value().raw().equals(true)).count());
        }
    }

    private static void telemetry(Input in, MetricSet m) {
        Set<String> gpus = keys(m, "telemetry.gpu[*].uuid");
        assertThat(num(m, "telemetry.gpus")).isEqualTo(gpus.size());
        assertThat(num(m, "telemetry.samples")).isEqualTo(sum(m, "telemetry.gpu[*].samples"));
        assertThat(num(m, "telemetry.samples")).isLessThanOrEqualTo(in.lines().size());
        if (m.contains("telemetry.temperature_c.max")) {
            assertThat(num(m, "telemetry.temperature_c.max")).isEqualTo(matching(m, "telemetry.gpu[*].temperature_c.max")
                    .values().stream().mapToDouble(x -> x.number().orElseThrow()).max().orElseThrow());
            assertThat(num(m, "telemetry.temperature_c.p99")).isLessThanOrEqualTo(num(m, "telemetry.temperature_c.max"));
        }
        if (m.contains("telemetry.throttle_events")) {
            assertThat(num(m, "telemetry.throttle_events")).isEqualTo(sum(m, "telemetry.gpu[*].throttle_events"));
        }
        if (m.contains("telemetry.utilization_pct.median")) {
            assertThat(num(m, "telemetry.utilization_pct.median")).isBetween(0.0, 100.0);
        }
        assertThat(num(m, "telemetry.max_gap_s")).isLessThanOrEqualTo(num(m, "telemetry.duration_s"));
    }

    private MetricWitness() {
    }

    /** The input as the checks see it. */
    public record Input(String kind, String text, List<String> lines) {
        boolean mentions(String s) {
            // Ansible's colour codes sit between a recap's host name and its padding.
            return text.contains(s) || unescapedText().contains(s) || withoutAnsiColour().contains(s);
        }

        String withoutAnsiColour() {
            return text.replaceAll("\u001b\\[[0-9;]*m", "");
        }

        String unescapedText() {
            return PackerRecord.unescape(text);
        }
    }

    /** Registers checks for a kind (GPU parsers add theirs from their tests' static init). */
    public static void register(String kind, List<String> derived, BiConsumer<Input, MetricSet> invariants) {
        DERIVED.put(kind, derived);
        INVARIANTS.put(kind, invariants);
    }

    public static void check(String kind, byte[] bytes, MetricSet metrics) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = splitLines(text);
        Input input = new Input(kind, text, lines);
        List<MetricPattern> derived = new ArrayList<>();
        for (String p : DERIVED.getOrDefault(kind, List.of())) {
            derived.add(p.endsWith(".**") ? null : MetricPattern.parse(p));
        }
        boolean allDerived = DERIVED.getOrDefault(kind, List.of()).stream().anyMatch(p -> p.endsWith(".**"));
        for (Metric m : metrics) {
            Long line = m.source() == null ? null : m.source().line();
            if (line == null) {
                continue;
            }
            assertThat(line).as("%s cites a line of the input", m).isBetween(1L, (long) lines.size());
            String l = lines.get((int) (line - 1));
            if (m.value() instanceof MetricValue.Text t) {
                assertThat(textOnLine(t.value(), l)).as("%s: the text is on line %d: %s", m, line, l).isTrue();
            } else if (m.value() instanceof MetricValue.Num n) {
                boolean exempt = allDerived || derived.stream().anyMatch(p -> p != null && p.matches(m.name()));
                if (!exempt) {
                    assertThat(numberOnLine(n.value(), l)).as("%s: the number is on line %d: %s", m, line, l).isTrue();
                }
            }
        }
        BiConsumer<Input, MetricSet> invariants = INVARIANTS.get(kind);
        if (invariants != null) {
            invariants.accept(input, metrics);
        }
    }

    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    static boolean textOnLine(String value, String line) {
        if (value.isEmpty() || line.contains(value) || PackerRecord.unescape(line).contains(value)
                || line.toLowerCase(Locale.ROOT).contains(value)) {
            return true;
        }
        Matcher m = JSON_STRING.matcher(line);
        while (m.find()) {
            try {
                String decoded = JSON.readValue("\"" + m.group(1) + "\"", String.class);
                if (decoded.contains(value)) {
                    return true;
                }
            } catch (Exception notJson) {
                // Not a JSON string literal.
            }
        }
        return false;
    }

    public static boolean numberOnLine(double value, String line) {
        Matcher m = NUMBER.matcher(line);
        while (m.find()) {
            try {
                double v = Double.parseDouble(m.group());
                if (Math.abs(v - value) <= 1e-9 * Math.max(1, Math.abs(value))) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // Not a number after all.
            }
        }
        return false;
    }

    // ---- helpers for invariants ----

    /** The metrics a pattern matches, by their keys joined with '/'. */
    public static Map<String, Metric> matching(MetricSet metrics, String pattern) {
        MetricPattern p = MetricPattern.parse(pattern);
        Map<String, Metric> out = new java.util.LinkedHashMap<>();
        for (Metric m : metrics.matching(p)) {
            out.put(String.join("/", p.match(m.name()).orElseThrow()), m);
        }
        return out;
    }

    public static double num(MetricSet metrics, String name) {
        return metrics.get(name).orElseThrow(() -> new AssertionError("no " + name)).number().orElseThrow();
    }

    public static double sum(MetricSet metrics, String pattern) {
        double s = 0;
        for (Metric m : matching(metrics, pattern).values()) {
            s += m.number().orElseThrow();
        }
        return s;
    }

    /** The distinct first keys of a pattern's matches. */
    public static Set<String> keys(MetricSet metrics, String pattern) {
        Set<String> out = new LinkedHashSet<>();
        MetricPattern p = MetricPattern.parse(pattern);
        for (Metric m : metrics.matching(p)) {
            out.add(p.match(m.name()).orElseThrow().get(0));
        }
        return out;
    }

    private static void packer(Input in, MetricSet m) {
        if (!m.contains("packer.builds")) {
            assertThat(m.values()).containsOnlyKeys("packer.version");
            return;
        }
        Set<String> builds = keys(m, "packer.build[*].ok");
        assertThat(num(m, "packer.builds")).isEqualTo(builds.size());
        for (String b : builds) {
            assertThat(in.mentions(b)).as("build %s is in the input", b).isTrue();
        }
        long failed = matching(m, "packer.build[*].ok").values().stream()
                .filter(x -> x.value().raw().equals(false)).count();
        assertThat(num(m, "packer.builds_failed")).isEqualTo(failed);
        assertThat(num(m, "packer.artifacts")).isEqualTo(sum(m, "packer.build[*].artifacts"));
        if (m.get("packer.success").orElseThrow().value().raw().equals(true)) {
            assertThat(num(m, "packer.builds_failed")).isZero();
            assertThat(num(m, "packer.errors")).isZero();
            assertThat(num(m, "packer.artifacts")).isPositive();
        }
        assertThat(num(m, "packer.errors")).isGreaterThanOrEqualTo(num(m, "packer.config_errors"));
    }

    private static void packerManifest(Input in, MetricSet m) {
        assertThat(num(m, "packer.manifest.builds")).isEqualTo(keys(m, "packer.manifest.build[*].name").size());
        for (String i : keys(m, "packer.manifest.build[*].name")) {
            assertThat(num(m, "packer.manifest.build[" + i + "].files"))
                    .isEqualTo(matching(m, "packer.manifest.build[" + i + "].file[*].name").size());
        }
        assertThat(in.mentions((String) m.get("packer.manifest.last_run_uuid").orElseThrow().value().raw())).isTrue();
    }

    private static void packerChecksum(Input in, MetricSet m) {
        String algo = (String) m.get("packer.checksum.algorithm").orElseThrow().value().raw();
        assertThat(num(m, "packer.checksum.files")).isEqualTo(matching(m, "packer.checksum.file[*]." + algo).size());
        assertThat(num(m, "packer.checksum.entries")).isBetween(num(m, "packer.checksum.files"), (double) in.lines().size());
    }

    private static void ansible(Input in, MetricSet m) {
        Set<String> hosts = keys(m, "ansible.host[*].ok");
        assertThat(num(m, "ansible.hosts")).isEqualTo(hosts.size());
        for (String h : hosts) {
            assertThat(in.mentions(h)).as("host %s is in the input", h).isTrue();
        }
        Set<String> runs = keys(m, "ansible.run[*].hosts");
        assertThat(num(m, "ansible.runs")).isEqualTo(runs.size());
        Set<String> counters = new HashSet<>(List.of("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"));
        for (String c : counters) {
            if (!m.contains("ansible.run[1]." + c)) {
                // A recap of ansible before 2.8 has no skipped/rescued/ignored: then no level reports it.
                assertThat(List.of("skipped", "rescued", "ignored")).as(c).contains(c);
                assertThat(m.contains("ansible." + c)).as(c).isFalse();
                continue;
            }
            for (String r : runs) {
                assertThat(num(m, "ansible.run[" + r + "]." + c)).as("run %s %s", r, c)
                        .isEqualTo(sum(m, "ansible.run[" + r + "].host[*]." + c));
            }
            boolean all = c.equals("failed") || c.equals("unreachable");
            double expected = all ? sum(m, "ansible.run[*]." + c) : num(m, "ansible.run[1]." + c);
            assertThat(num(m, "ansible." + c)).as(c).isEqualTo(expected);
            assertThat(sum(m, "ansible.host[*]." + c)).as("hosts' %s", c).isEqualTo(expected);
        }
        assertThat(m.contains("ansible.idempotent")).isEqualTo(runs.size() >= 2);
    }
}
