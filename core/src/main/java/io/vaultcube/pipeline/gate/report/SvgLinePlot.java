package io.vaultcube.pipeline.gate.report;

import static io.vaultcube.pipeline.gate.report.Xml.escape;

import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.GpuSeries;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Measure;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Point;
import java.util.List;
import java.util.Locale;

/**
 * One inline SVG line plot of a measure over time: one {@code <path class="series">} per GPU (a
 * sampler gap is a break inside the path, never a second path), a legend, axes with round ticks,
 * optional dashed threshold lines, and throttle marks under the lines.
 */
final class SvgLinePlot {
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
        "#17becf"};
    private static final int WIDTH = 1100;
    private static final int HEIGHT = 260;
    private static final int LEFT = 64;
    private static final int RIGHT = 150;
    private static final int TOP = 16;
    private static final int BOTTOM = 34;

    /** A horizontal reference line: a gate's bound. */
    record Threshold(double value, String label) {
    }

    private SvgLinePlot() {
    }

    static String render(Measure measure, List<GpuSeries> gpus, double duration, List<Threshold> thresholds,
            boolean throttleMarks) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (GpuSeries g : gpus) {
            for (List<Point> segment : g.segments().getOrDefault(measure, List.of())) {
                for (Point p : segment) {
                    lo = Math.min(lo, p.value());
                    hi = Math.max(hi, p.value());
                }
            }
        }
        for (Threshold t : thresholds) {
            lo = Math.min(lo, t.value());
            hi = Math.max(hi, t.value());
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        double pad = (hi - lo) * 0.06;
        double step = niceStep((hi - lo + 2 * pad) / 5);
        double yMin = Math.floor((lo - pad) / step) * step;
        if (lo >= 0 && yMin < 0) {
            yMin = 0; // Temperatures, watts and clocks are not negative: no axis below zero.
        }
        double yMax = Math.ceil((hi + pad) / step) * step;
        double xMax = duration > 0 ? duration : 1;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"plot\" data-measure=\"").append(measure.name().toLowerCase(Locale.ROOT))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(escape(measure.title() + " per GPU over time"))
                .append("\">\n");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"#fff\" stroke=\"#999\"/>\n");
        // Y grid and labels.
        for (double v = yMin; v <= yMax + step / 2; v += step) {
            double y = TOP + plotH - (v - yMin) / (yMax - yMin) * plotH;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW).append("\" y1=\"")
                    .append(f(y)).append("\" y2=\"").append(f(y)).append("\" stroke=\"#e4e4e4\"/>");
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(escape(ValueFormat.number(v)))
                    .append("</text>\n");
        }
        svg.append("<text x=\"14\" y=\"").append(TOP + plotH / 2).append("\" font-size=\"12\" transform=\"rotate(-90 14 ")
                .append(TOP + plotH / 2).append(")\" text-anchor=\"middle\">")
                .append(escape(measure.title() + " (" + measure.unit() + ")")).append("</text>\n");
        // X ticks in hours, minutes or seconds.
        double unit = xMax >= 3 * 3600 ? 3600 : xMax >= 180 ? 60 : 1;
        String unitName = unit == 3600 ? "h" : unit == 60 ? "min" : "s";
        double xStep = niceStep(xMax / unit / 8) * unit;
        for (double t = 0; t <= xMax + xStep / 100; t += xStep) {
            double x = LEFT + t / xMax * plotW;
            svg.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#f0f0f0\"/>");
            svg.append("<text x=\"").append(f(x)).append("\" y=\"").append(TOP + plotH + 16)
                    .append("\" text-anchor=\"middle\" font-size=\"11\">")
                    .append(escape(ValueFormat.number(t / unit) + " " + unitName)).append("</text>\n");
        }
        for (Threshold t : thresholds) {
            double y = TOP + plotH - (t.value() - yMin) / (yMax - yMin) * plotH;
            svg.append("<line class=\"threshold\" x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + plotW)
                    .append("\" y1=\"").append(f(y)).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"#b00\" stroke-dasharray=\"6 4\"/>");
            svg.append("<text x=\"").append(LEFT + plotW - 4).append("\" y=\"").append(f(y - 4))
                    .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#b00\">").append(escape(t.label()))
                    .append("</text>\n");
        }
        for (int i = 0; i < gpus.size(); i++) {
            GpuSeries g = gpus.get(i);
            String color = COLORS[i % COLORS.length];
            StringBuilder d = new StringBuilder();
            for (List<Point> segment : g.segments().getOrDefault(measure, List.of())) {
                char op = 'M';
                for (Point p : segment) {
                    double x = LEFT + p.t() / xMax * plotW;
                    double y = TOP + plotH - (p.value() - yMin) / (yMax - yMin) * plotH;
                    d.append(op).append(f(x)).append(',').append(f(y));
                    op = 'L';
                }
            }
            if (d.length() == 0) {
                d.append("M0,0"); // No value for this GPU: an empty path keeps one path per GPU.
            }
            svg.append("<path class=\"series\" data-gpu=\"").append(escape(g.index())).append("\" fill=\"none\" stroke=\"")
                    .append(color).append("\" stroke-width=\"1.4\" stroke-linejoin=\"round\" d=\"").append(d)
                    .append("\"><title>").append(escape("GPU " + g.index())).append("</title></path>\n");
            if (throttleMarks) {
                double y = TOP + plotH - 4 - 5 * i;
                for (double[] span : g.throttleSpans()) {
                    double x1 = LEFT + span[0] / xMax * plotW;
                    double x2 = Math.max(x1 + 2, LEFT + span[1] / xMax * plotW);
                    svg.append("<rect class=\"throttle\" x=\"").append(f(x1)).append("\" y=\"").append(f(y - 3))
                            .append("\" width=\"").append(f(x2 - x1)).append("\" height=\"3\" fill=\"").append(color)
                            .append("\"><title>").append(escape("GPU " + g.index() + " throttled"))
                            .append("</title></rect>");
                }
            }
        }
        // Legend.
        int lx = LEFT + plotW + 14;
        for (int i = 0; i < gpus.size(); i++) {
            GpuSeries g = gpus.get(i);
            int ly = TOP + 12 + 18 * i;
            Double max = g.maxima().get(measure);
            svg.append("<line x1=\"").append(lx).append("\" x2=\"").append(lx + 18).append("\" y1=\"").append(ly - 4)
                    .append("\" y2=\"").append(ly - 4).append("\" stroke=\"").append(COLORS[i % COLORS.length])
                    .append("\" stroke-width=\"3\"/>");
            svg.append("<text x=\"").append(lx + 24).append("\" y=\"").append(ly).append("\" font-size=\"12\">")
                    .append(escape("GPU " + g.index() + (max == null ? "" : "  max " + ValueFormat.number(max))))
                    .append("</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0) || !Double.isFinite(raw)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
