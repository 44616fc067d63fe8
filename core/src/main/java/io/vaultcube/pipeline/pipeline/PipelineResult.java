package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.gate.Verdict;
import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline run's outcome.
 *
 * @param evidence the run's evidence directory
 * @param stages every stage's outcome, in order (stages not reached after an abort are absent)
 * @param verdict the last gate's verdict, or null when no gate ran
 * @param aborted true when the run was interrupted (Ctrl-C, SIGTERM, a stopped build)
 */
public record PipelineResult(Path evidence, List<StageOutcome> stages, Verdict verdict, boolean aborted) {
    public PipelineResult {
        stages = List.copyOf(stages);
    }

    /** True when a stage failed or a gate said FAILURE. */
    public boolean failed() {
        return stages.stream().anyMatch(StageOutcome::failed);
    }

    /** True when nothing failed but a gate said UNSTABLE. */
    public boolean unstable() {
        return !failed() && verdict == Verdict.UNSTABLE;
    }
}
