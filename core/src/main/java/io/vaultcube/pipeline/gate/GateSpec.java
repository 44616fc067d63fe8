package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One gate of a policy: a metric (or a pattern over entities, {@code gpu[*].memory_total_mib}) and
 * the conditions its value must meet, all of them.
 *
 * @param id unique in the policy; JUnit test cases and reports name the gate by it
 * @param metric the metric name, or a pattern with {@code *} keys (a per-entity gate)
 * @param conditions at least one; all must hold
 * @param severity what a failure does to the verdict
 * @param optional true when the evidence (or the baseline) may legitimately be absent: the gate is
 *     then SKIPPED instead of failed
 * @param description why the gate exists, shown in reports (may be null)
 * @param unit when not null, the unit the metric must carry (a metric in another unit fails)
 * @param expectCount for a per-entity gate, the number of entities that must match (null: any, at least one)
 * @param line the policy line the gate starts on
 */
public record GateSpec(
        String id,
        MetricPattern metric,
        List<Condition> conditions,
        Severity severity,
        boolean optional,
        String description,
        String unit,
        Integer expectCount,
        int line) {

    public GateSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(severity, "severity");
        conditions = List.copyOf(conditions);
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("gate " + id + " has no condition");
        }
        if (expectCount != null && !metric.isWildcard()) {
            throw new IllegalArgumentException("gate " + id + ": expect_count needs a pattern with [*]");
        }
    }

    /** The conditions as reports show them: {@code min 32000, max 33000}. */
    public String describeConditions() {
        List<String> parts = new ArrayList<>();
        conditions.forEach(c -> parts.add(c.describe()));
        return String.join(", ", parts);
    }

    /** True when a condition compares against the baseline. */
    public boolean usesBaseline() {
        return conditions.stream().anyMatch(Condition::usesBaseline);
    }

    /** The first identifier of the metric (gpu, telemetry, ddp, ...): what the gate is about. */
    public String subject() {
        String text = metric.toString();
        int end = 0;
        while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
            end++;
        }
        return text.substring(0, end);
    }
}
