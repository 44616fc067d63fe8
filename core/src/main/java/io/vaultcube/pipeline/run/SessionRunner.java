package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.parse.ParserRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * A runner whose run is one {@link StageSession}: what every tool runner did the same way before
 * its own work is done here once. The run's working directory is resolved, the runner checks what
 * it needs ({@link #prepare}: inputs, tool, script; nothing is started yet), the stage must be
 * empty, and the runner's work gets a session over the stage and the console.
 *
 * <p>A subclass keeps only what is its own: its checks and its work. Its constructors pass on the
 * process runner (the CLI's, the pipeline's or a Jenkins agent's, which registers the runs an abort
 * stops) and the parsers; the defaults are a new process runner and the standard parsers.
 *
 * @param <S> the runner's settings
 */
public abstract class SessionRunner<S extends StageSettings> implements StageRunner<S> {
    protected final ProcessRunner processes;
    protected final ParserRegistry parsers;

    protected SessionRunner() {
        this(new ProcessRunner());
    }

    protected SessionRunner(ProcessRunner processes) {
        this(processes, ParserRegistry.standard());
    }

    protected SessionRunner(ProcessRunner processes, ParserRegistry parsers) {
        this.processes = processes;
        this.parsers = parsers;
    }

    /** The work of one run, given its session; it ends the stage through the session. */
    @FunctionalInterface
    protected interface Work {
        RunResult in(StageSession session) throws RunSetupException, IOException;
    }

    /**
     * Checks what the run needs and returns its work. Nothing may be started here: a problem is a
     * {@link RunSetupException}, and the stage is left as it was.
     *
     * @param workDir the run's working directory, resolved ({@link Executables#workingDirectory})
     */
    protected abstract Work prepare(S settings, Path workDir, StageEvidence stage)
            throws RunSetupException, IOException;

    @Override
    public final RunResult run(S settings, OutputStream console, StageEvidence stage)
            throws RunSetupException, IOException {
        return run(settings, console, stage, Set.of());
    }

    /**
     * {@link #run(StageSettings, OutputStream, StageEvidence)}, in a stage that may already hold
     * the files named {@code besides} (a detached soak's own state); any other file refuses the stage.
     */
    public final RunResult run(S settings, OutputStream console, StageEvidence stage, Set<String> besides)
            throws RunSetupException, IOException {
        Path workDir = Executables.workingDirectory(settings.process().workingDirectory());
        Work work = prepare(settings, workDir, stage);
        StageRecorder.requireEmpty(stage, besides);
        return work.in(new StageSession(processes, settings.process(), workDir, console, stage));
    }
}
