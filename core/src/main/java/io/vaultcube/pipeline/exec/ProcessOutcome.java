package io.vaultcube.pipeline.exec;

/** How a run ended. */
public enum ProcessOutcome {
    /** The process exited on its own; see the exit code. */
    EXITED,
    /** The run was cancelled (abort, Ctrl-C, a stopped build) and its process tree stopped. */
    CANCELLED,
    /** The run exceeded its time limit and its process tree was stopped. */
    TIMED_OUT
}
