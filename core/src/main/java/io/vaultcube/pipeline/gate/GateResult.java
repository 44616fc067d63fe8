package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.MetricValue;
import java.util.Objects;

/**
 * One row of a verdict: one gate, or one entity of a per-entity gate.
 *
 * @param id the gate's id
 * @param metric the metric checked ({@code gpu[0].memory_total_mib}); the gate's pattern when no
 *     metric matched
 * @param entity for a per-entity gate, the entity the row is about ({@code gpu[0]}); else null
 * @param condition the conditions as text ({@code min 32000, max 33000})
 * @param observed the observed value, null when there was none
 * @param unit the observed metric's unit, may be null
 * @param baseline the baseline's value where a ratio used one, else null
 * @param status the outcome
 * @param severity the gate's severity
 * @param message what was found, in words: {@code observed 31000 MiB < min 32000 MiB}
 * @param source the evidence file (and line) the observed value came from, null when none
 * @param description the gate's description from the policy, may be null
 */
public record GateResult(
        String id,
        String metric,
        String entity,
        String condition,
        MetricValue observed,
        String unit,
        Double baseline,
        GateStatus status,
        Severity severity,
        String message,
        EvidenceSource source,
        String description) {

    public GateResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    /** The row's name as a test case: the gate id, and the entity in parentheses. */
    public String testName() {
        return entity == null ? id : id + " (" + entity + ")";
    }

    /** True when the gate did not hold (FAILED or UNSTABLE). */
    public boolean failed() {
        return status == GateStatus.FAILED || status == GateStatus.UNSTABLE;
    }
}
