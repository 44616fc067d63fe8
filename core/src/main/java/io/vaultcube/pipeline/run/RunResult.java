package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a runner did, as the caller needs it: how it ended, the metrics it wrote to its stage's
 * {@code metrics.json}, the messages a person should read (why it failed, what was masked or
 * cleaned up), and where the evidence is.
 *
 * @param status SUCCEEDED, FAILED or ABORTED (never RECORDED: a runner always runs)
 * @param metrics the metrics written (empty when none were written, e.g. after an abort)
 * @param messages what a person should know, most important first
 * @param stageDirectory the stage's evidence directory
 * @param duration the wall time of the whole stage
 */
public record RunResult(StageStatus status, MetricSet metrics, List<String> messages, Path stageDirectory,
        Duration duration) {
    public RunResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metrics, "metrics");
        messages = List.copyOf(messages);
        Objects.requireNonNull(stageDirectory, "stageDirectory");
        Objects.requireNonNull(duration, "duration");
        if (status == StageStatus.RECORDED) {
            throw new IllegalArgumentException("a runner's result is never RECORDED");
        }
    }

    public boolean succeeded() {
        return status == StageStatus.SUCCEEDED;
    }

    public boolean aborted() {
        return status == StageStatus.ABORTED;
    }
}
