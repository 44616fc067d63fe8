package io.vaultcube.pipeline.gate;

import java.util.Collection;

/** The verdict over all gates; the names are Jenkins' build results. */
public enum Verdict {
    SUCCESS,
    UNSTABLE,
    FAILURE;

    /** FAILURE if any row FAILED, else UNSTABLE if any row is UNSTABLE, else SUCCESS. */
    public static Verdict of(Collection<GateResult> rows) {
        boolean unstable = false;
        for (GateResult row : rows) {
            if (row.status() == GateStatus.FAILED) {
                return FAILURE;
            }
            unstable |= row.status() == GateStatus.UNSTABLE;
        }
        return unstable ? UNSTABLE : SUCCESS;
    }
}
