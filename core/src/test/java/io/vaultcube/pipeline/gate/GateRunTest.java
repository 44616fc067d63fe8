package io.vaultcube.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceException;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateRunTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00.789Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    static Policy policy() throws PolicyException {
        return PolicyParser.parse("schema: vault-policy/1\nname: t\ngates:\n  - metric: gpu.count\n    eq: 4\n"
                + "  - metric: vllm.output_tokens_per_s\n    min_ratio: 0.9\n    optional: true\n", "t.yaml", "ab");
    }

    @Test
    void evaluatesAndRecordsWhatItJudged() throws Exception {
        EvidenceDir ev = EvidenceDir.create(tmp.resolve("ev"));
        var gpu = ev.stage("gpu");
        gpu.writeMetrics(new MetricSet().add(Metric.number("gpu.count", 4, null, gpu.source("q.csv", 1L))));
        gpu.writeRecord(new StageRecord("gpu", StageStatus.RECORDED, null, null, List.of(), List.of("copied"),
                "examples/evidence/demo"));
        ev.stage("stress"); // a stage that wrote nothing
        GateRun run = GateRun.evaluate(policy(), tmp.resolve("ev"), null, CLOCK);
        GateReport report = run.report();
        assertThat(report.verdict()).isEqualTo(Verdict.SUCCESS);
        assertThat(report.evaluated()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(report.policyFile()).isEqualTo("t.yaml");
        assertThat(report.policySha256()).isEqualTo("ab");
        assertThat(report.evidence()).isEqualTo(tmp.resolve("ev").toAbsolutePath().toString());
        assertThat(report.baseline()).isNull();
        assertThat(report.stages()).containsExactly(
                new StageInfo("gpu", StageStatus.RECORDED, "examples/evidence/demo", true, List.of("copied")),
                new StageInfo("stress", null, null, false, List.of()));
        assertThat(report.gates()).extracting(GateResult::status).containsExactly(GateStatus.PASSED,
                GateStatus.SKIPPED);
        assertThat(report.summary()).isEqualTo("0 failed, 0 unstable, 1 skipped, 1 passed");
        assertThat(run.metrics().size()).isEqualTo(1);
    }

    @Test
    void unreadableEvidenceIsAnErrorNotAVerdict() throws Exception {
        assertThatThrownBy(() -> GateRun.evaluate(policy(), tmp.resolve("missing"), null, CLOCK))
                .isInstanceOf(EvidenceException.class).hasMessageContaining("does not exist");

        Path ev = Files.createDirectories(tmp.resolve("ev/gpu"));
        Files.writeString(ev.resolve("metrics.json"), "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"gpu.count\":");
        assertThatThrownBy(() -> GateRun.evaluate(policy(), tmp.resolve("ev"), null, CLOCK))
                .isInstanceOf(EvidenceException.class).hasMessageContaining("gpu/metrics.json");

        Files.writeString(ev.resolve("metrics.json"), "{\"schema\":\"vault-metrics/1\",\"metrics\":{}}");
        Files.writeString(ev.resolve("stage.json"), "{\"schema\":\"vault-stage/1\"");
        assertThatThrownBy(() -> GateRun.evaluate(policy(), tmp.resolve("ev"), null, CLOCK))
                .isInstanceOf(EvidenceException.class).hasMessageContaining("gpu/stage.json");
        Files.delete(ev.resolve("stage.json"));

        Path base = Files.createDirectories(tmp.resolve("base/bench-vllm"));
        Files.writeString(base.resolve("metrics.json"), "not json");
        assertThatThrownBy(() -> GateRun.evaluate(policy(), tmp.resolve("ev"), tmp.resolve("base"), CLOCK))
                .isInstanceOf(EvidenceException.class).hasMessageStartingWith("baseline: ")
                .hasMessageContaining("bench-vllm/metrics.json");
        assertThatThrownBy(() -> GateRun.evaluate(policy(), tmp.resolve("ev"), tmp.resolve("nobase"), CLOCK))
                .isInstanceOf(EvidenceException.class).hasMessageStartingWith("baseline: ");
    }
}
