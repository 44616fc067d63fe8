package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stress test's telemetry log (kind {@code telemetry}): nvidia-smi's looped {@code --query-gpu}
 * CSV as {@code scripts/sample-telemetry.sh} writes it (docs/gpu-validation.md), 24 h × 4 GPUs
 * at 1–5 s. Streaming with flat memory: every statistic is kept in fixed-size arrays per GPU, and
 * the hot path makes no String and uses no regex.
 *
 * <ul>
 *   <li>GPUs are keyed by {@code uuid} and reported by {@code index}; rows need timestamp, index, uuid.</li>
 *   <li>Coverage = samples seen ÷ samples expected, expected = duration ÷ interval + 1 per GPU, the
 *       duration being the whole log's (first to last timestamp of any GPU) and the interval
 *       {@code --option interval_s=N} or else the median step between a GPU's consecutive samples.</li>
 *   <li>Largest gap: the longest time a GPU went without a sample, counting from the log's first
 *       timestamp and up to its last (a GPU that stopped reporting shows as a gap).</li>
 *   <li>Every value must be possible for its quantity ({@link Quantity}: a temperature from 0 to
 *       200 °C, a power from 0 to 10 kW, a PCIe generation from 1, ...), or the log is refused.</li>
 *   <li>Temperature p99 and the medians come from histograms: temperature at 0.1 °C from 0 to
 *       200 °C, utilization at 0.1 % from 0 to 100 %, power ÷ limit at 0.0005 from 0 to 2. They are
 *       exact (nearest rank) for nvidia-smi's values, which have at most these resolutions; values
 *       outside those ranges are refused as garbled.</li>
 *   <li>"Loaded" = utilization.gpu ≥ 50 %; PCIe generation and width minima are over loaded samples.</li>
 *   <li>A throttle event is a run of two or more consecutive samples of one GPU with any of the bits
 *       0x08, 0x20, 0x40, 0x80 set (0x04, SW power cap, is normal under load): {@link ThrottleEvents}.</li>
 *   <li>Rows are read by {@link TelemetryRows}, the reader the follower and the plots share; the last
 *       line must end with a newline (a sampler cut mid-line is refused, not read short).</li>
 *   <li>Timestamps are nvidia-smi's local time {@code YYYY/MM/DD HH:MM:SS.mmm}; one that goes back for
 *       a GPU is refused (run the sampler with TZ=UTC so a DST change cannot do that).</li>
 * </ul>
 */
public final class TelemetryParser implements EvidenceParser {
    private static final int TEMP_MIN = 0;
    private static final int TEMP_BINS = 2001; // 0 .. 200.0 at 0.1 (Quantity.TEMPERATURE_C)
    private static final int UTIL_BINS = 1001; // 0 .. 100.0 at 0.1
    private static final double RATIO_STEP = 0.0005;
    private static final int RATIO_BINS = 4001; // 0 .. 2.0
    static final int STEP_BINS = 60_001; // 0 .. 600 s at 10 ms
    private static final int MAX_GPUS = 64;

    @Override
    public String kind() {
        return "telemetry";
    }

    @Override
    public Set<String> options() {
        return Set.of("interval_s", "fields");
    }

    @Override
    public String description() {
        return "looped nvidia-smi --query-gpu CSV of the stress sampler: coverage, gaps, p99 temperature,"
                + " medians, throttle events (--option interval_s=N)";
    }

    /** Everything kept per GPU: fixed size, whatever the length of the log. */
    static final class Gpu {
        final byte[] uuid;
        final String uuidText;
        final long index;
        long firstLine;
        long samples;
        long firstMs;
        long lastMs;
        long maxStepMs;
        double tempMax = Double.NaN;
        long tempMaxLine;
        final int[] temp = new int[TEMP_BINS];
        long tempSamples;
        final int[] util = new int[UTIL_BINS];
        long utilSamples;
        final int[] ratio = new int[RATIO_BINS];
        long ratioSamples;
        long loaded;
        double genMin = Double.NaN;
        double widthMin = Double.NaN;
        final ThrottleEvents throttle = new ThrottleEvents();
        long masks;

        Gpu(byte[] uuid, String uuidText, long index, long line) {
            this.uuid = uuid;
            this.uuidText = uuidText;
            this.index = index;
            this.firstLine = line;
        }
    }

    /** The parser needs a GPU's identity on every row: its uuid (the key) and index (the name). */
    static void requireIdentity(TelemetryRows rows) throws ParseException {
        TelemetryRows.Columns c = rows.columns();
        if (c.timestamp < 0 || c.index < 0 || c.uuid < 0) {
            throw rows.error("the telemetry fields must include timestamp, index and uuid; they are " + c.names());
        }
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        return parse(input, TelemetryChunks.chunksFor(input));
    }

    /** The summary read in {@code chunks} parallel chunks (1: one pass); the same metrics either way. */
    MetricSet parse(ParseInput input, int chunks) throws ParseException, IOException {
        double intervalOption = Double.NaN;
        if (input.option("interval_s") != null) {
            intervalOption = Numbers.parseDouble(input.option("interval_s"));
            if (!(intervalOption > 0)) {
                throw new ParseException(input.sourceName(), 0, "option interval_s must be a positive number of seconds, not '"
                        + input.option("interval_s") + "'");
            }
        }
        State whole = TelemetryChunks.parse(input, chunks);
        if (whole != null) {
            return metrics(input, whole.gpus, whole.steps, whole.stepsOver, intervalOption);
        }
        State st = new State();
        TelemetryRows rows = new TelemetryRows(input.sourceName());
        try (LineReader lines = LineReader.open(input)) {
            lines.trackSeparator(',');
            rows.fieldsWhenNoHeader(input.option("fields"));
            TelemetryRows.Columns checked = null;
            while (lines.next()) {
                if (rows.next(lines) == TelemetryRows.Kind.ROW) {
                    if (rows.columns() != checked) {
                        requireIdentity(rows);
                        checked = rows.columns();
                    }
                    st.row(rows);
                }
            }
            if (st.rows == 0) {
                throw lines.errorAtEnd("no telemetry row" + (rows.columns() == null ? "" : ", only the header"));
            }
            lines.requireNewlineAtEnd("the telemetry sampler");
        }
        return metrics(input, st.gpus, st.steps, st.stepsOver, intervalOption);
    }

    /** What a parse accumulates; the per-row work is its own small method, which the JIT compiles early. */
    static final class State {
        final List<Gpu> gpus = new ArrayList<>();
        final int[] steps = new int[STEP_BINS];
        long stepsOver;
        long rows;

        void row(TelemetryRows r) throws ParseException {
            TelemetryRows.Columns cols = r.columns();
            long ts = r.millis();
            long index = r.integer(cols.index);
            Gpu g = find(r, index, cols.uuid);
            if (g == null) {
                g = newGpu(r, cols, index);
            } else if (index != g.index) {
                throw r.error("GPU " + g.uuidText + " has index " + r.raw(cols.index) + " here but " + g.index
                        + " at line " + g.firstLine);
            }
            rows++;
            if (g.samples == 0) {
                g.firstMs = ts;
            } else {
                long step = ts - g.lastMs;
                if (step < 0) {
                    throw r.error("the timestamp goes back " + (-step) + " ms for GPU " + g.index
                            + " (clock change? run the sampler with TZ=UTC)");
                }
                if (step > g.maxStepMs) {
                    g.maxStepMs = step;
                }
                long bin = (step + 5) / 10;
                if (bin < STEP_BINS) {
                    steps[(int) bin]++;
                } else {
                    stepsOver++;
                }
            }
            g.lastMs = ts;
            g.samples++;
            sample(g, r, cols);
        }

        /**
         * The GPU of the row's uuid, or null. The GPU of the row's index is tried first: one uuid
         * to compare on the usual row, where the GPUs take turns. (Indexed loops: no iterator per row.)
         */
        private Gpu find(TelemetryRows r, long index, int uuidColumn) {
            for (int i = 0; i < gpus.size(); i++) {
                Gpu g = gpus.get(i);
                if (g.index == index) {
                    if (r.is(uuidColumn, g.uuid)) {
                        return g;
                    }
                    break;
                }
            }
            for (int i = 0; i < gpus.size(); i++) {
                Gpu g = gpus.get(i);
                if (r.is(uuidColumn, g.uuid)) {
                    return g;
                }
            }
            return null;
        }

        private Gpu newGpu(TelemetryRows r, TelemetryRows.Columns cols, long index) throws ParseException {
            if (index < 0 || index > 1024) {
                throw r.error("index is not a GPU index: '" + r.raw(cols.index) + "'");
            }
            String uuid = r.text(cols.uuid);
            if (uuid == null) {
                throw r.error("a row without a GPU uuid: GPUs cannot be told apart");
            }
            for (Gpu other : gpus) {
                if (other.index == index) {
                    throw r.error("GPU index " + index + " is " + uuid + " here but " + other.uuidText
                            + " at line " + other.firstLine);
                }
            }
            if (gpus.size() == MAX_GPUS) {
                throw r.error("more than " + MAX_GPUS + " GPUs: not a GPU telemetry log");
            }
            Gpu g = new Gpu(r.copy(cols.uuid), uuid, index, r.lineNumber());
            gpus.add(g);
            return g;
        }
    }

    private static void sample(Gpu g, TelemetryRows r, TelemetryRows.Columns c) throws ParseException {
        double util = Double.NaN;
        if (c.temperature >= 0) {
            double t = r.number(c.temperature, Quantity.TEMPERATURE_C);
            if (!Double.isNaN(t)) {
                int bin = (int) Math.round((t - TEMP_MIN) * 10);
                g.temp[Math.min(bin, TEMP_BINS - 1)]++;
                g.tempSamples++;
                if (Double.isNaN(g.tempMax) || t > g.tempMax) {
                    g.tempMax = t;
                    g.tempMaxLine = r.lineNumber();
                }
            }
        }
        if (c.utilization >= 0) {
            util = r.number(c.utilization, Quantity.PERCENT);
            if (!Double.isNaN(util)) {
                g.util[Math.min((int) Math.round(util * 10), UTIL_BINS - 1)]++;
                g.utilSamples++;
            }
        }
        if (c.powerDraw >= 0 && c.powerLimit >= 0) {
            double draw = r.number(c.powerDraw, Quantity.POWER_W);
            double limit = r.number(c.powerLimit, Quantity.POWER_W);
            if (!Double.isNaN(draw) && !Double.isNaN(limit) && limit > 0) {
                int bin = (int) Math.round(draw / limit / RATIO_STEP);
                if (bin >= RATIO_BINS) {
                    throw r.error("power.draw ÷ power.limit out of range (0 … 2): " + r.raw(c.powerDraw) + " / "
                            + r.raw(c.powerLimit));
                }
                g.ratio[bin]++;
                g.ratioSamples++;
            }
        }
        // Faults and impossible values fail even when the value is not used (a GPU not loaded).
        double gen = c.pcieGen >= 0 ? r.number(c.pcieGen, Quantity.PCIE_GENERATION) : Double.NaN;
        double width = c.pcieWidth >= 0 ? r.number(c.pcieWidth, Quantity.PCIE_WIDTH) : Double.NaN;
        if (util >= 50) {
            g.loaded++;
            if (!Double.isNaN(gen) && (Double.isNaN(g.genMin) || gen < g.genMin)) {
                g.genMin = gen;
            }
            if (!Double.isNaN(width) && (Double.isNaN(g.widthMin) || width < g.widthMin)) {
                g.widthMin = width;
            }
        }
        if (c.throttleMask >= 0) {
            long mask = r.mask(c.throttleMask);
            if (mask >= 0) {
                g.masks++;
            }
            g.throttle.sample(mask); // a sample that cannot say breaks a run
        }
    }

    /** A number for a message: at most 3 decimals, no trailing zeros. */
    private static String shown(double x) {
        return BigDecimal.valueOf(x).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    /**
     * With a stated interval, a GPU may show at most this share of the samples the interval allows
     * (sampling jitter); more means the interval is wrong, and the coverage would read above 100 %.
     */
    static final double MOST_SAMPLES_PER_EXPECTED = 1.1;

    private static MetricSet metrics(ParseInput input, List<Gpu> gpus, int[] steps, long stepsOver, double intervalOption)
            throws ParseException {
        gpus.sort(Comparator.comparingLong(g -> g.index));
        EvidenceSource whole = input.whole();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long samples = 0;
        for (Gpu g : gpus) {
            start = Math.min(start, g.firstMs);
            end = Math.max(end, g.lastMs);
            samples += g.samples;
        }
        double durationS = (end - start) / 1000.0;
        double intervalS = intervalOption;
        if (Double.isNaN(intervalS)) {
            long n = stepsOver;
            for (int c : steps) {
                n += c;
            }
            if (n > 0) {
                intervalS = nearestRank(steps, n, 0.5) * 0.01;
                if (intervalS <= 0) {
                    intervalS = Double.NaN; // samples at one instant: no interval to infer
                }
            }
        }
        double expected = Double.isNaN(intervalS) ? Double.NaN : Math.floor(durationS / intervalS + 1e-9) + 1;
        if (!Double.isNaN(intervalOption)) {
            for (Gpu g : gpus) {
                if (g.samples > MOST_SAMPLES_PER_EXPECTED * expected + 1) {
                    throw new ParseException(input.sourceName(), g.firstLine, "GPU " + g.index + " has " + g.samples
                            + " samples in " + shown(durationS) + " s, more than an interval of "
                            + shown(intervalOption) + " s allows (" + (long) expected + "): the stated"
                            + " interval (interval_s) is not the sampler's, and the coverage would read "
                            + shown(100.0 * g.samples / expected) + " %");
                }
            }
        }
        MetricSet m = new MetricSet();
        m.add(Metric.number("telemetry.gpus", gpus.size(), null, whole));
        m.add(Metric.number("telemetry.samples", samples, null, whole));
        m.add(Metric.number("telemetry.duration_s", durationS, "s", whole));
        if (!Double.isNaN(intervalS)) {
            m.add(Metric.number("telemetry.interval_s", intervalS, "s", whole));
            m.add(Metric.number("telemetry.coverage", samples / (gpus.size() * expected), null, whole));
        }
        long maxGap = 0;
        double tempMax = Double.NaN;
        long tempMaxLine = 0;
        int[] temp = new int[TEMP_BINS];
        int[] util = new int[UTIL_BINS];
        int[] ratio = new int[RATIO_BINS];
        long tempN = 0;
        long utilN = 0;
        long ratioN = 0;
        long throttle = 0;
        boolean allMasks = true;
        double genMin = Double.NaN;
        double widthMin = Double.NaN;
        boolean genAll = true;
        boolean widthAll = true;
        // A fleet aggregate stands for every GPU, so it exists only when every GPU contributed to it:
        // over the GPUs that did report, one GPU silent for the whole log would pass unseen.
        Missing missing = new Missing();
        for (Gpu g : gpus) {
            long gap = Math.max(g.maxStepMs, Math.max(g.firstMs - start, end - g.lastMs));
            maxGap = Math.max(maxGap, gap);
            MetricName base = MetricName.root("telemetry").child("gpu").at(g.index);
            m.add(Metric.text(base.child("uuid"), g.uuidText, input.at(g.firstLine)));
            m.add(Metric.number(base.child("samples"), g.samples, null, whole));
            m.add(Metric.number(base.child("duration_s"), (g.lastMs - g.firstMs) / 1000.0, "s", whole));
            if (!Double.isNaN(expected)) {
                m.add(Metric.number(base.child("coverage"), g.samples / expected, null, whole));
            }
            m.add(Metric.number(base.child("max_gap_s"), gap / 1000.0, "s", whole));
            if (g.tempSamples > 0) {
                m.add(Metric.number(base.child("temperature_c").child("max"), g.tempMax, "C", input.at(g.tempMaxLine)));
                m.add(Metric.number(base.child("temperature_c").child("p99"),
                        TEMP_MIN + nearestRank(g.temp, g.tempSamples, 0.99) / 10.0, "C", whole));
                if (Double.isNaN(tempMax) || g.tempMax > tempMax) {
                    tempMax = g.tempMax;
                    tempMaxLine = g.tempMaxLine;
                }
                add(temp, g.temp);
                tempN += g.tempSamples;
            } else {
                missing.add("temperature.gpu", g);
            }
            if (g.utilSamples > 0) {
                m.add(Metric.number(base.child("utilization_pct").child("median"),
                        nearestRank(g.util, g.utilSamples, 0.5) / 10.0, "%", whole));
                add(util, g.util);
                utilN += g.utilSamples;
            } else {
                missing.add("utilization.gpu", g);
            }
            if (g.ratioSamples > 0) {
                m.add(Metric.number(base.child("power_ratio").child("median"),
                        round(nearestRank(g.ratio, g.ratioSamples, 0.5) * RATIO_STEP), null, whole));
                add(ratio, g.ratio);
                ratioN += g.ratioSamples;
            } else {
                missing.add("power.draw ÷ power.limit", g);
            }
            m.add(Metric.number(base.child("loaded_samples"), g.loaded, null, whole));
            if (!Double.isNaN(g.genMin)) {
                m.add(Metric.number(base.child("pcie_gen_loaded").child("min"), g.genMin, null, whole));
                genMin = Double.isNaN(genMin) ? g.genMin : Math.min(genMin, g.genMin);
            } else {
                genAll = false;
                missing.add("pcie.link.gen.current while loaded", g);
            }
            if (!Double.isNaN(g.widthMin)) {
                m.add(Metric.number(base.child("pcie_width_loaded").child("min"), g.widthMin, null, whole));
                widthMin = Double.isNaN(widthMin) ? g.widthMin : Math.min(widthMin, g.widthMin);
            } else {
                widthAll = false;
                missing.add("pcie.link.width.current while loaded", g);
            }
            if (g.masks > 0) {
                m.add(Metric.number(base.child("throttle_events"), g.throttle.events(), null, whole));
                throttle += g.throttle.events();
            } else {
                allMasks = false;
                missing.add("clocks_event_reasons.active", g);
            }
        }
        m.add(Metric.number("telemetry.max_gap_s", maxGap / 1000.0, "s", whole));
        if (tempN > 0 && !missing.has("temperature.gpu")) {
            m.add(Metric.number("telemetry.temperature_c.max", tempMax, "C", input.at(tempMaxLine)));
            m.add(Metric.number("telemetry.temperature_c.p99", TEMP_MIN + nearestRank(temp, tempN, 0.99) / 10.0, "C", whole));
        }
        if (utilN > 0 && !missing.has("utilization.gpu")) {
            m.add(Metric.number("telemetry.utilization_pct.median", nearestRank(util, utilN, 0.5) / 10.0, "%", whole));
        }
        if (ratioN > 0 && !missing.has("power.draw ÷ power.limit")) {
            m.add(Metric.number("telemetry.power_ratio.median", round(nearestRank(ratio, ratioN, 0.5) * RATIO_STEP), null, whole));
        }
        if (allMasks) {
            m.add(Metric.number("telemetry.throttle_events", throttle, null, whole));
        }
        // Minima over GPUs only when every GPU had loaded samples: a GPU never loaded is no evidence.
        if (genAll && !Double.isNaN(genMin)) {
            m.add(Metric.number("telemetry.pcie_gen_loaded.min", genMin, null, whole));
        }
        if (widthAll && !Double.isNaN(widthMin)) {
            m.add(Metric.number("telemetry.pcie_width_loaded.min", widthMin, null, whole));
        }
        if (!missing.isEmpty()) {
            m.add(Metric.text("telemetry.incomplete", missing.describe(gpus.size()), whole));
        }
        return m;
    }

    /** Which GPUs gave no value at all for a field: the fleet aggregates over it are left out. */
    private static final class Missing {
        private final Map<String, List<Gpu>> byField = new LinkedHashMap<>();

        void add(String field, Gpu g) {
            byField.computeIfAbsent(field, k -> new ArrayList<>()).add(g);
        }

        boolean has(String field) {
            return byField.containsKey(field);
        }

        boolean isEmpty() {
            return byField.isEmpty();
        }

        /** "no temperature.gpu from GPU 2 (GPU-…); …": what the gates' "no evidence" points to. */
        String describe(int fleet) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, List<Gpu>> e : byField.entrySet()) {
                if (e.getValue().size() == fleet && fleet > 1) {
                    parts.add("no " + e.getKey() + " from any GPU");
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (Gpu g : e.getValue()) {
                    names.add("GPU " + g.index + " (" + g.uuidText + ")");
                }
                parts.add("no " + e.getKey() + " from " + String.join(", ", names));
            }
            return String.join("; ", parts) + ": the fleet aggregates over those fields need every GPU";
        }
    }

    /** The bin of the nearest-rank quantile q over n counted values. */
    private static int nearestRank(int[] hist, long n, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i < hist.length; i++) {
            seen += hist[i];
            if (seen >= rank) {
                return i;
            }
        }
        return hist.length - 1; // only values past the last bin (step overflow)
    }

    private static void add(int[] into, int[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
