package io.vaultcube.pipeline.gate.report.trend;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trend page as a person sees it: headless Chromium, the real ECharts drawing the model. */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class TrendHtmlTest {
    static final String HOSTILE = "<script>document.title='pwned'</script>\"q\" 'a' ]]> & \u001b[31mred\u001b[0m";

    @TempDir
    Path tmp;

    @Test
    void writesThePageWithItsFilesBesideItAndNothingInline() throws Exception {
        Path html = tmp.resolve("out/trend.html");
        TrendHtml.write(html, TrendModel.of(TrendModelTest.threeRuns()));
        for (String f : List.of(TrendHtml.SCRIPT_FILE, TrendHtml.CSS_FILE, TrendHtml.ECHARTS_FILE)) {
            assertThat(tmp.resolve("out").resolve(f)).isRegularFile();
        }
        assertThat(Files.readString(tmp.resolve("out/echarts.min.js"))).contains("Apache Software Foundation");
        String page = Files.readString(html);
        assertThat(page).contains("script-src 'self'; style-src 'self'").doesNotContain("style=")
                .doesNotContain("<style").doesNotContainPattern(" on[a-z]+=").doesNotContain("http:").doesNotContain("https:");
        // Every script element either loads a file beside the page or is the JSON data block.
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page);
        List<String> attributes = new ArrayList<>();
        while (scripts.find()) {
            attributes.add(scripts.group(1));
        }
        assertThat(attributes).containsExactly(" type=\"application/json\" id=\"vault-trend-model\"",
                " src=\"echarts.min.js\"", " src=\"trend.js\"");
    }

    /** Three runs: every series of every chart shows three drawn points, in its own colour. */
    @Test
    void chromiumDrawsThreePointsPerSeries() throws Exception {
        Path html = tmp.resolve("trend.html");
        TrendModel model = TrendModel.of(TrendModelTest.threeRuns());
        TrendHtml.write(html, model);
        Chromium chromium = new Chromium(tmp);
        String dom = chromium.dumpDom(html);
        assertThat(dom.split("data-drawn=\"true\"", -1)).as("every chart drawn by the script")
                .hasSize(model.getCharts().size() + 1);
        BufferedImage shot = chromium.screenshot(html, tmp.resolve("trend.png"), 1200, 1500);
        // Kept for a look (and docs/img/trend.png, see docs/pipeline-steps.md).
        Files.createDirectories(Path.of("target"));
        Files.copy(tmp.resolve("trend.png"), Path.of("target/trend.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> counted = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (TrendModel.Chart c : model.getCharts()) {
            for (TrendModel.Series s : c.series()) {
                expected.add(c.id() + ": " + s.name() + " 3");
                counted.add(c.id() + ": " + s.name() + " " + Chromium.points(shot, Chromium.rgb(s.color()), 3));
            }
        }
        assertThat(counted).isEqualTo(expected);
    }

    /** A run without a figure: a gap in that series (two points), the others keep three. */
    @Test
    void aMissingFigureIsAGapOnTheChart() throws Exception {
        List<RunFigures> runs = new ArrayList<>(TrendModelTest.threeRuns());
        runs.set(1, runs.get(1).toBuilder().figure(KeyFigure.VLLM_OUTPUT_TOKENS_PER_S, null).build());
        Path html = tmp.resolve("trend.html");
        TrendHtml.write(html, TrendModel.of(runs));
        BufferedImage shot = new Chromium(tmp).screenshot(html, tmp.resolve("gap.png"), 1200, 1500);
        assertThat(Chromium.points(shot, Chromium.rgb(TrendModel.VLLM), 3)).isEqualTo(2);
        assertThat(Chromium.points(shot, Chromium.rgb(TrendModel.DDP), 3)).isEqualTo(3);
    }

    /** Markup, quotes, CDATA ends and ANSI escapes in tool values are text on the page; none runs. */
    @Test
    void hostileValuesAreTextAndNeverRun() throws Exception {
        List<RunFigures> runs = new ArrayList<>();
        for (RunFigures r : TrendModelTest.threeRuns()) {
            runs.add(r.toBuilder().label(HOSTILE + " " + r.getLabel()).policy(HOSTILE)
                    .recordedStages(List.of("gpu")).build());
        }
        Path html = tmp.resolve("trend.html");
        TrendHtml.write(html, TrendModel.of(runs));
        Chromium chromium = new Chromium(tmp);
        String dom = chromium.dumpDom(html);
        assertThat(dom).contains("<title>Trend over 3 runs</title>").doesNotContain("pwned</title>");
        // The label is a table cell's text: escaped markup, the ESC character replaced.
        assertThat(dom).contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;\"q\" 'a' ]]&gt; &amp; \uFFFD[31mred");
        assertThat(dom.split("<script", -1)).as("only the page's own three script elements").hasSize(4);
        assertThat(dom.split("data-drawn=\"true\"", -1)).as("the charts were still drawn").hasSize(8);
        BufferedImage shot = chromium.screenshot(html, tmp.resolve("hostile.png"), 1200, 1500);
        assertThat(Chromium.points(shot, Chromium.rgb(TrendModel.DDP), 3)).isEqualTo(3);
    }
}
