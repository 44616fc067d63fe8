package io.vaultcube.pipeline.gate.report;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.PolicyParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A SYNTHETIC evidence directory for the report tests with every kind of row: failed (one GPU short
 * of memory, with tool output full of markup), unstable, skipped and passed, and a telemetry CSV.
 */
final class ReportFixture {
    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>|`x` & \u0007";
    static final String POLICY = """
            schema: vault-policy/1
            name: report-test
            description: every kind of row
            gates:
              - id: gpu-count
                metric: gpu.count
                eq: 4
              - id: gpu-memory
                metric: gpu[*].memory_total_mib
                min: 32000
                max: 33000
                expect_count: 4
                description: 32 GB per GPU <b>not bold</b>
              - id: gpu-model
                metric: gpu[*].name
                matches: "NVIDIA GeForce RTX 5090"
              - id: stress-temperature
                metric: telemetry.temperature_c.max
                max: 85
                severity: unstable
              - id: dcgm
                metric: dcgm.passed
                is: true
                optional: true
              - id: vllm-throughput
                metric: vllm.output_tokens_per_s
                above: 10
              - id: vllm-vs-baseline
                metric: vllm.output_tokens_per_s
                min_ratio: 0.9
                severity: unstable
              - id: ddp-scaling
                metric: ddp.scaling_efficiency
                min: 0.8
            """;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    private ReportFixture() {
    }

    /** Writes the evidence (and a baseline beside it) under {@code dir}; returns the evaluated run. */
    static GateRun run(Path dir, int telemetrySeconds, int interval) throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        EvidenceDir ev = EvidenceDir.create(dir.resolve("evidence"));
        StageEvidence gpu = ev.stage("gpu");
        MetricSet g = new MetricSet().add(Metric.number("gpu.count", 4, null, gpu.source("q.csv", null)));
        int[] memory = {32607, 32607, 31000, 32607};
        for (int i = 0; i < 4; i++) {
            g.add(Metric.number("gpu[" + i + "].memory_total_mib", memory[i], "MiB", gpu.source("q.csv", i + 2L)));
            g.add(Metric.text("gpu[" + i + "].name", i == 1 ? HOSTILE : "NVIDIA GeForce RTX 5090",
                    gpu.source("q.csv", i + 2L)));
        }
        gpu.writeMetrics(g);
        StageEvidence stress = ev.stage("stress");
        stress.writeMetrics(new MetricSet()
                .add(Metric.number("telemetry.temperature_c.max", 91, "C", stress.source("telemetry.csv", 7L)))
                .add(Metric.number("telemetry.gpu[0].temperature_c.max", 91, "C", stress.source("telemetry.csv", 7L))));
        telemetry(stress.file("telemetry.csv"), telemetrySeconds, interval);
        StageEvidence vllm = ev.stage("bench-vllm");
        vllm.writeMetrics(new MetricSet().add(Metric.number("vllm.output_tokens_per_s", 3000, "tokens/s",
                vllm.source("vllm.json", null))));
        StageEvidence ddp = ev.stage("bench-ddp");
        ddp.writeMetrics(new MetricSet().add(Metric.number("ddp.scaling_efficiency", 0.93, null,
                ddp.source("ddp.json", null))));
        EvidenceDir base = EvidenceDir.create(dir.resolve("baseline"));
        base.stage("bench-vllm").writeMetrics(new MetricSet().add(Metric.number("vllm.output_tokens_per_s", 3600,
                "tokens/s", EvidenceSource.file("bench-vllm/vllm.json"))));
        return GateRun.evaluate(PolicyParser.load(policy), ev.root(), base.root(), CLOCK);
    }

    /**
     * A synthetic sampler log in sample-telemetry.sh's format: 4 GPUs, one sample per GPU every
     * {@code interval} s; GPU 2 runs hot and throttles (0x40) for a while; a 10-minute gap in the middle.
     */
    static void telemetry(Path file, int seconds, int interval) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            String header = "timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], "
                    + "utilization.gpu [%], utilization.memory [%], memory.used [MiB], clocks.sm [MHz], "
                    + "clocks.mem [MHz], pcie.link.gen.current, pcie.link.width.current, fan.speed [%], "
                    + "clocks_event_reasons.active\n";
            w.write(header);
            long start = Instant.parse("2026-11-28T10:00:00Z").getEpochSecond();
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter
                    .ofPattern("yyyy/MM/dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
            int gapFrom = seconds / 2;
            int gapTo = gapFrom + 600;
            for (int s = 0; s < seconds; s += interval) {
                if (s >= gapFrom && s < gapTo) {
                    continue;
                }
                if (s == gapTo) {
                    w.write(header); // the sampler restarted
                }
                String ts = f.format(Instant.ofEpochSecond(start + s));
                for (int i = 0; i < 4; i++) {
                    boolean hot = i == 2 && s > seconds / 4 && s < seconds / 3;
                    double temp = 70 + i + 5 * Math.sin(s / 3600.0) + (hot ? 20 : 0);
                    String reasons = hot ? "0x0000000000000044" : "0x0000000000000004";
                    w.write(ts + ", " + i + ", GPU-0000000" + i + "-aaaa-bbbb-cccc-dddddddddddd, P1, "
                            + Math.round(temp) + ", " + (550 + i) + ".25, 575.00, 100, 35, 30521, "
                            + (hot ? 1800 : 2700 + i) + ", 14001, 5, 16, 68, " + reasons + "\n");
                }
            }
        }
    }
}
