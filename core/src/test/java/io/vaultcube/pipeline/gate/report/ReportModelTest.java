package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model the HTML report, the Markdown summary and the Jenkins pages all read. */
class ReportModelTest {
    @TempDir
    Path tmp;

    @Test
    void rowsComeFailedFirstAndBenchmarkBarsCarryTheirConditionsThresholds() throws Exception {
        ReportModel model = ReportModel.of(ReportFixture.run(tmp, 3600, 10));
        List<GateStatus> order = model.getGateRows().stream().map(GateResult::status).toList();
        assertThat(order).isSortedAccordingTo((a, b) -> Integer.compare(a.reportOrder(), b.reportOrder()));
        assertThat(order.get(0)).isEqualTo(GateStatus.FAILED);

        // vllm and ddp are benchmark subjects (ParserRegistry.SUBJECTS); gpu and telemetry are not.
        assertThat(model.getBenchmarkBars()).extracting(ReportModel.BenchmarkBar::gate)
                .containsExactlyInAnyOrder("vllm-throughput", "vllm-vs-baseline", "ddp-scaling");
        ReportModel.BenchmarkBar ratio = model.getBenchmarkBars().stream()
                .filter(b -> b.gate().equals("vllm-vs-baseline")).findFirst().orElseThrow();
        // min_ratio 0.9 of the baseline's 3600 draws its line at 3240 (Condition.threshold).
        assertThat(ratio.baseline()).isEqualTo(3600.0);
        assertThat(ratio.thresholds()).containsExactly(new ReportModel.Threshold(3240.0, "min_ratio 0.9 = 3240"));
        assertThat(model.getBenchmarkBars().stream().filter(b -> b.gate().equals("vllm-throughput")).findFirst()
                .orElseThrow().thresholds()).containsExactly(new ReportModel.Threshold(10.0, "above 10"));

        assertThat(model.getTemperatureThresholds())
                .containsExactly(new ReportModel.Threshold(85.0, "stress-temperature: max 85"));
        assertThat(model.getBenchmarkFigures()).isNotEmpty()
                .allSatisfy(m -> assertThat(ReportModel.isBenchmark(m.name().segments().get(0).identifier())).isTrue());
    }

    @Test
    void theGpuTableHasAColumnPerGpuAndMarksTheCellOfAFailedGate() throws Exception {
        ReportModel.EntityTable gpus = ReportModel.of(ReportFixture.run(tmp, 3600, 10)).getGpuTable();
        assertThat(gpus.keys()).containsExactly("0", "1", "2", "3");
        ReportModel.EntityRow memory = gpus.rows().stream().filter(r -> r.property().equals("memory_total_mib"))
                .findFirst().orElseThrow();
        assertThat(memory.cells().get(2)).isEqualTo(new ReportModel.Cell("31000 MiB", "gpu/q.csv:4", true));
        assertThat(memory.cells().get(0).failed()).isFalse();
    }

    @Test
    void theMarkdownSummaryReadsTheSameRows() throws Exception {
        ReportModel model = ReportModel.of(ReportFixture.run(tmp, 3600, 10));
        String markdown = MarkdownReport.render(model);
        assertThat(markdown).isEqualTo(MarkdownReport.render(model.getReport()));
        List<GateResult> rows = model.getGateRows();
        GateResult firstFailed = rows.get(0);
        GateResult lastPassed = rows.get(rows.size() - 1);
        assertThat(lastPassed.status()).isEqualTo(GateStatus.PASSED);
        assertThat(markdown.indexOf(firstFailed.id())).isPositive()
                .isLessThan(markdown.lastIndexOf(lastPassed.id()));
    }
}
