package io.vaultcube.pipeline.gate.report;

import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.Quantity;
import io.vaultcube.pipeline.parse.nvidia.NvidiaCodes;
import io.vaultcube.pipeline.parse.nvidia.TelemetryRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the sampler's telemetry CSV (sample-telemetry.sh's CSV, docs/gpu-validation.md: nvidia-smi's own looped
 * {@code --query-gpu} CSV) for the HTML report's plots only: temperature, power and SM clock per
 * GPU over time, and the samples whose clock event reasons show throttling (0x08, 0x20, 0x40,
 * 0x80). It streams the file once and keeps a bounded number of min/max buckets per GPU whatever
 * the file's length, so a 24 h × 4 GPU log gives a small plot with flat memory. The gates never
 * read this: their metrics come from the telemetry parser ({@code parse} package). It reads rows
 * with the parser's own reader ({@link TelemetryRows}: header, timestamp, sentinels, physical ranges)
 * and throttle bits by {@link NvidiaCodes}; where the parser fails the whole log, this reader
 * counts the line as skipped, says why, and goes on.
 */
public final class TelemetryPlotReader {
    /** Buckets per GPU: each becomes at most two points (its minimum and its maximum). */
    public static final int DEFAULT_BUCKETS = 360;
    private static final int MAX_GPUS = 64;
    private static final int MAX_PROBLEMS = 5;
    /** Gaps remembered per GPU to break the lines; more than this are not drawn as breaks. */
    private static final int MAX_GAPS = 1000;

    /** What is plotted. */
    public enum Measure {
        TEMPERATURE("Temperature", "°C", Quantity.TEMPERATURE_C),
        POWER("Power draw", "W", Quantity.POWER_W),
        SM_CLOCK("SM clock", "MHz", Quantity.CLOCK_MHZ);

        private final String title;
        private final String unit;
        private final Quantity quantity;

        Measure(String title, String unit, Quantity quantity) {
            this.title = title;
            this.unit = unit;
            this.quantity = quantity;
        }

        public String title() {
            return title;
        }

        public String unit() {
            return unit;
        }

        /** Its column in the current header, or -1. */
        int column(TelemetryRows.Columns c) {
            return switch (this) {
                case TEMPERATURE -> c.temperature;
                case POWER -> c.powerDraw;
                default -> c.smClock;
            };
        }
    }

    /** A plotted point: seconds since the first sample, and the value. */
    public record Point(double t, double value) {
    }

    /** A GPU's downsampled series. {@code segments} break where the sampler had a gap. */
    public record GpuSeries(String index, String uuid, long samples, Map<Measure, List<List<Point>>> segments,
            Map<Measure, Double> maxima, long throttledSamples, List<double[]> throttleSpans) {
    }

    /**
     * The plot data of one file.
     *
     * @param start the first sample's timestamp as written
     * @param durationS seconds from the first to the last sample
     * @param rows data rows read
     * @param skipped lines that were neither a header nor a readable row
     * @param problems the first few unreadable lines, with their line numbers
     * @param gpus one series per GPU, ordered by index
     * @param measures the measures the file has columns for
     */
    public record Plot(String start, double durationS, long rows, long skipped, List<String> problems,
            List<GpuSeries> gpus, List<Measure> measures) {
    }

    private final int buckets;
    /** The parser's row reader: one timestamp rule, one value rule for the gates and the plots. */
    private final TelemetryRows rows;
    private TelemetryRows.Columns columns;
    private double width = 1.0;
    private final Map<String, Gpu> gpus = new LinkedHashMap<>();
    private final List<Measure> measures = new ArrayList<>();
    private long t0Millis = Long.MIN_VALUE;
    private double tMax;
    private String start;
    private long count;
    private long skipped;
    private final List<String> problems = new ArrayList<>();

    private TelemetryPlotReader(int buckets, String source) {
        this.buckets = buckets;
        this.rows = new TelemetryRows(source);
    }

    public static Plot read(Path csv) throws IOException {
        return read(csv, DEFAULT_BUCKETS);
    }

    public static Plot read(Path csv, int buckets) throws IOException {
        if (buckets < 2) {
            throw new IllegalArgumentException("at least 2 buckets");
        }
        TelemetryPlotReader reader = new TelemetryPlotReader(buckets, csv.toString());
        TelemetryRows.Lines lines = new TelemetryRows.Lines();
        TelemetryRows.Lines.Sink sink = new TelemetryRows.Lines.Sink() {
            @Override
            public void line(byte[] b, int s, int e, long number) {
                reader.line(b, s, e, number);
            }

            @Override
            public void tooLong(long number) {
                reader.problem(number, "line longer than " + TelemetryRows.Lines.MAX_LINE + " bytes");
            }
        };
        try (InputStream in = Files.newInputStream(csv)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                lines.feed(buf, 0, n, sink);
            }
        }
        lines.finish(sink);
        return reader.result();
    }

    private void line(byte[] b, int s, int e, long number) {
        try {
            switch (rows.line(b, s, e, number)) {
                case HEADER -> {
                    header(number);
                    return;
                }
                case ROW -> {
                    row();
                    return;
                }
                default -> {
                    return;
                }
            }
        } catch (ParseException refused) {
            problem(number, refused.problem());
        }
    }

    private void row() throws ParseException {
        TelemetryRows.Columns c = rows.columns();
        long ms = rows.millis();
        String index = c.index < 0 ? null : rows.text(c.index);
        String uuid = c.uuid < 0 ? null : rows.text(c.uuid);
        boolean hasUuid = uuid != null && uuid.startsWith("GPU-");
        if (!hasUuid && !isIndex(index)) {
            throw rows.error("neither a GPU uuid nor an index");
        }
        double[] values = new double[measures.size()];
        for (int i = 0; i < values.length; i++) {
            Measure m = measures.get(i);
            values[i] = rows.number(m.column(c), m.quantity);
        }
        long mask = rows.throttleMask();
        String key = hasUuid ? uuid : "index:" + index;
        Gpu gpu = gpus.get(key);
        if (gpu == null) {
            if (gpus.size() >= MAX_GPUS) {
                throw rows.error("more than " + MAX_GPUS + " GPUs");
            }
            gpu = new Gpu(buckets);
            gpus.put(key, gpu);
        }
        if (isIndex(index)) {
            gpu.index = index;
        }
        gpu.uuid = hasUuid ? uuid : null;
        if (t0Millis == Long.MIN_VALUE) {
            t0Millis = ms;
            start = rows.raw(c.timestamp);
        }
        double t = Math.max(0, (ms - t0Millis) / 1e3);
        while (t >= buckets * width) {
            widen();
        }
        tMax = Math.max(tMax, t);
        int b = (int) (t / width);
        gpu.sample(t);
        count++;
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                gpu.add(measures.get(i), b, t, values[i]);
            }
        }
        if (mask >= 0 && NvidiaCodes.throttling(mask)) {
            gpu.throttled[b] = true;
            gpu.throttledSamples++;
        }
    }

    private void header(long number) {
        TelemetryRows.Columns found = rows.columns();
        if (columns != null && !found.names().equals(columns.names())) {
            // A restarted sampler with other columns: keep going with the new ones.
            problem(number, "the header changed");
        }
        columns = found;
        measures.clear();
        for (Measure m : Measure.values()) {
            if (m.column(found) >= 0) {
                measures.add(m);
            }
        }
    }

    private static boolean isIndex(String s) {
        if (s == null || s.isEmpty() || s.length() > 4) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void widen() {
        width *= 2;
        for (Gpu g : gpus.values()) {
            g.halve();
        }
    }

    private void problem(long line, String what) {
        skipped++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add("line " + line + ": " + what);
        }
    }

    private Plot result() {
        List<GpuSeries> series = new ArrayList<>();
        List<Map.Entry<String, Gpu>> ordered = new ArrayList<>(gpus.entrySet());
        ordered.sort((a, b) -> compareIndex(a.getValue().index, b.getValue().index));
        for (Map.Entry<String, Gpu> e : ordered) {
            Gpu g = e.getValue();
            Map<Measure, List<List<Point>>> segments = new EnumMap<>(Measure.class);
            Map<Measure, Double> maxima = new EnumMap<>(Measure.class);
            for (Measure m : measures) {
                segments.put(m, g.points(m));
                if (g.max.get(m) != null && !Double.isNaN(g.overallMax.getOrDefault(m, Double.NaN))) {
                    maxima.put(m, g.overallMax.get(m));
                }
            }
            List<double[]> spans = new ArrayList<>();
            for (int b = 0; b < buckets; b++) {
                if (g.throttled[b]) {
                    double from = b * width;
                    double to = Math.min((b + 1) * width, tMax);
                    if (!spans.isEmpty() && spans.get(spans.size() - 1)[1] >= from) {
                        spans.get(spans.size() - 1)[1] = to;
                    } else {
                        spans.add(new double[] {from, to});
                    }
                }
            }
            series.add(new GpuSeries(g.index == null ? "?" : g.index, g.uuid, g.samples, segments, maxima,
                    g.throttledSamples, spans));
        }
        return new Plot(start, tMax, count, skipped, List.copyOf(problems), series, List.copyOf(measures));
    }

    private static int compareIndex(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
    }

    /** One GPU's buckets: per measure the count, minimum and maximum with their times. */
    private static final class Gpu {
        String index;
        String uuid;
        long samples;
        long throttledSamples;
        final int n;
        final Map<Measure, int[]> count = new EnumMap<>(Measure.class);
        final Map<Measure, double[]> min = new EnumMap<>(Measure.class);
        final Map<Measure, double[]> minT = new EnumMap<>(Measure.class);
        final Map<Measure, double[]> max = new EnumMap<>(Measure.class);
        final Map<Measure, double[]> maxT = new EnumMap<>(Measure.class);
        final Map<Measure, Double> overallMax = new EnumMap<>(Measure.class);
        boolean[] throttled;
        /** Sampling gaps [from, to] in seconds: longer than a minute and than 3 sampling intervals. */
        final List<double[]> gaps = new ArrayList<>();
        double lastT = Double.NaN;
        double interval = Double.POSITIVE_INFINITY;

        Gpu(int n) {
            this.n = n;
            this.throttled = new boolean[n];
        }

        void sample(double t) {
            samples++;
            if (!Double.isNaN(lastT)) {
                double delta = t - lastT;
                if (delta > 0) {
                    interval = Math.min(interval, delta);
                }
                if (delta > Math.max(60, 3 * interval) && gaps.size() < MAX_GAPS) {
                    gaps.add(new double[] {lastT, t});
                }
            }
            lastT = t;
        }

        void add(Measure m, int b, double t, double v) {
            int[] c = count.computeIfAbsent(m, k -> new int[n]);
            double[] lo = min.computeIfAbsent(m, k -> new double[n]);
            double[] loT = minT.computeIfAbsent(m, k -> new double[n]);
            double[] hi = max.computeIfAbsent(m, k -> new double[n]);
            double[] hiT = maxT.computeIfAbsent(m, k -> new double[n]);
            if (c[b] == 0 || v < lo[b]) {
                lo[b] = v;
                loT[b] = t;
            }
            if (c[b] == 0 || v > hi[b]) {
                hi[b] = v;
                hiT[b] = t;
            }
            c[b]++;
            overallMax.merge(m, v, Math::max);
        }

        /** Merges bucket pairs (2i, 2i+1) into i: the bucket width doubled. */
        void halve() {
            for (Measure m : count.keySet()) {
                int[] c = count.get(m);
                double[] lo = min.get(m);
                double[] loT = minT.get(m);
                double[] hi = max.get(m);
                double[] hiT = maxT.get(m);
                for (int i = 0; i < n; i++) {
                    int a = 2 * i;
                    int b = a + 1;
                    int ca = a < n ? c[a] : 0;
                    int cb = b < n ? c[b] : 0;
                    double nlo = 0;
                    double nloT = 0;
                    double nhi = 0;
                    double nhiT = 0;
                    if (ca > 0) {
                        nlo = lo[a];
                        nloT = loT[a];
                        nhi = hi[a];
                        nhiT = hiT[a];
                    }
                    if (cb > 0) {
                        if (ca == 0 || lo[b] < nlo) {
                            nlo = lo[b];
                            nloT = loT[b];
                        }
                        if (ca == 0 || hi[b] > nhi) {
                            nhi = hi[b];
                            nhiT = hiT[b];
                        }
                    }
                    c[i] = ca + cb;
                    lo[i] = nlo;
                    loT[i] = nloT;
                    hi[i] = nhi;
                    hiT[i] = nhiT;
                }
            }
            boolean[] merged = new boolean[n];
            for (int i = 0; i < n; i++) {
                int a = 2 * i;
                merged[i] = (a < n && throttled[a]) || (a + 1 < n && throttled[a + 1]);
            }
            throttled = merged;
        }

        /** The min/max points in time order, split into segments where the sampler had a gap. */
        List<List<Point>> points(Measure m) {
            List<List<Point>> segments = new ArrayList<>();
            int[] c = count.get(m);
            if (c == null) {
                return segments;
            }
            List<Point> current = new ArrayList<>();
            double last = Double.NaN;
            for (int i = 0; i < n; i++) {
                if (c[i] == 0) {
                    continue;
                }
                Point a = new Point(minT.get(m)[i], min.get(m)[i]);
                Point b = new Point(maxT.get(m)[i], max.get(m)[i]);
                if (a.t() > b.t()) {
                    Point x = a;
                    a = b;
                    b = x;
                }
                for (Point p : a.equals(b) ? List.of(a) : List.of(a, b)) {
                    if (!Double.isNaN(last) && !current.isEmpty() && gapBetween(last, p.t())) {
                        segments.add(current);
                        current = new ArrayList<>();
                    }
                    current.add(p);
                    last = p.t();
                }
            }
            if (!current.isEmpty()) {
                segments.add(current);
            }
            return segments;
        }

        private boolean gapBetween(double from, double to) {
            for (double[] g : gaps) {
                if (g[0] >= from && g[1] <= to) {
                    return true;
                }
            }
            return false;
        }
    }
}
