package io.vaultcube.pipeline.gate.report.trend;

import static io.vaultcube.pipeline.gate.report.Xml.escape;

import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.gate.report.ReportFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The trend as an HTML page with its files beside it: {@value #SCRIPT_FILE} (draws the charts),
 * {@value #CSS_FILE}, and {@value #ECHARTS_FILE} (Apache ECharts, from the npm package as the
 * {@code org.webjars.npm:echarts} jar ships it). Nothing is loaded from elsewhere, and the page has no
 * inline script or style (its Content-Security-Policy says {@code script-src 'self'; style-src
 * 'self'}): the model is a {@code <script type="application/json">} data block that the script reads
 * and never executes, with {@code <}, {@code >} and {@code &} written as JSON escapes so no tool
 * value can close it. The runs are also a table of text, escaped, readable without script.
 */
public final class TrendHtml {
    public static final String SCRIPT_FILE = "trend.js";
    public static final String CSS_FILE = "trend.css";
    public static final String ECHARTS_FILE = "echarts.min.js";
    /** The id of the data block holding the model; {@value #SCRIPT_FILE} reads it. */
    public static final String MODEL_ID = "vault-trend-model";
    /** The id prefix of the element each chart is drawn into ({@code vault-trend-chart-gates}, ...). */
    public static final String CHART_ID_PREFIX = "vault-trend-chart-";

    private static final String WEBJAR = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private TrendHtml() {
    }

    /** Writes the page as {@code htmlFile} and its script, stylesheet and ECharts beside it. */
    public static void write(Path htmlFile, TrendModel model) throws IOException {
        Path dir = htmlFile.toAbsolutePath().getParent();
        ReportFiles.write(dir.resolve(SCRIPT_FILE), resource(SCRIPT_FILE));
        ReportFiles.write(dir.resolve(CSS_FILE), resource(CSS_FILE));
        copyEcharts(dir.resolve(ECHARTS_FILE));
        ReportFiles.write(htmlFile, render(model));
    }

    /** The page's markup; it loads the files {@link #write} puts beside it. */
    public static String render(TrendModel model) {
        StringBuilder out = new StringBuilder(16 * 1024);
        int n = model.getRuns().size();
        String title = "Trend over " + n + (n == 1 ? " run" : " runs");
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "script-src 'self'; style-src 'self'; img-src data:\">\n");
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.append("<title>").append(escape(title)).append("</title>\n");
        out.append("<link rel=\"stylesheet\" href=\"").append(CSS_FILE).append("\">\n</head>\n<body>\n");
        out.append("<header><h1>").append(escape(title)).append("</h1>\n<p>Each point is one run's figure; a gap"
                + " is a run without that figure. Oldest run on the left.</p>\n</header>\n");
        out.append("<main class=\"charts\">\n");
        for (TrendModel.Chart c : model.getCharts()) {
            out.append("<section class=\"chart\"><h2>").append(escape(c.title()))
                    .append(c.unit() == null ? "" : " <span class=\"unit\">(" + escape(c.unit()) + ")</span>")
                    .append("</h2>\n<div class=\"trend-chart\" id=\"").append(CHART_ID_PREFIX).append(escape(c.id()))
                    .append("\" role=\"img\" aria-label=\"").append(escape(c.title())).append(" per run\"></div>\n")
                    .append("</section>\n");
        }
        out.append("</main>\n");
        runTable(out, model.getRuns());
        out.append("<script type=\"application/json\" id=\"").append(MODEL_ID).append("\">")
                .append(scriptSafeJson(model.toJson())).append("</script>\n");
        out.append("<script src=\"").append(ECHARTS_FILE).append("\"></script>\n");
        out.append("<script src=\"").append(SCRIPT_FILE).append("\"></script>\n");
        out.append("<footer>Written by vault report trend. Model schema ").append(TrendModel.SCHEMA)
                .append("; charts drawn by Apache ECharts ").append(escape(echartsVersion())).append(".</footer>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private static void runTable(StringBuilder out, List<RunFigures> runs) {
        out.append("<section id=\"runs\">\n<h2>Runs</h2>\n<table>\n<tr><th>Run</th><th>Time</th><th>Verdict</th>"
                + "<th>Policy</th><th>Passed</th><th>Unstable</th><th>Failed</th>");
        for (KeyFigure k : KeyFigure.values()) {
            out.append("<th>").append(escape(k.label())).append("</th>");
        }
        out.append("<th>Duration</th><th>Recorded stages</th></tr>\n");
        for (RunFigures r : runs) {
            String verdict = r.getVerdict();
            out.append("<tr><td class=\"run\">").append(escape(r.getLabel())).append("</td><td>")
                    .append(r.getTime() == null ? "—" : escape(r.getTime().toString())).append("</td><td class=\"")
                    .append(verdict == null ? "none" : escape(verdict.toLowerCase(Locale.ROOT))).append("\">")
                    .append(verdict == null ? "no gate report" : escape(verdict)).append("</td><td>")
                    .append(r.getPolicy() == null ? "—" : escape(r.getPolicy())).append("</td>");
            cell(out, r.getPassed() == null ? null : (double) r.getPassed(), null);
            cell(out, r.getUnstable() == null ? null : (double) r.getUnstable(), null);
            cell(out, r.getFailed() == null ? null : (double) r.getFailed(), null);
            for (KeyFigure k : KeyFigure.values()) {
                cell(out, r.figure(k), "ratio".equals(k.unit()) ? null : k.unit());
            }
            out.append("<td>").append(r.getDurationSeconds() == null ? "—"
                    : escape(ValueFormat.number(r.getDurationSeconds(), "s"))).append("</td>");
            out.append("<td>").append(r.getRecordedStages().isEmpty() ? "none"
                    : escape(String.join(", ", r.getRecordedStages()) + " (recorded evidence, not measured in"
                            + " this run)")).append("</td></tr>\n");
        }
        out.append("</table>\n</section>\n");
    }

    private static void cell(StringBuilder out, Double value, String unit) {
        out.append("<td class=\"num\">").append(value == null ? "—"
                : escape(ValueFormat.number(value, unit)))
                .append("</td>");
    }

    /**
     * JSON that can stand inside a {@code <script>} element: {@code <}, {@code >} and {@code &}
     * occur in JSON only inside strings, where their {@code \\u} escapes mean the same.
     */
    public static String scriptSafeJson(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** The page's script or stylesheet, from the classpath. */
    public static String resource(String name) {
        try (InputStream in = TrendHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ECharts version on the classpath (the webjar's). */
    public static String echartsVersion() {
        try (InputStream in = TrendHtml.class.getClassLoader().getResourceAsStream(WEBJAR)) {
            if (in == null) {
                throw new IllegalStateException("ECharts (org.webjars.npm:echarts) is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the webjar's {@code dist/echarts.min.js} to {@code target}, whole or not at all. */
    public static void copyEcharts(Path target) throws IOException {
        String path = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/dist/" + ECHARTS_FILE;
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (InputStream in = TrendHtml.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + path + " is missing from the build");
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
