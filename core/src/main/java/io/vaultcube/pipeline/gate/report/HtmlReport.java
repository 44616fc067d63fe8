package io.vaultcube.pipeline.gate.report;

import static io.vaultcube.pipeline.gate.report.Xml.escape;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.Condition;
import io.vaultcube.pipeline.gate.GateReport;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.GateSpec;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.gate.StageInfo;
import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.GpuSeries;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Measure;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Plot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * The verdict as one self-contained HTML file: no script, no external style, font or image (a
 * Content-Security-Policy says so to the browser too). It shows the verdict, the gate table (failed
 * first), the GPU table, benchmark figures against their thresholds, and for each stage with a
 * {@code telemetry.csv} (the stress test first) inline SVG plots of temperature, power and SM clock
 * per GPU over time. Every text that comes from evidence or policy is escaped.
 */
public final class HtmlReport {
    /** The raw telemetry file a stage keeps (docs/evidence.md), plotted when present. */
    public static final String TELEMETRY_FILE = "telemetry.csv";
    /** Subjects whose metrics are benchmark figures. */
    static final Set<String> BENCHMARK_SUBJECTS =
            Set.of("ddp", "vllm", "tensorflow", "nccl", "gpu_burn", "dcgm", "stress_gpus");

    private final GateRun run;
    private final GateReport report;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    private HtmlReport(GateRun run) {
        this.run = run;
        this.report = run.report();
    }

    public static String render(GateRun run) {
        return new HtmlReport(run).document();
    }

    private String document() {
        String verdict = report.verdict().name();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "style-src 'unsafe-inline'; img-src data:\">\n");
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.append("<title>").append(escape("Gate " + verdict + ": " + report.policyName())).append("</title>\n");
        out.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        out.append("<header class=\"verdict ").append(verdict.toLowerCase(Locale.ROOT)).append("\">\n<h1>")
                .append(escape(verdict)).append("</h1>\n<p>Policy <b>").append(escape(report.policyName()))
                .append("</b>: ").append(escape(report.summary())).append("</p>\n</header>\n");
        runInfo();
        stages();
        gates();
        gpus();
        benchmarks();
        telemetry();
        out.append("<footer>Written by vault gate. Schema ").append(escape(GateReport.SCHEMA))
                .append("; every value above cites the evidence file it was read from.</footer>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    private void runInfo() {
        out.append("<section id=\"run\">\n<table class=\"facts\">\n");
        fact("Policy", report.policyFile() + (run.policy().description() == null ? ""
                : " — " + run.policy().description()));
        fact("Policy SHA-256", report.policySha256());
        fact("Evidence", report.evidence());
        fact("Baseline", report.baseline() == null ? "none" : report.baseline());
        fact("Evaluated", report.evaluated().toString());
        out.append("</table>\n</section>\n");
    }

    private void fact(String name, String value) {
        out.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private void stages() {
        if (report.stages().isEmpty()) {
            return;
        }
        out.append("<section id=\"stages\">\n<h2>Stages</h2>\n<table>\n<tr><th>Stage</th><th>Status</th>"
                + "<th>Metrics</th><th>Notes</th></tr>\n");
        for (StageInfo s : report.stages()) {
            String status = s.status() == null ? "no stage.json" : s.status().name();
            String cls = s.status() == StageStatus.FAILED || s.status() == StageStatus.ABORTED ? "failed"
                    : s.status() == StageStatus.RECORDED ? "unstable" : "";
            List<String> notes = new ArrayList<>();
            if (s.recordedFrom() != null) {
                notes.add("recorded evidence from " + s.recordedFrom() + ", not measured in this run");
            }
            notes.addAll(s.messages());
            out.append("<tr class=\"").append(cls).append("\"><td>").append(escape(s.stage())).append("</td><td>")
                    .append(escape(status)).append("</td><td>").append(s.hasMetrics() ? "yes" : "none")
                    .append("</td><td>").append(escape(String.join("; ", notes))).append("</td></tr>\n");
        }
        out.append("</table>\n</section>\n");
    }

    private void gates() {
        boolean baseline = report.gates().stream().anyMatch(r -> r.baseline() != null);
        out.append("<section id=\"gates\">\n<h2>Gates</h2>\n<table class=\"gates\">\n<tr><th>Status</th><th>Gate</th>"
                + "<th>Metric</th><th>Observed</th><th>Condition</th>");
        if (baseline) {
            out.append("<th>Baseline</th>");
        }
        out.append("<th>Message</th><th>Source</th></tr>\n");
        for (GateResult r : report.rowsFailedFirst()) {
            out.append("<tr class=\"").append(r.status().name().toLowerCase(Locale.ROOT)).append("\"><td>")
                    .append(escape(r.status().name())).append("</td><td class=\"gate\">").append(escape(r.testName()));
            if (r.description() != null) {
                out.append("<div class=\"desc\">").append(escape(r.description())).append("</div>");
            }
            out.append("</td><td><code>").append(escape(r.metric())).append("</code></td><td>")
                    .append(r.observed() == null ? "—" : escape(ValueFormat.value(r.observed(), r.unit())))
                    .append("</td><td>").append(escape(r.condition())).append(r.severity().label().equals("unstable")
                            ? " <span class=\"sev\">(unstable)</span>" : "")
                    .append("</td>");
            if (baseline) {
                out.append("<td>").append(r.baseline() == null ? "" : escape(ValueFormat.number(r.baseline(),
                        r.unit()))).append("</td>");
            }
            out.append("<td class=\"msg\">").append(escape(r.message())).append("</td><td><code>")
                    .append(r.source() == null ? "" : escape(r.source().toString())).append("</code></td></tr>\n");
        }
        out.append("</table>\n</section>\n");
    }

    /** Metric names that a failed or unstable row is about, to mark their cells. */
    private Set<String> failedMetrics() {
        Set<String> names = new HashSet<>();
        for (GateResult r : report.gates()) {
            if (r.failed()) {
                names.add(r.metric());
            }
        }
        return names;
    }

    private void gpus() {
        out.append("<section id=\"gpus\">\n<h2>GPUs</h2>\n");
        if (!entityTable(List.of("gpu"), "GPU")) {
            out.append("<p class=\"missing\">No per-GPU metrics (gpu[i].*) in the evidence.</p>\n");
        }
        out.append("</section>\n");
    }

    /**
     * A table with one column per entity key and one row per property of the metrics under
     * {@code prefix[KEY].}; returns false when there is none.
     */
    private boolean entityTable(List<String> prefix, String entityWord) {
        MetricSet metrics = run.metrics();
        Map<String, Map<String, Metric>> byProperty = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (Metric m : metrics) {
            List<MetricName.Segment> s = m.name().segments();
            if (s.size() <= prefix.size()) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < prefix.size(); i++) {
                boolean last = i == prefix.size() - 1;
                if (!s.get(i).identifier().equals(prefix.get(i)) || s.get(i).hasKey() != last) {
                    match = false;
                    break;
                }
            }
            if (!match) {
                continue;
            }
            String key = s.get(prefix.size() - 1).key();
            StringBuilder head = new StringBuilder();
            for (int i = 0; i < prefix.size() - 1; i++) {
                head.append(prefix.get(i)).append('.');
            }
            head.append(prefix.get(prefix.size() - 1)).append('[').append(MetricName.escapeKey(key)).append("].");
            String property = m.name().toString().substring(head.length());
            if (!keys.contains(key)) {
                keys.add(key);
            }
            byProperty.computeIfAbsent(property, p -> new HashMap<>()).put(key, m);
        }
        if (keys.isEmpty()) {
            return false;
        }
        keys.sort((a, b) -> {
            boolean na = a.chars().allMatch(Character::isDigit) && a.length() < 10;
            boolean nb = b.chars().allMatch(Character::isDigit) && b.length() < 10;
            return na && nb ? Integer.compare(Integer.parseInt(a), Integer.parseInt(b)) : a.compareTo(b);
        });
        Set<String> failed = failedMetrics();
        out.append("<table class=\"entities\">\n<tr><th></th>");
        for (String k : keys) {
            out.append("<th>").append(escape(entityWord + " " + k)).append("</th>");
        }
        out.append("</tr>\n");
        for (Map.Entry<String, Map<String, Metric>> row : new TreeMap<>(byProperty).entrySet()) {
            out.append("<tr><th>").append(escape(row.getKey())).append("</th>");
            for (String k : keys) {
                Metric m = row.getValue().get(k);
                if (m == null) {
                    out.append("<td class=\"none\">—</td>");
                } else {
                    out.append("<td").append(failed.contains(m.name().toString()) ? " class=\"failed\"" : "")
                            .append(" title=\"").append(escape(m.source() == null ? "" : m.source().toString()))
                            .append("\">").append(escape(show(m))).append("</td>");
                }
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
        return true;
    }

    private static String show(Metric m) {
        if (m.value() instanceof MetricValue.Text t) {
            return t.value();
        }
        return ValueFormat.value(m.value(), m.unit());
    }

    private void benchmarks() {
        out.append("<section id=\"benchmarks\">\n<h2>Benchmarks</h2>\n");
        Map<String, GateSpec> specs = new HashMap<>();
        run.policy().gates().forEach(g -> specs.put(g.id(), g));
        boolean any = false;
        for (GateResult r : report.gates()) {
            GateSpec spec = specs.get(r.id());
            if (spec == null || !BENCHMARK_SUBJECTS.contains(spec.subject())
                    || !(r.observed() instanceof MetricValue.Num n)) {
                continue;
            }
            List<double[]> marks = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (Condition c : spec.conditions()) {
                OptionalDouble threshold = c.threshold(r.baseline());
                if (threshold.isPresent()) {
                    double at = threshold.getAsDouble();
                    marks.add(new double[] {at});
                    labels.add(c.describe() + (c.usesBaseline() ? " = " + ValueFormat.number(at) : ""));
                }
            }
            if (!any) {
                out.append("<table class=\"bars\">\n");
                any = true;
            }
            out.append("<tr class=\"").append(r.status().name().toLowerCase(Locale.ROOT)).append("\"><th>")
                    .append(escape(r.testName())).append("<div class=\"desc\"><code>").append(escape(r.metric()))
                    .append("</code></div></th><td>").append(bar(n.value(), r.unit(), marks, labels, r.baseline(),
                            r.status())).append("</td><td>").append(escape(ValueFormat.number(n.value(), r.unit())))
                    .append(labels.isEmpty() ? "" : "<div class=\"desc\">" + escape(String.join(", ", labels))
                            + (r.baseline() == null ? "" : "; baseline " + escape(ValueFormat.number(r.baseline(),
                                    r.unit()))) + "</div>")
                    .append("</td><td>").append(escape(r.status().name())).append("</td></tr>\n");
        }
        if (any) {
            out.append("</table>\n");
        }
        // Every benchmark figure, gated or not.
        List<Metric> figures = new ArrayList<>();
        for (Metric m : run.metrics()) {
            if (BENCHMARK_SUBJECTS.contains(m.name().segments().get(0).identifier())) {
                figures.add(m);
            }
        }
        if (figures.isEmpty()) {
            out.append("<p class=\"missing\">No benchmark metrics in the evidence.</p>\n");
        } else {
            Set<String> failed = failedMetrics();
            out.append("<details><summary>All benchmark figures (").append(figures.size())
                    .append(")</summary>\n<table>\n<tr><th>Metric</th><th>Value</th><th>Source</th></tr>\n");
            for (Metric m : figures) {
                out.append("<tr").append(failed.contains(m.name().toString()) ? " class=\"failed\"" : "")
                        .append("><td><code>").append(escape(m.name().toString())).append("</code></td><td>")
                        .append(escape(show(m))).append("</td><td><code>")
                        .append(escape(m.source() == null ? "" : m.source().toString())).append("</code></td></tr>\n");
            }
            out.append("</table>\n</details>\n");
        }
        out.append("</section>\n");
    }

    /** A horizontal bar of the observed value with a tick at each threshold (and the baseline in grey). */
    private static String bar(double value, String unit, List<double[]> marks, List<String> labels, Double baseline,
            GateStatus status) {
        double top = Math.max(Math.abs(value), baseline == null ? 0 : baseline);
        for (double[] m : marks) {
            top = Math.max(top, Math.abs(m[0]));
        }
        top = top <= 0 ? 1 : top * 1.15;
        int w = 560;
        int h = 30;
        String color = status == GateStatus.PASSED ? "#3a8f3a" : status == GateStatus.SKIPPED ? "#999"
                : status == GateStatus.UNSTABLE ? "#d08a00" : "#c62828";
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w + 4)
                .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(w + 4).append(' ').append(h)
                .append("\">");
        double bw = Math.max(0, value) / top * w;
        svg.append("<rect x=\"0\" y=\"6\" width=\"").append(String.format(Locale.ROOT, "%.1f", bw))
                .append("\" height=\"14\" fill=\"").append(color).append("\"/>");
        if (baseline != null) {
            double x = baseline / top * w;
            svg.append("<line x1=\"").append(String.format(Locale.ROOT, "%.1f", x)).append("\" x2=\"")
                    .append(String.format(Locale.ROOT, "%.1f", x))
                    .append("\" y1=\"2\" y2=\"24\" stroke=\"#888\" stroke-width=\"2\"><title>")
                    .append(escape("baseline " + ValueFormat.number(baseline, unit))).append("</title></line>");
        }
        for (int i = 0; i < marks.size(); i++) {
            double x = marks.get(i)[0] / top * w;
            svg.append("<line class=\"threshold\" x1=\"").append(String.format(Locale.ROOT, "%.1f", x))
                    .append("\" x2=\"").append(String.format(Locale.ROOT, "%.1f", x))
                    .append("\" y1=\"0\" y2=\"26\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"3 2\"><title>")
                    .append(escape(labels.get(i))).append("</title></line>");
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private void telemetry() {
        out.append("<section id=\"telemetry\">\n<h2>Stress test telemetry</h2>\n");
        List<StageEvidence> withTelemetry = new ArrayList<>();
        try {
            for (StageEvidence s : run.evidence().stages()) {
                if (Files.isRegularFile(s.file(TELEMETRY_FILE))) {
                    if (s.name().equals("stress")) {
                        withTelemetry.add(0, s);
                    } else {
                        withTelemetry.add(s);
                    }
                }
            }
        } catch (IOException e) {
            out.append("<p class=\"missing\">Cannot list the evidence stages: ").append(escape(e.getMessage()))
                    .append("</p>\n</section>\n");
            return;
        }
        if (withTelemetry.isEmpty() || !withTelemetry.get(0).name().equals("stress")) {
            out.append("<p class=\"missing\">No stress telemetry: stress/").append(TELEMETRY_FILE)
                    .append(" is not in the evidence.</p>\n");
        }
        for (StageEvidence s : withTelemetry) {
            plots(s);
        }
        if (entityHeader()) {
            entityTable(List.of("telemetry", "gpu"), "GPU");
        }
        out.append("</section>\n");
    }

    private boolean entityHeader() {
        for (Metric m : run.metrics()) {
            List<MetricName.Segment> s = m.name().segments();
            if (s.size() > 2 && s.get(0).identifier().equals("telemetry") && s.get(1).identifier().equals("gpu")
                    && s.get(1).hasKey()) {
                out.append("<h3>Telemetry summary per GPU (from the telemetry parser)</h3>\n");
                return true;
            }
        }
        return false;
    }

    private void plots(StageEvidence stage) {
        String file = stage.name() + "/" + TELEMETRY_FILE;
        out.append("<h3>").append(escape(stage.name().equals("stress") ? "Stress test" : "Stage " + stage.name()))
                .append(" — <code>").append(escape(file)).append("</code></h3>\n");
        Plot plot;
        try {
            plot = TelemetryPlotReader.read(stage.file(TELEMETRY_FILE));
        } catch (IOException e) {
            out.append("<p class=\"missing\">Cannot read ").append(escape(file)).append(": ")
                    .append(escape(e.getMessage())).append("</p>\n");
            return;
        }
        out.append("<p>").append(plot.rows()).append(" samples from ").append(escape(plot.start() == null ? "?"
                : plot.start())).append(" over ").append(escape(duration(plot.durationS()))).append(", ")
                .append(plot.gpus().size()).append(" GPU(s)");
        if (plot.skipped() > 0) {
            out.append("; <span class=\"warn\">").append(plot.skipped()).append(" unreadable line(s) skipped: ")
                    .append(escape(String.join("; ", plot.problems()))).append("</span>");
        }
        out.append(". Lines show each interval's minimum and maximum; a break is a gap in sampling.</p>\n");
        if (plot.gpus().isEmpty()) {
            out.append("<p class=\"missing\">No samples to plot.</p>\n");
            return;
        }
        out.append("<table class=\"entities\">\n<tr><th>GPU</th><th>UUID</th><th>Samples</th><th>Max temperature</th>"
                + "<th>Max power</th><th>Throttled samples (0x08, 0x20, 0x40, 0x80)</th></tr>\n");
        for (GpuSeries g : plot.gpus()) {
            Double t = g.maxima().get(Measure.TEMPERATURE);
            Double p = g.maxima().get(Measure.POWER);
            out.append("<tr><td>").append(escape(g.index())).append("</td><td><code>")
                    .append(escape(g.uuid() == null ? "" : g.uuid())).append("</code></td><td>").append(g.samples())
                    .append("</td><td>").append(t == null ? "—" : escape(ValueFormat.number(t, "°C")))
                    .append("</td><td>").append(p == null ? "—" : escape(ValueFormat.number(p, "W"))).append("</td><td")
                    .append(g.throttledSamples() > 0 ? " class=\"failed\"" : "").append(">")
                    .append(g.throttledSamples()).append("</td></tr>\n");
        }
        out.append("</table>\n");
        for (Measure m : Measure.values()) {
            out.append("<figure>\n<figcaption>").append(escape(m.title() + " per GPU (" + m.unit() + ")"))
                    .append(m == Measure.SM_CLOCK ? escape(" — marks under the lines: throttling") : "")
                    .append("</figcaption>\n");
            if (!plot.measures().contains(m)) {
                out.append("<p class=\"missing\">The file has no column for this.</p>\n</figure>\n");
                continue;
            }
            out.append(SvgLinePlot.render(m, plot.gpus(), plot.durationS(), thresholds(stage, m),
                    m == Measure.SM_CLOCK));
            out.append("</figure>\n");
        }
    }

    /** Bounds of gates on the stress test's temperature summary, drawn on its temperature plot. */
    private List<SvgLinePlot.Threshold> thresholds(StageEvidence stage, Measure m) {
        List<SvgLinePlot.Threshold> lines = new ArrayList<>();
        if (m != Measure.TEMPERATURE || !stage.name().equals("stress")) {
            return lines;
        }
        for (GateSpec g : run.policy().gates()) {
            String metric = g.metric().toString();
            if (!metric.equals("telemetry.temperature_c.max") && !metric.equals("telemetry.temperature_c.p99")) {
                continue;
            }
            for (Condition c : g.conditions()) {
                // An upper line of the temperature itself (not a factor of a baseline) is drawn on its plot.
                c.limit().filter(l -> l.side() == Condition.Side.UPPER && !l.ofBaseline())
                        .ifPresent(l -> lines.add(new SvgLinePlot.Threshold(l.value(), g.id() + ": " + c.describe())));
            }
        }
        return lines;
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }

    private static final String CSS = String.join("\n",
            "body{font-family:-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;margin:0 24px 24px;"
                    + "color:#1b1b1b;background:#fafafa;font-size:14px}",
            "header.verdict{margin:0 -24px 16px;padding:14px 24px;color:#fff}",
            "header.verdict h1{margin:0;font-size:30px;letter-spacing:1px}",
            "header.verdict p{margin:4px 0 0;font-size:15px}",
            ".success{background:#2e7d32}.unstable{background:#c77700}.failure{background:#c62828}",
            "h2{border-bottom:2px solid #ccc;padding-bottom:4px;margin-top:28px}",
            "table{border-collapse:collapse;background:#fff;margin:8px 0}",
            "th,td{border:1px solid #d6d6d6;padding:4px 8px;text-align:left;vertical-align:top}",
            "th{background:#f0f0f0}",
            "table.facts th{width:140px}",
            "table.gates{width:100%}table.gates code{overflow-wrap:anywhere}table.gates td:first-child{white-space:nowrap}"
                    + "td.gate{min-width:180px}td.msg{min-width:220px}",
            "tr.failed td,td.failed{background:#fde2e2}",
            "tr.unstable td{background:#fff0d0}",
            "tr.skipped td{color:#666;background:#f4f4f4}",
            "tr.failed td:first-child{color:#b71c1c;font-weight:bold}",
            "tr.unstable td:first-child{color:#8a5300;font-weight:bold}",
            "tr.passed td:first-child{color:#2e7d32}",
            ".desc{color:#555;font-size:12px;font-weight:normal;max-width:360px}",
            ".sev{color:#8a5300;font-size:12px}",
            ".missing{color:#666;font-style:italic}",
            ".warn{color:#b00}",
            "code{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px}",
            "td.none{color:#aaa}",
            "figure{margin:12px 0}figcaption{font-weight:bold;margin-bottom:4px}",
            "svg.plot{background:#fff;border:1px solid #ddd;max-width:100%;height:auto}",
            "details{margin:8px 0}",
            "footer{margin-top:32px;color:#777;font-size:12px}",
            "");
}
