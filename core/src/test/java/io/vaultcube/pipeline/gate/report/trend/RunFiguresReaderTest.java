package io.vaultcube.pipeline.gate.report.trend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFiguresReaderTest {
    private static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void readsVerdictCountsKeyFiguresDurationAndRecordedStages() throws Exception {
        Path run = TrendFixture.run(tmp, "run-1", START,
                new TrendFixture.Figures(0.93, 10777.64, 88.0, 2.0, 0.0, 1.0, 90, "NVIDIA GeForce RTX 5090"));
        RunFigures f = RunFiguresReader.read(run, "run-1", "#1", null);
        assertThat(f.getId()).isEqualTo("run-1");
        assertThat(f.getLabel()).isEqualTo("#1");
        // The stress Xid fails, the temperature and throttle gates are unstable: FAILURE.
        assertThat(f.getVerdict()).isEqualTo("FAILURE");
        assertThat(f.getPolicy()).isEqualTo("trend-test");
        assertThat(f.getPassed()).isEqualTo(5); // gpu-model for 2 GPUs, ddp, vllm, xid
        assertThat(f.getUnstable() + f.getFailed()).isEqualTo(3);
        assertThat(f.getSkipped()).isZero();
        assertThat(f.figure(KeyFigure.DDP_SCALING_EFFICIENCY)).isEqualTo(0.93);
        assertThat(f.figure(KeyFigure.VLLM_OUTPUT_TOKENS_PER_S)).isEqualTo(10777.64);
        assertThat(f.figure(KeyFigure.STRESS_MAX_TEMPERATURE_C)).isEqualTo(88.0);
        assertThat(f.figure(KeyFigure.STRESS_THROTTLE_EVENTS)).isEqualTo(2.0);
        assertThat(f.figure(KeyFigure.GPU_XID_COUNT)).isEqualTo(0.0);
        assertThat(f.figure(KeyFigure.STRESS_XID_COUNT)).isEqualTo(1.0);
        assertThat(f.getDurationSeconds()).isEqualTo(90 * 60.0);
        assertThat(f.getTime()).isEqualTo(START.plusSeconds(90 * 60)); // the report's evaluation time
        assertThat(f.getRecordedStages()).containsExactly("gpu", "stress");
    }

    @Test
    void aMissingFigureIsAGapNotAZero() throws Exception {
        Path run = TrendFixture.run(tmp, "run-2", START,
                new TrendFixture.Figures(null, 5000.0, 70.0, null, 0.0, 0.0, 30, "NVIDIA GeForce RTX 5090"));
        RunFigures f = RunFiguresReader.read(run, "run-2", null, null);
        assertThat(f.getLabel()).isEqualTo("run-2");
        assertThat(f.figure(KeyFigure.DDP_SCALING_EFFICIENCY)).isNull();
        assertThat(f.figure(KeyFigure.STRESS_THROTTLE_EVENTS)).isNull();
        assertThat(f.getFigures()).doesNotContainKey("ddp.scaling_efficiency");
        assertThat(f.getVerdict()).isEqualTo("FAILURE"); // no evidence for ddp fails its gate
    }

    @Test
    void aRunWithoutGateReportHasNoVerdictAndNoCounts() throws Exception {
        Path run = TrendFixture.run(tmp, "run-3", START,
                new TrendFixture.Figures(0.9, 5000.0, 70.0, 0.0, 0.0, 0.0, 30, "NVIDIA GeForce RTX 5090"));
        Files.delete(run.resolve("gate/report.json"));
        RunFigures f = RunFiguresReader.read(run, "run-3", null, null);
        assertThat(f.getVerdict()).isNull();
        assertThat(f.getPassed()).isNull();
        assertThat(f.getFailed()).isNull();
        assertThat(f.figure(KeyFigure.DDP_SCALING_EFFICIENCY)).isEqualTo(0.9);
        assertThat(f.getTime()).isEqualTo(START); // the first stage's start
    }

    /** The head (verdict, counts) is all a trend reads: a report cut short inside its rows still reads. */
    @Test
    void readsOnlyTheHeadOfTheReportNotItsRows() throws Exception {
        Path run = TrendFixture.run(tmp, "run-4", START,
                new TrendFixture.Figures(0.9, 5000.0, 70.0, 0.0, 0.0, 0.0, 30, "NVIDIA GeForce RTX 5090"));
        Path report = run.resolve("gate/report.json");
        String text = Files.readString(report);
        int rows = text.indexOf("\"gates\"");
        assertThat(rows).isPositive();
        Files.writeString(report, text.substring(0, rows) + "\"gates\" : [ { \"id\" : \"cut her");
        RunFigures f = RunFiguresReader.read(run, "run-4", null, null);
        assertThat(f.getVerdict()).isEqualTo("SUCCESS");
        assertThat(f.getPassed()).isEqualTo(8);
    }

    @Test
    void aGarbledOrForeignReportIsAnErrorNamingTheFile() throws Exception {
        Path run = TrendFixture.run(tmp, "run-5", START,
                new TrendFixture.Figures(0.9, 5000.0, 70.0, 0.0, 0.0, 0.0, 30, "NVIDIA GeForce RTX 5090"));
        Path report = run.resolve("gate/report.json");
        Files.writeString(report, "{\"schema\": \"vault-gate-report/1\", \"verdict\": ");
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, null)).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("gate/report.json");
        Files.writeString(report, "{\"schema\": \"something-else/1\", \"verdict\": \"SUCCESS\", \"counts\": {}}");
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, null))
                .hasMessageContaining("gate/report.json: not a gate report");
        Files.writeString(report, "{\"schema\": \"vault-gate-report/1\", \"verdict\": \"GREAT\", \"counts\": {}}");
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, null))
                .hasMessageContaining("no valid verdict").hasMessageContaining("GREAT");
        Files.writeString(report, "{\"schema\": \"vault-gate-report/1\", \"verdict\": \"SUCCESS\","
                + " \"counts\": {\"PASSED\": -3}}");
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, null))
                .hasMessageContaining("counts.PASSED is not a count");
    }

    @Test
    void aGarbledMetricsFileIsAnErrorNotAGap() throws Exception {
        Path run = TrendFixture.run(tmp, "run-6", START,
                new TrendFixture.Figures(0.9, 5000.0, 70.0, 0.0, 0.0, 0.0, 30, "NVIDIA GeForce RTX 5090"));
        Files.writeString(run.resolve("bench-ddp/metrics.json"), "{\"schema\": \"vault-metrics/1\", \"metr");
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, null)).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("bench-ddp/metrics.json");
    }

    @Test
    void severalGateReportsNeedTheGateStageNamed() throws Exception {
        Path run = TrendFixture.run(tmp, "run-7", START,
                new TrendFixture.Figures(0.9, 5000.0, 70.0, 0.0, 0.0, 0.0, 30, "NVIDIA GeForce RTX 5090"));
        Files.createDirectories(run.resolve("gate-2"));
        Files.copy(run.resolve("gate/report.json"), run.resolve("gate-2/report.json"));
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, null))
                .hasMessageContaining("several gate stages").hasMessageContaining("gate, gate-2");
        assertThat(RunFiguresReader.read(run, "r", null, "gate-2").getVerdict()).isEqualTo("SUCCESS");
        assertThatThrownBy(() -> RunFiguresReader.read(run, "r", null, "gate-3"))
                .hasMessageContaining("no gate report");
    }

    @Test
    void aMissingEvidenceDirectoryIsAnError() {
        assertThatThrownBy(() -> RunFiguresReader.read(tmp.resolve("nope"), "r", null, null))
                .isInstanceOf(EvidenceException.class).hasMessageContaining("nope");
    }
}
