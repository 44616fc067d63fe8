package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.run.RunSetupException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The one list of pipeline stage kinds, in the order docs/pipeline-file.md describes them. */
public final class StageKinds {
    /** Every stage kind; a kind not listed here cannot be written in a pipeline file. */
    public static final List<StageKind<?>> ALL = List.of(
            new PackerBuildStage(),
            new ProvisionStage(),
            new InventoryStage(),
            new GpuValidateStage(),
            new BenchStage(),
            new StressStage(),
            new GateStage(),
            new PromoteStage());

    private StageKinds() {
    }

    /** The kind {@code run:} names, if there is one. */
    public static Optional<StageKind<?>> find(String id) {
        return ALL.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** The ids of all kinds, in order. */
    public static List<String> ids() {
        return ALL.stream().map(StageKind::id).toList();
    }

    /** The kind of a stage that was read by it. */
    public static StageKind<?> of(StageSpec stage) {
        return find(stage.kind()).orElseThrow(() -> new IllegalStateException("no stage kind " + stage.kind()));
    }

    static void preflight(StageSpec stage, PreflightChecks checks) {
        preflight(of(stage), stage, checks);
    }

    static StageOutcome run(StageSpec stage, PipelineRunner.Context context, Instant started)
            throws IOException, RunSetupException {
        return run(of(stage), stage, context, started);
    }

    private static <S extends StageSpec> void preflight(StageKind<S> kind, StageSpec stage, PreflightChecks checks) {
        kind.preflight(kind.specType().cast(stage), checks);
    }

    private static <S extends StageSpec> StageOutcome run(StageKind<S> kind, StageSpec stage,
            PipelineRunner.Context context, Instant started) throws IOException, RunSetupException {
        return kind.run(kind.specType().cast(stage), context, started);
    }
}
