package io.vaultcube.pipeline.gate;

import java.util.Collection;

/** The verdict over all gates; the names are Jenkins' build results. */
public enum Verdict {
    SUCCESS,
    UNSTABLE,
    FAILURE;

    /**
     * FAILURE if any row FAILED, or if no row PASSED (a policy whose every gate was skipped checked
     * nothing, and nothing is not a pass); else UNSTABLE if any row is UNSTABLE, else SUCCESS.
     */
    public static Verdict of(Collection<GateResult> rows) {
        boolean unstable = false;
        boolean passed = false;
        for (GateResult row : rows) {
            if (row.status() == GateStatus.FAILED) {
                return FAILURE;
            }
            unstable |= row.status() == GateStatus.UNSTABLE;
            passed |= row.status() == GateStatus.PASSED;
        }
        if (!passed) {
            return FAILURE;
        }
        return unstable ? UNSTABLE : SUCCESS;
    }
}
