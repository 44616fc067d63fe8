package io.vaultcube.pipeline.pipeline;

import java.time.Duration;

/**
 * How one stage of a pipeline run ended, for the console and the caller.
 *
 * @param name the stage
 * @param kind its kind
 * @param result what it came to: SUCCEEDED, FAILED, ABORTED, RECORDED, RECORDED-FAULT, SKIPPED, a
 *     gate's verdict (SUCCESS, UNSTABLE, FAILURE), or a promotion's (PROMOTED, UNCHANGED, REFUSED)
 * @param failed true when this stage makes the pipeline fail
 * @param duration how long it took
 * @param detail one line for a person: why it failed, where its report or image is
 */
public record StageOutcome(String name, String kind, String result, boolean failed, Duration duration, String detail) {
}
