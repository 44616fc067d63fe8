package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.gate.GateRun;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path tmp;

    @Test
    void fetchesOnlyItsStylesheetAndEscapesEverything() throws Exception {
        String html = HtmlReport.render(ReportFixture.run(tmp, 3600, 10));
        // Nothing to fetch but report.css beside it: no script, no external URL (the SVG namespace is a
        // name, not a fetch); no inline style, which Jenkins' CSP (style-src 'self') would refuse.
        String linked = "<link rel=\"stylesheet\" href=\"report.css\">";
        assertThat(html).contains(linked);
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").replace(linked, "")).doesNotContainPattern(
                "(?i)<script|<link|<iframe|<object|<embed|<img|@import|url\\(|https?://|<[^>]*\\s(src|href)=|<style|\\sstyle=");
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                + " style-src 'self'; img-src data:\">");
        assertThat(HtmlReport.stylesheet()).contains(".failure{background:#c62828}").doesNotContain("url(", "@import");
        // The hostile GPU name from tool output is text, never markup.
        assertThat(html).doesNotContain("<img").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")
                .contains("32 GB per GPU &lt;b&gt;not bold&lt;/b&gt;").doesNotContain("\u0007");
        assertThat(html).contains("<h1>FAILURE</h1>", "gpu-memory (gpu[2])", "observed 31000 MiB &lt; min 32000 MiB",
                "gpu/q.csv:4");
        // Failed rows come first in the gate table.
        assertThat(html.indexOf("<tr class=\"failed\">")).isLessThan(html.indexOf("<tr class=\"passed\">"));
        assertThat(html.indexOf("<tr class=\"unstable\">")).isLessThan(html.indexOf("<tr class=\"skipped\">"));
        // GPU table and benchmarks.
        assertThat(html).contains("<section id=\"gpus\">", "<th>GPU 3</th>", "memory_total_mib",
                "<td class=\"failed\" title=\"gpu/q.csv:4\">31000 MiB</td>");
        assertThat(html).contains("<section id=\"benchmarks\">", "ddp-scaling", "min_ratio 0.9 = 3240",
                "baseline 3600 tokens/s");
    }

    @Test
    void plotsOneLinePerGpuForTemperaturePowerAndClock() throws Exception {
        String html = HtmlReport.render(ReportFixture.run(tmp, 86_400, 5));
        List<String> plots = svgs(html, "plot");
        assertThat(plots).hasSize(3);
        assertThat(plots).extracting(p -> attribute(p, "data-measure")).containsExactly("temperature", "power",
                "sm_clock");
        for (String svg : plots) {
            List<String> paths = elements(svg, "path");
            assertThat(paths).as("one line per GPU").hasSize(4);
            assertThat(paths).extracting(p -> attribute(p, "data-gpu")).containsExactly("0", "1", "2", "3");
            assertThat(paths).allSatisfy(p -> {
                assertThat(p).contains("class=\"series\"");
                String d = attribute(p, "d");
                assertThat(d.chars().filter(c -> c == 'M').count()).as("the gap breaks the line, once").isEqualTo(2);
                assertThat(d.chars().filter(c -> c == 'L').count()).isBetween(100L, 720L);
            });
        }
        // The temperature plot shows the gate's bound, the clock plot GPU 2's throttling.
        assertThat(plots.get(0)).contains("class=\"threshold\"", "stress-temperature: max 85");
        assertThat(elements(plots.get(2), "rect").stream().filter(r -> r.contains("class=\"throttle\"")).toList())
                .isNotEmpty().allSatisfy(r -> assertThat(r).contains("fill=\"" + SvgLinePlot.COLORS[2] + "\""));
        assertThat(plots.get(2)).contains("<title>GPU 2 throttled</title>").doesNotContain("GPU 0 throttled");
        assertThat(plots.get(0)).containsPattern("GPU 2  max 9[0-9]<"); // the legend shows how hot it ran
        // A day of four GPUs stays small.
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(400_000);
    }

    @Test
    void saysSoWhenThereIsNoTelemetry() throws Exception {
        GateRun run = ReportFixture.run(tmp, 3600, 10);
        Files.delete(run.evidence().root().resolve("stress/telemetry.csv"));
        String html = HtmlReport.render(run);
        assertThat(html).contains("No stress telemetry: stress/telemetry.csv is not in the evidence.");
        assertThat(svgs(html, "plot")).isEmpty();
    }

    /** Renders the report in headless Chromium and checks the screenshot shows it (verdict colour, plot lines). */
    @Test
    @org.junit.jupiter.api.Tag("slow") // starts a real tool: left out of ./test.sh --fast
    void rendersInHeadlessChromium() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(Files.isExecutable(chromium)).as("chromium is not installed: ./test.sh installs it "
                + "(tests/prerequisites.txt); on Debian: apt-get install chromium").isTrue();
        Path html = tmp.resolve("report.html");
        HtmlReport.write(html, ReportFixture.run(tmp, 86_400, 5));
        assertThat(tmp.resolve(HtmlReport.CSS_FILE)).isRegularFile();
        Path png = tmp.resolve("report.png");
        Path profile = Files.createDirectories(tmp.resolve("chromium-profile"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProcessResult result = new ProcessRunner().run(ProcessSpec.builder(chromium.toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--screenshot=" + png, "--window-size=1400,2000", html.toUri().toString())
                .workingDirectory(tmp).timeout(Duration.ofMinutes(3)).graces(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .console(log).mergeStderr(true).build());
        assertThat(result.succeeded()).as("chromium: " + log.toString(StandardCharsets.UTF_8)).isTrue();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG screenshot").isNotNull();
        assertThat(image.getWidth()).isEqualTo(1400);
        int nonWhite = 0;
        int verdictRed = 0;
        int plotBlue = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r < 240 || g < 240 || b < 240) {
                    nonWhite++;
                }
                if (y < 80 && near(r, g, b, 0xc6, 0x28, 0x28)) {
                    verdictRed++;
                }
                if (near(r, g, b, 0x1f, 0x77, 0xb4)) {
                    plotBlue++;
                }
            }
        }
        int total = image.getWidth() * image.getHeight();
        assertThat(nonWhite).as("not blank").isGreaterThan(total / 20);
        assertThat(verdictRed).as("the FAILURE banner").isGreaterThan(1400 * 40);
        // The 2000-pixel window shows the top of the report; the plots come further down, so render them alone.
        Path plotOnly = tmp.resolve("plot.html");
        String report = Files.readString(html);
        String svg = report.substring(report.indexOf("<svg class=\"plot\""), report.indexOf("</svg>",
                report.indexOf("<svg class=\"plot\"")) + 6);
        ReportFiles.write(plotOnly, "<!DOCTYPE html><html><body>" + svg + "</body></html>");
        Path plotPng = tmp.resolve("plot.png");
        ProcessResult second = new ProcessRunner().run(ProcessSpec.builder(chromium.toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--screenshot=" + plotPng, "--window-size=1200,400", plotOnly.toUri().toString())
                .workingDirectory(tmp).timeout(Duration.ofMinutes(3)).graces(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .console(log).mergeStderr(true).build());
        assertThat(second.succeeded()).as("chromium: " + log.toString(StandardCharsets.UTF_8)).isTrue();
        BufferedImage plot = ImageIO.read(plotPng.toFile());
        int[] colours = new int[SvgLinePlot.COLORS.length];
        for (int y = 0; y < plot.getHeight(); y++) {
            for (int x = 0; x < plot.getWidth(); x++) {
                int rgb = plot.getRGB(x, y) & 0xffffff;
                for (int i = 0; i < 4; i++) {
                    int c = Integer.parseInt(SvgLinePlot.COLORS[i].substring(1), 16);
                    if (near(rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff, c >> 16, (c >> 8) & 0xff, c & 0xff)) {
                        colours[i]++;
                    }
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(colours[i]).as("pixels of GPU " + i + "'s line").isGreaterThan(300);
        }
        assertThat(plotBlue + colours[0]).isPositive();
    }

    private static boolean near(int r, int g, int b, int r0, int g0, int b0) {
        return Math.abs(r - r0) < 24 && Math.abs(g - g0) < 24 && Math.abs(b - b0) < 24;
    }

    static List<String> svgs(String html, String cls) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<svg class=\"" + cls + "\".*?</svg>", Pattern.DOTALL).matcher(html);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static List<String> elements(String svg, String tag) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "\\b[^>]*>").matcher(svg);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static String attribute(String element, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(element);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in " + element);
        }
        return m.group(1);
    }
}
