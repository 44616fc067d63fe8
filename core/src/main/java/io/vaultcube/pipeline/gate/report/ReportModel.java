package io.vaultcube.pipeline.gate.report;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.gate.Condition;
import io.vaultcube.pipeline.gate.GateReport;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.GateSpec;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.parse.Subject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a gate report shows, decided once and read by every rendering: the HTML report, the
 * Markdown summary, and the Jenkins pages. Plain values with getters (records), no markup.
 *
 * <p>Holds: the verdict and the gate rows (failed first); the benchmark figures the policy gates,
 * as bars with the thresholds their conditions draw ({@link Condition#threshold}); every benchmark
 * figure of the evidence; the upper lines of the stress temperature for its plot.
 */
public final class ReportModel {
    /** The gates on the stress temperature whose upper line is drawn on its plot. */
    private static final Set<String> TEMPERATURE_METRICS =
            Set.of("telemetry.temperature_c.max", "telemetry.temperature_c.p99");

    private final GateReport report;
    private final MetricSet metrics;
    private final List<BenchmarkBar> bars;
    private final List<Metric> figures;
    private final List<Threshold> temperatureLines;

    private ReportModel(GateReport report, MetricSet metrics, List<BenchmarkBar> bars, List<Metric> figures,
            List<Threshold> temperatureLines) {
        this.report = report;
        this.metrics = metrics;
        this.bars = List.copyOf(bars);
        this.figures = List.copyOf(figures);
        this.temperatureLines = List.copyOf(temperatureLines);
    }

    /**
     * Metrics of entities as a table: one column per entity key (GPU 0, GPU 1, ...), one row per
     * property; a cell is null where an entity lacks the property.
     */
    public record EntityTable(String entityWord, List<String> keys, List<EntityRow> rows) {
        public EntityTable {
            keys = List.copyOf(keys);
            rows = List.copyOf(rows);
        }
    }

    /** One property of every entity, in the order of the table's keys. */
    public record EntityRow(String property, List<Cell> cells) {
        public EntityRow {
            cells = Collections.unmodifiableList(new ArrayList<>(cells));
        }
    }

    /**
     * One value as shown, the evidence it cites, and whether a failed or unstable gate is about it.
     */
    public record Cell(String text, String source, boolean failed) {
    }

    /** A line on a bar or a plot: where, and what it says. */
    public record Threshold(double value, String label) {
    }

    /**
     * A gated benchmark figure as a bar.
     *
     * @param gate the gate's test name
     * @param metric the metric's name
     * @param value the observed value
     * @param unit its unit, or null
     * @param status the gate's status
     * @param baseline the baseline's value, or null
     * @param thresholds the lines its conditions draw
     */
    public record BenchmarkBar(String gate, String metric, double value, String unit, GateStatus status,
            Double baseline, List<Threshold> thresholds) {
        public BenchmarkBar {
            thresholds = List.copyOf(thresholds);
        }
    }

    /** The model of a whole gate run: rows, bars, figures and plot lines. */
    public static ReportModel of(GateRun run) {
        GateReport report = run.report();
        Map<String, GateSpec> specs = new HashMap<>();
        run.policy().gates().forEach(g -> specs.put(g.id(), g));
        List<BenchmarkBar> bars = new ArrayList<>();
        for (GateResult r : report.gates()) {
            GateSpec spec = specs.get(r.id());
            if (spec == null || !isBenchmark(spec.subject()) || !(r.observed() instanceof MetricValue.Num n)) {
                continue;
            }
            List<Threshold> lines = new ArrayList<>();
            for (Condition c : spec.conditions()) {
                OptionalDouble at = c.threshold(r.baseline());
                if (at.isPresent()) {
                    lines.add(new Threshold(at.getAsDouble(), c.describe()
                            + (c.usesBaseline() ? " = " + ValueFormat.number(at.getAsDouble()) : "")));
                }
            }
            bars.add(new BenchmarkBar(r.testName(), r.metric(), n.value(), r.unit(), r.status(), r.baseline(), lines));
        }
        List<Metric> figures = new ArrayList<>();
        for (Metric m : run.metrics()) {
            if (isBenchmark(m.name().segments().get(0).identifier())) {
                figures.add(m);
            }
        }
        List<Threshold> temperature = new ArrayList<>();
        for (GateSpec g : run.policy().gates()) {
            if (!TEMPERATURE_METRICS.contains(g.metric().toString())) {
                continue;
            }
            for (Condition c : g.conditions()) {
                // An upper line of the temperature itself (not a factor of a baseline) is drawn on its plot.
                c.limit().filter(l -> l.side() == Condition.Side.UPPER && !l.ofBaseline())
                        .ifPresent(l -> temperature.add(new Threshold(l.value(), g.id() + ": " + c.describe())));
            }
        }
        return new ReportModel(report, run.metrics(), bars, figures, temperature);
    }

    /** The model of a report alone (no evidence at hand): rows only. */
    public static ReportModel of(GateReport report) {
        return new ReportModel(report, new MetricSet(), List.of(), List.of(), List.of());
    }

    /** Whether a subject's figures are benchmark results ({@link ParserRegistry#SUBJECTS}). */
    public static boolean isBenchmark(String subject) {
        return ParserRegistry.subject(subject).map(Subject::benchmark).orElse(false);
    }

    public GateReport getReport() {
        return report;
    }

    public String getVerdict() {
        return report.verdict().name();
    }

    public String getPolicyName() {
        return report.policyName();
    }

    public String getSummary() {
        return report.summary();
    }

    /** Every gate row, failed first, then unstable, skipped, passed. */
    public List<GateResult> getGateRows() {
        return report.rowsFailedFirst();
    }

    /** Whether any row compares with a baseline (a column then). */
    public boolean hasBaseline() {
        return report.gates().stream().anyMatch(r -> r.baseline() != null);
    }

    /** The metric names of rows that failed or are unstable, to mark their cells. */
    public Set<String> getFailedMetrics() {
        Set<String> names = new LinkedHashSet<>();
        for (GateResult r : report.gates()) {
            if (r.failed()) {
                names.add(r.metric());
            }
        }
        return names;
    }

    /**
     * The table of the metrics under {@code prefix} with a key on its last segment: {@code gpu}
     * gives {@code gpu[i].*}, {@code telemetry, gpu} gives {@code telemetry.gpu[i].*}.
     */
    public EntityTable entityTable(List<String> prefix, String entityWord) {
        MetricSet metrics = this.metrics;
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
        keys.sort((a, b) -> {
            boolean na = a.chars().allMatch(Character::isDigit) && a.length() < 10;
            boolean nb = b.chars().allMatch(Character::isDigit) && b.length() < 10;
            return na && nb ? Integer.compare(Integer.parseInt(a), Integer.parseInt(b)) : a.compareTo(b);
        });
        keys.sort((a, b) -> {
            boolean na = a.chars().allMatch(Character::isDigit) && a.length() < 10;
            boolean nb = b.chars().allMatch(Character::isDigit) && b.length() < 10;
            return na && nb ? Integer.compare(Integer.parseInt(a), Integer.parseInt(b)) : a.compareTo(b);
        });
        Set<String> failed = getFailedMetrics();
        List<EntityRow> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Metric>> row : new TreeMap<>(byProperty).entrySet()) {
            List<Cell> cells = new ArrayList<>();
            for (String k : keys) {
                Metric m = row.getValue().get(k);
                cells.add(m == null ? null : new Cell(show(m), m.source() == null ? "" : m.source().toString(),
                        failed.contains(m.name().toString())));
            }
            rows.add(new EntityRow(row.getKey(), cells));
        }
        return new EntityTable(entityWord, keys, rows);
    }

    /** The per-GPU table ({@code gpu[i].*}). */
    public EntityTable getGpuTable() {
        return entityTable(List.of("gpu"), "GPU");
    }

    /** A metric's value as reports show it: text as it is, numbers with their unit. */
    public static String show(Metric m) {
        if (m.value() instanceof MetricValue.Text t) {
            return t.value();
        }
        return ValueFormat.value(m.value(), m.unit());
    }

    public List<BenchmarkBar> getBenchmarkBars() {
        return bars;
    }

    /** Every benchmark figure of the evidence, gated or not. */
    public List<Metric> getBenchmarkFigures() {
        return figures;
    }

    /** The policy's upper lines of the stress temperature. */
    public List<Threshold> getTemperatureThresholds() {
        return temperatureLines;
    }
}
