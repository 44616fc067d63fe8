package io.vaultcube.pipeline.exec;

import java.time.Duration;
import java.time.Instant;

/**
 * The result of one run.
 *
 * @param commandLine the command as displayed, secrets masked
 * @param exitCode the exit status; 128 + N when the process died of signal N
 * @param started when the process was started
 * @param ended when the process and its output were finished
 * @param outcome whether it exited, was cancelled or timed out
 * @param strongestSignal the strongest signal needed to stop the tree: null when none was sent,
 *     else "INT", "TERM" or "KILL"
 */
public record ProcessResult(
        String commandLine,
        int exitCode,
        Instant started,
        Instant ended,
        ProcessOutcome outcome,
        String strongestSignal) {

    public Duration duration() {
        return Duration.between(started, ended);
    }

    public boolean cancelled() {
        return outcome == ProcessOutcome.CANCELLED;
    }

    public boolean timedOut() {
        return outcome == ProcessOutcome.TIMED_OUT;
    }

    /** True when the process exited by itself with status 0. */
    public boolean succeeded() {
        return outcome == ProcessOutcome.EXITED && exitCode == 0;
    }
}
