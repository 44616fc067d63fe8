package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.Verdict;
import java.time.Duration;

/**
 * How one stage of a pipeline run ended, for the console and the caller.
 *
 * @param name the stage
 * @param kind its kind
 * @param result what it came to
 * @param failed true when this stage makes the pipeline fail
 * @param duration how long it took
 * @param detail one line for a person: why it failed, where its report or image is
 */
public record StageOutcome(String name, String kind, Result result, boolean failed, Duration duration, String detail) {

    /** What a stage came to: a runner's status, a gate's verdict or a promotion's result. */
    public enum Result {
        SUCCEEDED, FAILED, ABORTED, SKIPPED,
        /** Recorded evidence read again, and it holds. */
        RECORDED,
        /** Recorded evidence read again, of a run that failed. */
        RECORDED_FAULT("RECORDED-FAULT"),
        /** A gate's verdicts. */
        SUCCESS, UNSTABLE, FAILURE,
        /** A promotion's results. */
        PROMOTED, UNCHANGED, REFUSED;

        private final String label;

        Result() {
            this.label = name();
        }

        Result(String label) {
            this.label = label;
        }

        /** A runner's status, as a live or a recorded stage. */
        static Result of(StageStatus status, boolean recorded) {
            return switch (status) {
                case SUCCEEDED -> recorded ? RECORDED : SUCCEEDED;
                case FAILED -> recorded ? RECORDED_FAULT : FAILED;
                case ABORTED -> ABORTED;
                case RECORDED -> RECORDED;
            };
        }

        /** A gate's verdict. */
        static Result of(Verdict verdict) {
            return valueOf(verdict.name());
        }

        /** As the console and the summary show it. */
        @Override
        public String toString() {
            return label;
        }
    }
}
