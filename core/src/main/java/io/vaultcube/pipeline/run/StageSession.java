package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.exec.RunningProcess;
import io.vaultcube.pipeline.exec.SecretMasker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a runner: the stage it writes, the console the person reads, and how its tool is
 * started. The one place that starts a tool as {@link ProcessControl} says, writes a message once
 * to both the record ({@code stage.json}) and the console, words an abort, and removes the private
 * temporary files.
 */
public final class StageSession {
    /** How the runners' own lines start on the console, to tell them from the tool's. */
    public static final String PREFIX = "vault: ";

    private final ProcessRunner processes;
    private final ProcessControl control;
    private final Path workDir;
    private final Console console;
    private final StageRecorder recorder;

    /**
     * @param workDir the run's working directory, as {@link Executables#workingDirectory} resolved it
     */
    public StageSession(ProcessRunner processes, ProcessControl control, Path workDir, Console console,
            StageEvidence stage) {
        this.processes = processes;
        this.control = control;
        this.workDir = workDir;
        this.console = console;
        this.recorder = new StageRecorder(stage);
        recorder.masking(SecretMasker.of(control.secrets()));
    }

    public StageSession(ProcessRunner processes, ProcessControl control, Path workDir, OutputStream console,
            StageEvidence stage) {
        this(processes, control, workDir, new Console(console), stage);
    }

    public StageEvidence stage() {
        return recorder.stage();
    }

    public Console console() {
        return console;
    }

    public StageRecorder recorder() {
        return recorder;
    }

    public Path workDir() {
        return workDir;
    }

    public ProcessControl control() {
        return control;
    }

    public ProcessRunner processes() {
        return processes;
    }

    /**
     * More values to mask in this session's messages, console lines and metrics (the forms a
     * runner found for its secrets); the tool's output is masked by the spec's secrets.
     */
    public void maskAlso(Collection<String> values) {
        recorder.masking(recorder.masker().with(values));
    }

    /** What this session masks. */
    public SecretMasker masker() {
        return recorder.masker();
    }

    /**
     * Says once, on the console and in the record, that some secrets are so short that masking
     * them hides every occurrence of those characters (and a reader can guess them by elimination).
     */
    public void warnShortSecrets(Collection<String> values) {
        for (String value : values) {
            if (value != null && !value.isBlank() && value.strip().length() < SHORT_SECRET) {
                // Unmasked: this fixed sentence holds no secret, and masking a short one would garble it.
                String warning = "a secret is shorter than " + SHORT_SECRET + " characters: masking it hides every"
                        + " occurrence of those characters in the output, and where they were masked can give it"
                        + " away; use a longer secret";
                recorder.messageWithoutSecrets(warning);
                console.println(PREFIX + warning);
                return;
            }
        }
    }

    /** Below this many characters a secret is too short to mask well ({@link #warnShortSecrets}). */
    public static final int SHORT_SECRET = 6;

    /** A message for the person, in the record and on the console. */
    public void note(String message) {
        recorder.message(message);
        console.println(PREFIX + masker().mask(message));
    }

    /** Like {@link #note(String)}, with a label on the console only ({@code "FAULT: "}). */
    public void note(String consoleLabel, String message) {
        recorder.message(message);
        console.println(PREFIX + consoleLabel + masker().mask(message));
    }

    /** A message kept in the record now and shown when the stage ends ({@link #fail}). */
    public void record(String message) {
        recorder.message(message);
    }

    /** A progress line on the console only. */
    public void say(String line) {
        console.println(PREFIX + masker().mask(line));
    }

    /**
     * A spec for the tool, set up as the settings say: the whole environment (this process's, the
     * settings' changes, then {@code extraEnv}; a null value removes a variable), the working
     * directory, the time limit, the graces and the values to mask.
     */
    public ProcessSpec.Builder spec(List<String> argv, Map<String, String> extraEnv) {
        Map<String, String> changes = new LinkedHashMap<>(control.environment());
        changes.putAll(extraEnv);
        return ChildEnvironment.apply(ProcessSpec.builder(argv), changes)
                .workingDirectory(workDir)
                .timeout(control.timeout())
                .graces(control.interruptGrace(), control.terminateGrace())
                .secrets(control.secrets());
    }

    /**
     * The evidence file {@code name} of a tool's output, masked, with (when this session masks
     * anything) a raw copy in {@code tmp} for the runner's parsing: see {@link ToolLog}.
     */
    public ToolLog toolLog(String name, PrivateTempDir tmp) throws IOException {
        return new ToolLog(stage().file(name), masker().isEmpty() ? null : tmp);
    }

    /** Runs a tool to its end and records the command with its exit status. */
    public ProcessResult run(ProcessSpec spec) throws IOException {
        ProcessResult result = processes.run(spec);
        recorder.command(result);
        return result;
    }

    /** Starts a tool; the caller records it ({@link #command}) when it has ended. */
    public RunningProcess start(ProcessSpec spec) throws IOException {
        return processes.start(spec);
    }

    public void command(ProcessResult result) {
        recorder.command(result);
    }

    /**
     * The one wording of a tool stopped by a time limit or an abort: "WHAT timed out after 1h30m;
     * TOOL was stopped with SIGINT; evidence incomplete, no metrics written".
     *
     * @param detail said after the signal (may be empty)
     */
    public static String stopped(String what, ProcessResult result, Duration limit, String tool, String detail) {
        return (result.timedOut() ? what + " timed out after " + (limit == null ? "?" : Durations.format(limit))
                : what + " was aborted") + "; " + tool + " was stopped with SIG" + result.strongestSignal() + detail
                + "; evidence incomplete, no metrics written";
    }

    /** Ends the stage ABORTED, without metrics, saying why. */
    public RunResult abort(String why) throws IOException {
        note(why);
        return recorder.finish(StageStatus.ABORTED, null);
    }

    /** Ends the stage ABORTED because its tool was stopped ({@link #stopped}). */
    public RunResult abortedBy(String what, ProcessResult result, String tool, String detail) throws IOException {
        return abort(stopped(what, result, control.timeout(), tool, detail));
    }

    /** Ends the stage FAILED and shows every message recorded so far. */
    public RunResult fail(MetricSet metrics) throws IOException {
        RunResult result = recorder.finish(StageStatus.FAILED, metrics);
        for (String m : result.messages()) {
            console.println(PREFIX + masker().mask(m));
        }
        return result;
    }

    /** Writes the metrics (when not null) and {@code stage.json}. */
    public RunResult finish(StageStatus status, MetricSet metrics) throws IOException {
        return recorder.finish(status, metrics);
    }

    /** The work done in a private temporary directory; it may add notes for after the cleanup. */
    @FunctionalInterface
    public interface TempWork {
        RunResult run(PrivateTempDir tmp, List<String> notesAfterCleanup) throws IOException;
    }

    /**
     * Runs work in a fresh private (0700) temporary directory and removes it after success, failure
     * and abort. Notes the work left, and a cleanup that failed, amend {@code stage.json}; a cleanup
     * that failed also fails the stage (its files may hold secrets), unless it was aborted.
     *
     * @param root where the directory is made, or null for the system's temporary directory
     */
    public RunResult withPrivateTemp(Path root, String prefix, TempWork work) throws IOException {
        RunResult result;
        List<String> notes = new ArrayList<>();
        IOException cleanupFailure = null;
        PrivateTempDir tmp = PrivateTempDir.create(root, prefix);
        try {
            result = work.run(tmp, notes);
        } finally {
            try {
                tmp.close();
            } catch (IOException e) {
                cleanupFailure = e;
            }
        }
        StageStatus status = result.status();
        if (cleanupFailure != null) {
            notes.add(cleanupFailure.getMessage());
            if (status != StageStatus.ABORTED) {
                status = StageStatus.FAILED;
            }
        }
        if (notes.isEmpty()) {
            return result;
        }
        notes.forEach(this::note);
        return recorder.finish(status, result.metrics().isEmpty() ? null : result.metrics());
    }

    /** Refuses a stage other than the one the settings name (a caller's mistake, not the person's). */
    public static void requireStageOf(StageSettings settings, StageEvidence stage) {
        if (!stage.name().equals(settings.stageName())) {
            throw new IllegalArgumentException("stage " + stage.name() + " given for settings of stage "
                    + settings.stageName());
        }
    }

    /**
     * The files resolved against the working directory; each must be a readable regular file.
     *
     * @param what how the message names one ("variable file")
     */
    public static List<Path> readableFiles(Path workDir, List<Path> files, String what) throws RunSetupException {
        List<Path> resolved = new ArrayList<>();
        for (Path f : files) {
            Path file = workDir.resolve(f).normalize();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new RunSetupException("no readable " + what + " at " + file);
            }
            resolved.add(file);
        }
        return resolved;
    }
}
