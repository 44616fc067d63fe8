package io.vaultcube.pipeline.gate;

/** The outcome of one gate row. */
public enum GateStatus {
    /** The condition held. */
    PASSED,
    /** The condition did not hold (or there was no evidence) and the gate's severity is {@code failure}. */
    FAILED,
    /** The condition did not hold (or there was no evidence) and the gate's severity is {@code unstable}. */
    UNSTABLE,
    /** An optional gate found no evidence (or no baseline): nothing was checked. */
    SKIPPED;

    /** The status of a gate that did not hold, by severity. */
    public static GateStatus failedWith(Severity severity) {
        return severity == Severity.FAILURE ? FAILED : UNSTABLE;
    }

    /** Failed rows first, then unstable, skipped, passed: the order reports list them in. */
    public int reportOrder() {
        return switch (this) {
            case FAILED -> 0;
            case UNSTABLE -> 1;
            case SKIPPED -> 2;
            default -> 3;
        };
    }
}
