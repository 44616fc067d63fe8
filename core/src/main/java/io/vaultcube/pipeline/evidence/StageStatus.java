package io.vaultcube.pipeline.evidence;

/** How a stage's run ended, as recorded in its {@code stage.json}. */
public enum StageStatus {
    /** The tool ran and its run succeeded. */
    SUCCEEDED,
    /** The tool ran and failed (exit status, failed build, parse error). */
    FAILED,
    /** The run was cancelled or timed out; what was captured is kept, marked incomplete. */
    ABORTED,
    /** Nothing was run now: the evidence was copied from a recorded set (see {@code recordedFrom}). */
    RECORDED
}
