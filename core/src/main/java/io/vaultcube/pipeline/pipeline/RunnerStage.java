package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A stage kind that runs a {@link io.vaultcube.pipeline.run.StageRunner} (or reads a recorded
 * stage) into its evidence stage. It says how a stage becomes the runner's settings; the outcome
 * is decided here, the same for all: a fault in recorded evidence is the gate's to judge and does
 * not fail the pipeline by itself.
 *
 * @param <S> the kind's stage
 */
public abstract class RunnerStage<S extends StageSpec> implements StageKind<S> {
    /** Runs the tool (or reads the recording) into the stage's evidence. */
    protected abstract RunResult runInto(S stage, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException;

    @Override
    public final StageOutcome run(S stage, PipelineRunner.Context context, Instant started)
            throws IOException, RunSetupException {
        RunResult r = runInto(stage, context, context.evidence().stage(stage.name()));
        boolean recorded = stage.recorded() != null;
        StageOutcome.Result result = StageOutcome.Result.of(r.status(), recorded);
        String detail = recorded ? "evidence read from " + stage.recorded() + ", not measured now"
                : r.status() == StageStatus.FAILED && !r.messages().isEmpty() ? r.messages().get(0) : null;
        boolean failed = !recorded && (r.status() == StageStatus.FAILED || r.status() == StageStatus.ABORTED);
        return new StageOutcome(stage.name(), stage.kind(), result, failed,
                Duration.between(started, context.clock().instant()), detail);
    }
}
