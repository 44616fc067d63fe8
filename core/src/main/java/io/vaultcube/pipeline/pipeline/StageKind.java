package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.run.RunSetupException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * A kind of pipeline stage ({@code run: packer-build}, {@code run: gate}, ...) that describes
 * itself: the keys it takes, how it reads them from the pipeline file, what it needs before the
 * first stage runs, and how it runs. Every kind is listed once, in {@link StageKinds#ALL}.
 *
 * @param <S> the kind's stage as written in the pipeline file
 */
public interface StageKind<S extends StageSpec> {
    /** The kind as {@code run:} names it. */
    String id();

    /** The class of its stages. */
    Class<S> specType();

    /** The keys a stage of this kind takes, besides {@code name} and {@code run}. */
    List<String> keys();

    /**
     * Reads a stage of this kind. Problems go to the reader, all of them, with their lines; the
     * stage is kept only when there were none.
     */
    S read(StageReader in);

    /**
     * Checks, before any stage runs, everything the stage needs that is not made by an earlier
     * stage: files, directories, tools on PATH, environment variables.
     */
    void preflight(S stage, PreflightChecks checks);

    /**
     * Runs the stage.
     *
     * @throws RunSetupException nothing was started (the stage fails with the message)
     * @throws IOException evidence could not be read or written (the stage fails with the message)
     */
    StageOutcome run(S stage, PipelineRunner.Context context, Instant started) throws IOException, RunSetupException;
}
