package io.vaultcube.jenkins.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.jenkins.testing.Chromium;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.gate.report.trend.KeyFigure;
import io.vaultcube.pipeline.gate.report.trend.RunFigures;
import io.vaultcube.pipeline.gate.report.trend.TrendHtml;
import io.vaultcube.pipeline.gate.report.trend.TrendModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's trend: computed from the builds' stored figures only (1,000 builds, no stored file read),
 * and drawn by the real ECharts in headless Chromium from the HTML and JSON the job page gets.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class VaultJobActionTest {
    @TempDir
    Path tmp;

    /** A build whose gate stored its summary file (which the trend must not read). */
    private VaultJobAction.Build build(int n, List<VaultRunActionTest.CountingStore> stores) throws Exception {
        String verdict = n % 7 == 0 ? "FAILURE" : n % 5 == 0 ? "UNSTABLE" : "SUCCESS";
        BuildSummary s = new BuildSummary(BuildSummary.SCHEMA, verdict, "demo-box", "s",
                Map.of("PASSED", 30 - n % 4, "FAILED", verdict.equals("FAILURE") ? 2 : 0, "UNSTABLE",
                        verdict.equals("UNSTABLE") ? 1 : 0, "SKIPPED", 1),
                List.of(), List.of(), 0, null,
                List.of(new BuildSummary.Figure("ddp.scaling_efficiency", "DDP", 0.90 + (n % 10) / 200.0, "x", null),
                        new BuildSummary.Figure("telemetry.temperature_c.max", "T", 70.0 + n % 9, "x", null)));
        Path dir = Files.createDirectories(tmp.resolve("builds/" + n + "/vault/gate"));
        Files.writeString(dir.resolve(BuildSummary.FILE), s.toJson());
        VaultRunActionTest.CountingStore store = new VaultRunActionTest.CountingStore(dir.getParent().toFile());
        stores.add(store);
        VaultRunAction a = VaultRunActionTest.reload(new VaultRunAction("vault", null, "ev", "gate", s,
                s.runFigures(String.valueOf(n), "#" + n, Instant.ofEpochSecond(1_700_000_000L + n * 3600L)), List.of()));
        a.attachStore(store);
        return new VaultJobAction.Build(a, 1000L * (600 + n % 13));
    }

    @Test
    void aTrendOverAThousandBuildsReadsNoStoredFile() throws Exception {
        List<VaultRunActionTest.CountingStore> stores = new ArrayList<>();
        List<VaultJobAction.Build> newestFirst = new ArrayList<>();
        for (int n = 1000; n >= 1; n--) {
            newestFirst.add(build(n, stores));
        }
        List<RunFigures> figures = VaultJobAction.figures(newestFirst, 1000);
        TrendModel model = TrendModel.of(figures);
        assertThat(model.getLabels()).hasSize(1000).startsWith("#1", "#2").endsWith("#1000");
        TrendModel.Chart ddp = model.getCharts().stream().filter(c -> c.id().equals("ddp")).findFirst().orElseThrow();
        assertThat(ddp.series().get(0).points()).isEqualTo(1000);
        assertThat(figures.get(0).getDurationSeconds()).isEqualTo(601.0);
        assertThat(figures.get(6).getFailed()).isEqualTo(2);
        assertThat(model.toJson()).contains("\"schema\" : \"vault-trend/1\"");
        assertThat(stores.stream().mapToInt(s -> s.reads).sum()).as("stored files read for the trend").isZero();

        // The same counter sees a build page read its file: the check above can fail.
        newestFirst.get(0).action().getSummaryBoxHtml();
        assertThat(stores.get(0).reads).isEqualTo(1);
    }

    @Test
    void theChartShowsTheNewestBuildsOldestFirst() throws Exception {
        List<VaultRunActionTest.CountingStore> stores = new ArrayList<>();
        List<VaultJobAction.Build> newestFirst = new ArrayList<>();
        for (int n = 80; n >= 1; n--) {
            newestFirst.add(build(n, stores));
        }
        List<RunFigures> f = VaultJobAction.figures(newestFirst, VaultJobAction.MAX_BUILDS);
        assertThat(f).hasSize(50);
        assertThat(f.get(0).getLabel()).isEqualTo("#31");
        assertThat(f.get(49).getLabel()).isEqualTo("#80");
        assertThat(f.get(49).figure(KeyFigure.STRESS_MAX_TEMPERATURE_C)).isEqualTo(70.0 + 80 % 9);
    }

    @Test
    void theJobPageDrawsTheTrendWithEcharts() throws Exception {
        List<VaultRunActionTest.CountingStore> stores = new ArrayList<>();
        List<VaultJobAction.Build> newestFirst = new ArrayList<>();
        for (int n = 3; n >= 1; n--) {
            newestFirst.add(build(n, stores));
        }
        TrendModel model = TrendModel.of(VaultJobAction.figures(newestFirst, 50));
        String body = TrendPageHtml.charts(model, List.of("gates", "ddp"), "vault-trend/");
        Path html = tmp.resolve("job.html");
        Files.copy(BuildPageHtmlTest.CSS, tmp.resolve("vault-page.css"), StandardCopyOption.REPLACE_EXISTING);
        TrendHtml.copyEcharts(tmp.resolve("echarts.min.js"));
        // trend.js as the plugin ships it (the adjunct the pom copies from the core)
        Files.copy(Path.of("target/classes/io/vaultcube/jenkins/model/assets/trend/trend.js"), tmp.resolve("trend.js"));
        Files.writeString(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                + "<link rel=\"stylesheet\" href=\"vault-page.css\"><script src=\"echarts.min.js\"></script></head><body>\n"
                + body + "<script src=\"trend.js\"></script></body></html>\n");
        String dom = Chromium.dom(html);
        assertThat(dom).contains("id=\"vault-trend-chart-gates\"").contains("data-drawn=\"true\"");
        assertThat(dom).doesNotContain("id=\"vault-trend-chart-vllm\"");
        Files.createDirectories(BuildPageHtmlTest.SCREENSHOTS);
        BufferedImage shot = Chromium.screenshot(html, BuildPageHtmlTest.SCREENSHOTS.resolve("job-trend.png"), 1200, 400);
        assertThat(Chromium.count(shot, 0x2e7d32)).as("the passed series").isGreaterThan(200);
        assertThat(Chromium.count(shot, 0x1f77b4)).as("the DDP series").isGreaterThan(200);
    }
}
