package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.parse.Subject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a policy to metrics. Fails closed: a metric that is not there, a value of the wrong type,
 * a missing or unusable baseline, a per-entity gate that matches nothing, all fail (unless the gate
 * is optional, where absence is SKIPPED, never passed). Pure: no files, no clock.
 */
public final class GateEvaluator {
    private final MetricSet evidence;
    private final MetricSet baseline;
    private final String baselineName;
    private final List<StageInfo> stages;

    /**
     * @param evidence the metrics of the evidence directory
     * @param baseline the baseline's metrics, or null when no baseline was given
     * @param baselineName how messages name the baseline (its directory)
     * @param stages the evidence's stages, for hints on missing evidence (may be empty)
     */
    public GateEvaluator(MetricSet evidence, MetricSet baseline, String baselineName, List<StageInfo> stages) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.baseline = baseline;
        this.baselineName = baselineName == null ? "the baseline" : baselineName;
        this.stages = stages == null ? List.of() : stages;
    }

    /**
     * The evaluation was stopped by an interrupt of its thread (Ctrl-C, SIGTERM, a Jenkins abort):
     * a policy's patterns over long values can take minutes of CPU, and a stop must not wait for them.
     */
    public static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted while evaluating the gates", null, false, false);
        }
    }

    /**
     * One row per gate (per entity for per-entity gates), in policy order.
     *
     * @throws Interrupted the thread was interrupted before the last gate was decided
     */
    public List<GateResult> evaluate(Policy policy) {
        List<GateResult> rows = new ArrayList<>();
        for (GateSpec gate : policy.gates()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Interrupted();
            }
            rows.addAll(evaluate(gate));
        }
        return rows;
    }

    public List<GateResult> evaluate(GateSpec gate) {
        List<Metric> found = find(gate.metric());
        if (found.isEmpty()) {
            String message = "no evidence for " + gate.metric() + incomplete(gate.metric()) + hint(gate);
            GateStatus status = gate.optional() ? GateStatus.SKIPPED : GateStatus.failedWith(gate.severity());
            if (gate.optional()) {
                message += " (optional gate: skipped)";
            }
            return List.of(row(gate, gate.metric().toString(), null, null, null, null, status, message, null));
        }
        List<GateResult> rows = new ArrayList<>();
        if (gate.expectCount() != null) {
            rows.add(countRow(gate, found));
        }
        for (Metric m : found) {
            rows.add(check(gate, m));
        }
        return rows;
    }

    private GateResult countRow(GateSpec gate, List<Metric> found) {
        List<String> entities = new ArrayList<>();
        found.forEach(m -> entities.add(entity(gate.metric(), m.name())));
        int n = found.size();
        int expected = gate.expectCount();
        boolean ok = n == expected;
        String message = (ok ? "" : "expected " + expected + " entities, ") + "found " + n + " matching "
                + gate.metric() + ": " + String.join(", ", entities);
        return new GateResult(gate.id(), gate.metric().toString(), null, "expect_count " + expected,
                MetricValue.of(n), null, null, ok ? GateStatus.PASSED : GateStatus.failedWith(gate.severity()),
                gate.severity(), message, null, gate.description());
    }

    private GateResult check(GateSpec gate, Metric m) {
        String entity = gate.metric().isWildcard() ? entity(gate.metric(), m.name()) : null;
        String name = m.name().toString();
        GateStatus failed = GateStatus.failedWith(gate.severity());
        MetricValue observed = m.value();
        String unit = m.unit();

        if (gate.unit() != null && !gate.unit().equals(unit)) {
            return row(gate, name, entity, observed, unit, null, failed, "observed " + ValueFormat.value(observed, unit)
                    + (unit == null ? " has no unit" : " is in " + unit) + "; the policy expects " + gate.unit(),
                    m);
        }
        ValueKind kind = ValueKind.of(observed);
        for (Condition c : gate.conditions()) {
            if (c.kind() != kind) {
                return row(gate, name, entity, observed, unit, null, failed, "observed " + ValueFormat.value(observed,
                        unit) + " is " + kind.words() + "; " + c.describe() + " needs " + c.kind().words(), m);
            }
        }
        Double base = null;
        if (gate.usesBaseline()) {
            String problem = null;
            if (baseline == null) {
                problem = "no baseline evidence given (--baseline DIR) to compare with";
            } else {
                Optional<Metric> b = baseline.get(m.name());
                if (b.isEmpty()) {
                    problem = "no baseline value for " + name + " in " + baselineName;
                } else if (!(b.get().value() instanceof MetricValue.Num n)) {
                    problem = "the baseline value of " + name + " is " + ValueFormat.value(b.get().value(), null)
                            + ", not a number";
                } else if (n.value() <= 0) {
                    problem = "the baseline value of " + name + " is " + ValueFormat.number(n.value())
                            + "; a ratio needs a positive baseline";
                } else {
                    base = n.value();
                    if (b.get().unit() != null && unit != null && !b.get().unit().equals(unit)) {
                        problem = "the baseline value of " + name + " is in " + b.get().unit() + ", the observed in "
                                + unit;
                        base = null;
                    }
                }
            }
            if (problem != null) {
                GateStatus status = gate.optional() ? GateStatus.SKIPPED : failed;
                return row(gate, name, entity, observed, unit, base, status,
                        problem + (gate.optional() ? " (optional gate: skipped)" : ""), m);
            }
        }
        List<String> fails = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        for (Condition c : gate.conditions()) {
            Condition.Outcome outcome = c.test(observed, unit, c.usesBaseline() ? base : null);
            (outcome.passed() ? passes : fails).add(outcome.message());
        }
        if (!fails.isEmpty()) {
            return row(gate, name, entity, observed, unit, base, failed, String.join("; ", fails), m);
        }
        return row(gate, name, entity, observed, unit, base, GateStatus.PASSED, String.join("; ", passes), m);
    }

    private GateResult row(GateSpec gate, String metric, String entity, MetricValue observed, String unit,
            Double base, GateStatus status, String message, Metric m) {
        return new GateResult(gate.id(), metric, entity, gate.describeConditions(), observed, unit, base, status,
                gate.severity(), message, m == null ? null : m.source(), gate.description());
    }

    /** The metrics a gate covers: the named one, or every match of a pattern in natural entity order. */
    private List<Metric> find(MetricPattern pattern) {
        Optional<MetricName> exact = pattern.exactName();
        if (exact.isPresent()) {
            return evidence.get(exact.get()).map(List::of).orElse(List.of());
        }
        List<Metric> found = new ArrayList<>(evidence.matching(pattern));
        found.sort(Comparator.comparing((Metric m) -> pattern.match(m.name()).orElseThrow(), GateEvaluator::natural));
        return found;
    }

    /** Keys compare as numbers when both are whole numbers (gpu[2] before gpu[10]), else as text. */
    static int natural(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c;
            if (x.matches("\\d{1,18}") && y.matches("\\d{1,18}")) {
                c = Long.compare(Long.parseLong(x), Long.parseLong(y));
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /**
     * The entity a match is about: the segments the pattern's wildcards took, {@code gpu[0]} for
     * {@code gpu[*].memory_total_mib}, {@code run[2].host[web-1]} for {@code ansible.run[*].host[*].changed}.
     */
    static String entity(MetricPattern pattern, MetricName name) {
        List<MetricName.Segment> segments = name.segments();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            MetricName.Segment s = segments.get(i);
            if (s.hasKey() && pattern.matches(withKey(segments, i, "\u2063probe"))) {
                parts.add(s.identifier() + "[" + MetricName.escapeKey(s.key()) + "]");
            }
        }
        return String.join(".", parts);
    }

    /** The name with the key of segment {@code index} replaced: a pattern still matching it has a wildcard there. */
    private static MetricName withKey(List<MetricName.Segment> segments, int index, String key) {
        MetricName out = null;
        for (int i = 0; i < segments.size(); i++) {
            MetricName.Segment s = segments.get(i);
            out = out == null ? MetricName.root(s.identifier()) : out.child(s.identifier());
            if (s.hasKey()) {
                out = out.at(i == index ? key : s.key());
            }
        }
        return out;
    }

    /**
     * Why a parser left an aggregate out, when it said so: a text metric {@code incomplete} beside
     * one of the name's ancestors ({@code telemetry.incomplete} for {@code telemetry.temperature_c.max}).
     */
    private String incomplete(MetricPattern metric) {
        String name = metric.toString();
        for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.')) {
            name = name.substring(0, dot);
            String why = name + ".incomplete";
            if (MetricName.isValid(why)) {
                Optional<Metric> m = evidence.get(why);
                if (m.isPresent() && m.get().value() instanceof MetricValue.Text t) {
                    return " (" + why + ": " + t.value() + ")";
                }
            }
        }
        return "";
    }

    private String hint(GateSpec gate) {
        String stage = ParserRegistry.subject(gate.subject()).map(Subject::stage).orElse(null);
        if (stage == null || stages.isEmpty()) {
            return "";
        }
        for (StageInfo s : stages) {
            if (s.stage().equals(stage)) {
                return s.hasMetrics() ? "" : " (stage " + stage + " has no metrics.json"
                        + (s.status() == null ? "" : "; its status is " + s.status()) + ")";
            }
        }
        return " (the evidence has no stage " + stage + ")";
    }
}
