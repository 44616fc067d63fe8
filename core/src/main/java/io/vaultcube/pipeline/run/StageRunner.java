package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.StageEvidence;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Runs one tool into one evidence stage. Every runner (packer, ansible, gpu, bench, stress) has
 * this shape, so the CLI, the pipeline and the Jenkins steps call them all the same way.
 *
 * <p>An implementation holds no state between runs: one instance may run any number of stages,
 * also at once. Interrupting the calling thread aborts the run; the stage is recorded ABORTED and
 * the interrupt is kept.
 *
 * @param <S> the runner's settings
 */
public interface StageRunner<S extends StageSettings> {
    /**
     * Runs the tool.
     *
     * @param settings what to run and how
     * @param console where the person reads the tool's output and the verdict (null to discard it)
     * @param stage the evidence stage to write; must be empty. The CLI writes
     *     {@code evidence.stage(settings.stageName())}; a pipeline or a Jenkins step may name another
     *     stage, except for bench and stress settings, whose metric names follow the stage they name
     *     and which refuse any other
     * @return how it ended, with the metrics written and the messages for the person
     * @throws RunSetupException nothing was started: a missing input, tool or script, a non-empty stage
     * @throws IOException the evidence could not be written
     */
    RunResult run(S settings, OutputStream console, StageEvidence stage) throws RunSetupException, IOException;
}
