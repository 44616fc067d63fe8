package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code nvidia-smi dmon} output (kind {@code dmon}): two {@code #} header lines (column names, then
 * units), repeated every so often; blank lines; {@code -} for a value the GPU does not report; with
 * {@code -o D}, {@code T} or {@code TD} a date and/or time prefix. Per GPU and numeric column, the
 * maximum (citing its line) and the mean, plus sample counts. A row whose column count differs from
 * the header is refused (a cut line), as is a row before any header.
 */
public final class DmonParser implements EvidenceParser {
    @Override
    public String kind() {
        return "dmon";
    }

    @Override
    public String description() {
        return "nvidia-smi dmon output (also -o TD): per GPU and column the max and mean; '-' is not measured";
    }

    private static final class Stat {
        double max = Double.NaN;
        long maxLine;
        double sum;
        long n;
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        Fields f = new Fields();
        List<String> names = null;
        List<String> metricNames = null;
        int gpuCol = -1;
        long rows = 0;
        Map<Long, Map<Integer, Stat>> stats = new TreeMap<>();
        Map<Long, Long> samples = new TreeMap<>();
        String pendingNames = null;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                String text = lines.text();
                if (text.startsWith("#")) {
                    if (pendingNames == null) {
                        pendingNames = text;
                    } else {
                        List<String> n = tokens(pendingNames);
                        List<String> u = tokens(text);
                        if (n.size() != u.size()) {
                            throw lines.error("the units line has " + u.size() + " columns, the names line " + n.size());
                        }
                        if (names != null && !names.equals(n)) {
                            throw lines.error("the columns changed in a repeated header");
                        }
                        names = n;
                        metricNames = new ArrayList<>();
                        for (int i = 0; i < n.size(); i++) {
                            metricNames.add(metricName(n.get(i), u.get(i)));
                        }
                        gpuCol = n.indexOf("gpu");
                        if (gpuCol < 0) {
                            throw lines.error("no gpu column in the dmon header");
                        }
                        pendingNames = null;
                    }
                    continue;
                }
                if (pendingNames != null) {
                    throw lines.error("a header line without its units line");
                }
                if (names == null) {
                    throw lines.error("a row before the dmon header (# gpu ...)");
                }
                int k = f.splitWhitespace(lines.bytes(), lines.start(), lines.end());
                if (k != names.size()) {
                    throw lines.error(k + " columns where the header has " + names.size() + ": cut short or garbled");
                }
                long gpu = f.integer(gpuCol);
                if (gpu < 0 || gpu > 1024) {
                    throw lines.error("not a GPU index: '" + f.text(gpuCol) + "'");
                }
                rows++;
                samples.merge(gpu, 1L, Long::sum);
                Map<Integer, Stat> g = stats.computeIfAbsent(gpu, x -> new TreeMap<>());
                for (int i = 0; i < k; i++) {
                    String col = names.get(i);
                    if (i == gpuCol || col.equals("date") || col.equals("time")) {
                        continue;
                    }
                    if (f.is(i, "-")) {
                        continue;
                    }
                    switch (Sentinels.classify(lines.bytes(), f.start(i), f.end(i))) {
                        case MISSING -> {
                            continue;
                        }
                        case FAULT -> throw lines.error("GPU fault: dmon reports " + f.text(i) + " for " + col);
                        default -> {
                        }
                    }
                    double v = f.number(i);
                    if (Double.isNaN(v)) {
                        throw lines.error("not a number for " + col + ": '" + f.text(i) + "'");
                    }
                    Stat s = g.computeIfAbsent(i, x -> new Stat());
                    if (Double.isNaN(s.max) || v > s.max) {
                        s.max = v;
                        s.maxLine = lines.lineNumber();
                    }
                    s.sum += v;
                    s.n++;
                }
            }
            if (rows == 0) {
                throw lines.errorAtEnd("no dmon row");
            }
            lines.requireNewlineAtEnd("nvidia-smi dmon");
        }
        MetricSet m = new MetricSet();
        m.add(Metric.number("dmon.samples", rows, null, input.whole()));
        m.add(Metric.number("dmon.gpus", stats.size(), null, input.whole()));
        for (Map.Entry<Long, Map<Integer, Stat>> e : stats.entrySet()) {
            MetricName base = MetricName.root("dmon").child("gpu").at(e.getKey());
            m.add(Metric.number(base.child("samples"), samples.get(e.getKey()), null, input.whole()));
            for (Map.Entry<Integer, Stat> c : e.getValue().entrySet()) {
                String[] nu = metricNames.get(c.getKey()).split(" ", 2);
                String unit = nu.length > 1 ? nu[1] : null;
                Stat s = c.getValue();
                m.add(Metric.number(base.child(nu[0]).child("max"), s.max, unit, input.at(s.maxLine)));
                m.add(Metric.number(base.child(nu[0]).child("mean"), Math.round(s.sum / s.n * 1e6) / 1e6, unit, input.whole()));
            }
        }
        return m;
    }

    /** The header's tokens without the leading '#': "#Date Time gpu" → [date, time, gpu]. */
    private static List<String> tokens(String header) {
        List<String> out = new ArrayList<>();
        for (String t : header.substring(1).trim().split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(t.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** "pwr" + "W" → "pwr_w W"; "sm" + "%" → "sm_pct %"; "rxpci" + "MB/s" → "rxpci_mb_s MB/s". */
    private static String metricName(String name, String unit) {
        String id = name.replaceAll("[^a-z0-9_]", "_");
        if (!Character.isLetter(id.charAt(0))) {
            id = "c_" + id;
        }
        String u = unit.equals("%") ? "pct" : unit.replace("/", "_").replaceAll("[^a-z0-9_]", "");
        String display = switch (unit) {
            case "w" -> "W";
            case "c" -> "C";
            case "mhz" -> "MHz";
            case "mb" -> "MB";
            case "mb/s" -> "MB/s";
            case "%" -> "%";
            default -> null;
        };
        if (u.isEmpty() || u.equals("idx")) {
            return id;
        }
        return id + "_" + u + (display == null ? "" : " " + display);
    }
}
