package io.vaultcube.pipeline.gate.report.trend;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.PolicyParser;
import io.vaultcube.pipeline.gate.report.JsonReport;
import io.vaultcube.pipeline.gate.report.ReportFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * SYNTHETIC evidence directories shaped like the demo pipeline's (docs/evidence.md: stages gpu,
 * bench-ddp, bench-vllm, stress and gate, each with metrics.json and stage.json, the gate's
 * report.json written by the real JsonReport over the real GateRun), with figures chosen per run.
 */
final class TrendFixture {
    static final String POLICY = """
            schema: vault-policy/1
            name: trend-test
            gates:
              - id: gpu-model
                metric: gpu[*].name
                matches: "NVIDIA GeForce RTX 5090"
              - id: ddp-scaling
                metric: ddp.scaling_efficiency
                min: 0.8
              - id: vllm-throughput
                metric: vllm.output_tokens_per_s
                above: 1000
              - id: stress-temperature
                metric: telemetry.temperature_c.max
                max: 85
                severity: unstable
              - id: throttle
                metric: telemetry.throttle_events
                max: 0
                severity: unstable
              - id: xid
                metric: xid.count
                eq: 0
              - id: stress-xid
                metric: stress.xid.count
                eq: 0
            """;

    /** One run's figures; a null leaves the metric out of the evidence. */
    record Figures(Double ddp, Double vllm, Double temperature, Double throttle, Double xid, Double stressXid,
            long minutes, String gpuName) {
    }

    private TrendFixture() {
    }

    /**
     * Writes run {@code name}'s evidence under {@code dir} (started at {@code start}, its recorded
     * stages gpu and stress marked as such), judges it and writes gate/report.json.
     */
    static Path run(Path dir, String name, Instant start, Figures f) throws IOException {
        Path policy = dir.resolve("trend-policy.yaml");
        if (!Files.exists(policy)) {
            Files.writeString(policy, POLICY);
        }
        EvidenceDir ev = EvidenceDir.create(dir.resolve(name));
        Instant end = start.plusSeconds(f.minutes() * 60);
        StageEvidence gpu = ev.stage("gpu");
        MetricSet g = new MetricSet().add(Metric.number("gpu.count", 2, null, gpu.source("q.csv", null)));
        for (int i = 0; i < 2; i++) {
            g.add(Metric.text("gpu[" + i + "].name", f.gpuName(), gpu.source("q.csv", i + 2L)));
        }
        number(g, "xid.count", f.xid(), null, gpu, "kernel.log");
        gpu.writeMetrics(g);
        gpu.writeRecord(new StageRecord("gpu", StageStatus.RECORDED, start, start.plusSeconds(1), List.of(),
                List.of(), "examples/evidence/demo-box-stand-in/gpu"));
        StageEvidence ddp = ev.stage("bench-ddp");
        ddp.writeMetrics(number(new MetricSet(), "ddp.scaling_efficiency", f.ddp(), null, ddp, "result.json"));
        ddp.writeRecord(new StageRecord("bench-ddp", StageStatus.SUCCEEDED, start.plusSeconds(60),
                start.plusSeconds(600), List.of(), List.of(), null));
        StageEvidence vllm = ev.stage("bench-vllm");
        vllm.writeMetrics(number(new MetricSet(), "vllm.output_tokens_per_s", f.vllm(), "tokens/s", vllm, "bench.log"));
        vllm.writeRecord(new StageRecord("bench-vllm", StageStatus.SUCCEEDED, start.plusSeconds(600),
                start.plusSeconds(1200), List.of(), List.of(), null));
        StageEvidence stress = ev.stage("stress");
        MetricSet s = new MetricSet();
        number(s, "telemetry.temperature_c.max", f.temperature(), "C", stress, "telemetry.csv");
        number(s, "telemetry.throttle_events", f.throttle(), null, stress, "telemetry.csv");
        number(s, "stress.xid.count", f.stressXid(), null, stress, "kernel.log");
        stress.writeMetrics(s);
        stress.writeRecord(new StageRecord("stress", StageStatus.RECORDED, start.plusSeconds(1200), end, List.of(),
                List.of(), "examples/evidence/demo-box-stand-in/stress"));
        GateRun run = GateRun.evaluate(PolicyParser.load(policy), ev.root(), null, Clock.fixed(end, ZoneOffset.UTC));
        StageEvidence gate = ev.stage("gate");
        ReportFiles.write(gate.file(RunFiguresReader.REPORT_FILE), JsonReport.render(run));
        gate.writeRecord(new StageRecord("gate", StageStatus.SUCCEEDED, end, end, List.of(), List.of(), null));
        return ev.root();
    }

    private static MetricSet number(MetricSet set, String name, Double value, String unit, StageEvidence stage,
            String file) {
        return value == null ? set : set.add(Metric.number(name, value, unit, stage.source(file, 1L)));
    }
}
