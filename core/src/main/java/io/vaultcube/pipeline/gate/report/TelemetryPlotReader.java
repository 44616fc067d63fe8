package io.vaultcube.pipeline.gate.report;

import io.vaultcube.pipeline.parse.nvidia.NvidiaCodes;
import io.vaultcube.pipeline.parse.nvidia.Timestamps;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the sampler's telemetry CSV (sample-telemetry.sh's CSV, docs/gpu-validation.md: nvidia-smi's own looped
 * {@code --query-gpu} CSV) for the HTML report's plots only: temperature, power and SM clock per
 * GPU over time, and the samples whose clock event reasons show throttling (0x08, 0x20, 0x40,
 * 0x80). It streams the file once and keeps a bounded number of min/max buckets per GPU whatever
 * the file's length, so a 24 h × 4 GPU log gives a small plot with flat memory. The gates never
 * read this: their metrics come from the telemetry parser ({@code parse} package); this class is
 * deliberately minimal and tolerant (a line it cannot read is counted and skipped, not fatal), but reads
 * timestamps and throttle bits by the parser's rules ({@link Timestamps}, {@link NvidiaCodes}).
 */
public final class TelemetryPlotReader {
    /** Buckets per GPU: each becomes at most two points (its minimum and its maximum). */
    public static final int DEFAULT_BUCKETS = 360;
    private static final int MAX_GPUS = 64;
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_PROBLEMS = 5;
    /** Gaps remembered per GPU to break the lines; more than this are not drawn as breaks. */
    private static final int MAX_GAPS = 1000;

    /** What is plotted. */
    public enum Measure {
        TEMPERATURE("Temperature", "°C", "temperature.gpu"),
        POWER("Power draw", "W", "power.draw"),
        SM_CLOCK("SM clock", "MHz", "clocks.sm", "clocks.current.sm");

        private final String title;
        private final String unit;
        private final List<String> columns;

        Measure(String title, String unit, String... columns) {
            this.title = title;
            this.unit = unit;
            this.columns = List.of(columns);
        }

        public String title() {
            return title;
        }

        public String unit() {
            return unit;
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
    /** The parser's timestamp rule (one rule for the gates and the plots). */
    private final Timestamps clock = new Timestamps();
    private double width = 1.0;
    private final Map<String, Gpu> gpus = new LinkedHashMap<>();
    private Map<String, Integer> columns;
    private final List<Measure> measures = new ArrayList<>();
    private Long t0Nanos;
    private double tMax;
    private String start;
    private long rows;
    private long skipped;
    private final List<String> problems = new ArrayList<>();

    private TelemetryPlotReader(int buckets) {
        this.buckets = buckets;
    }

    public static Plot read(Path csv) throws IOException {
        return read(csv, DEFAULT_BUCKETS);
    }

    public static Plot read(Path csv, int buckets) throws IOException {
        if (buckets < 2) {
            throw new IllegalArgumentException("at least 2 buckets");
        }
        TelemetryPlotReader reader = new TelemetryPlotReader(buckets);
        try (Reader in = new InputStreamReader(Files.newInputStream(csv), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            reader.readAll(in);
        }
        return reader.result();
    }

    private void readAll(Reader in) throws IOException {
        char[] buf = new char[64 * 1024];
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        long number = 1;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                char c = buf[i];
                if (c == '\n') {
                    if (tooLong) {
                        problem(number, "line longer than " + MAX_LINE + " characters");
                    } else {
                        line(line, number);
                    }
                    line.setLength(0);
                    tooLong = false;
                    number++;
                } else if (!tooLong) {
                    if (line.length() >= MAX_LINE) {
                        tooLong = true;
                        line.setLength(0);
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        if (tooLong) {
            problem(number, "line longer than " + MAX_LINE + " characters");
        } else if (line.length() > 0) {
            line(line, number);
        }
    }

    private void line(CharSequence raw, long number) {
        String text = raw.toString().strip();
        if (text.isEmpty()) {
            return;
        }
        String[] fields = text.split(",", -1);
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].strip();
        }
        if (fields[0].toLowerCase(Locale.ROOT).startsWith("timestamp")) {
            header(fields, number);
            return;
        }
        if (columns == null) {
            problem(number, "data before the header line");
            return;
        }
        if (fields.length != columns.size()) {
            problem(number, fields.length + " fields where the header has " + columns.size());
            return;
        }
        long nanos = nanos(fields[columns.get("timestamp")]);
        if (nanos == Long.MIN_VALUE) {
            problem(number, "timestamp " + fields[columns.get("timestamp")] + " is not nvidia-smi's YYYY/MM/DD HH:MM:SS.mmm");
            return;
        }
        String index = columns.containsKey("index") ? fields[columns.get("index")] : null;
        String uuid = columns.containsKey("uuid") ? fields[columns.get("uuid")] : null;
        boolean hasUuid = uuid != null && uuid.startsWith("GPU-");
        if (!hasUuid && !isIndex(index)) {
            problem(number, "neither a GPU uuid nor an index");
            return;
        }
        String key = hasUuid ? uuid : "index:" + index;
        Gpu gpu = gpus.get(key);
        if (gpu == null) {
            if (gpus.size() >= MAX_GPUS) {
                problem(number, "more than " + MAX_GPUS + " GPUs");
                return;
            }
            gpu = new Gpu(buckets);
            gpus.put(key, gpu);
        }
        if (isIndex(index)) {
            gpu.index = index;
        }
        gpu.uuid = hasUuid ? uuid : null;
        if (t0Nanos == null) {
            t0Nanos = nanos;
            start = fields[columns.get("timestamp")];
        }
        double t = Math.max(0, (nanos - t0Nanos) / 1e9);
        while (t >= buckets * width) {
            widen();
        }
        tMax = Math.max(tMax, t);
        int b = (int) (t / width);
        gpu.sample(t);
        rows++;
        for (Measure m : measures) {
            double v = number(fields[columns.get(columnOf(m))]);
            if (!Double.isNaN(v)) {
                gpu.add(m, b, t, v);
            }
        }
        Integer reasons = columns.get("clocks_event_reasons.active");
        if (reasons == null) {
            reasons = columns.get("clocks_throttle_reasons.active");
        }
        if (reasons != null) {
            String hex = fields[reasons];
            if (hex.startsWith("0x") || hex.startsWith("0X")) {
                try {
                    if (NvidiaCodes.throttling(Long.parseUnsignedLong(hex.substring(2), 16))) {
                        gpu.throttled[b] = true;
                        gpu.throttledSamples++;
                    }
                } catch (NumberFormatException e) {
                    // An unreadable bitmask is no throttle mark; the parser's gate judges it.
                }
            }
        }
    }

    private void header(String[] fields, long number) {
        Map<String, Integer> found = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            String name = fields[i];
            int bracket = name.indexOf(" [");
            if (bracket >= 0) {
                name = name.substring(0, bracket);
            }
            found.put(name.strip().toLowerCase(Locale.ROOT), i);
        }
        if (!found.containsKey("index") && !found.containsKey("uuid")) {
            problem(number, "header without index or uuid");
            return;
        }
        List<Measure> present = new ArrayList<>();
        for (Measure m : Measure.values()) {
            if (m.columns.stream().anyMatch(found::containsKey)) {
                present.add(m);
            }
        }
        if (columns != null && !found.equals(columns)) {
            // A restarted sampler with other columns: keep going with the new ones.
            problem(number, "the header changed");
        }
        columns = found;
        measures.clear();
        measures.addAll(present);
    }

    private String columnOf(Measure m) {
        for (String c : m.columns) {
            if (columns.containsKey(c)) {
                return c;
            }
        }
        throw new IllegalStateException(m + " has no column");
    }

    /** nvidia-smi's local timestamp as nanoseconds (only differences matter); MIN_VALUE when unreadable. */
    private long nanos(String text) {
        long ms = clock.millis(text);
        return ms == Long.MIN_VALUE ? Long.MIN_VALUE : ms * 1_000_000L;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isIndex(String s) {
        return s != null && !s.isEmpty() && s.length() <= 4 && digits(s, 0, s.length()) >= 0;
    }

    /** A number, with an optional unit after it ("71 C", "512.33 W"); NaN for N/A and other sentinels. */
    static double number(String field) {
        String s = field;
        int space = s.indexOf(' ');
        if (space > 0) {
            s = s.substring(0, space);
        }
        if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '.')) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
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
        return new Plot(start, tMax, rows, skipped, List.copyOf(problems), series, List.copyOf(measures));
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
