package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps what a stage did while it runs (the commands with their exit status, the messages for the
 * person) and writes its {@code metrics.json} and {@code stage.json} at the end.
 */
public final class StageRecorder {
    private final StageEvidence stage;
    private final Instant started = Instant.now();
    private final List<StageRecord.Command> commands = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    public StageRecorder(StageEvidence stage) {
        this.stage = stage;
    }

    /**
     * Refuses a stage directory that already holds files: evidence of two runs mixed in one
     * directory could let stale files speak for a run that never wrote them.
     */
    public static void requireEmpty(StageEvidence stage) throws RunSetupException, IOException {
        requireEmpty(stage, java.util.Set.of());
    }

    /** {@link #requireEmpty(StageEvidence)}, where the files named {@code besides} may already be. */
    public static void requireEmpty(StageEvidence stage, java.util.Set<String> besides)
            throws RunSetupException, IOException {
        try (Stream<java.nio.file.Path> entries = Files.list(stage.dir())) {
            List<String> names = entries.map(p -> p.getFileName().toString()).filter(n -> !besides.contains(n))
                    .sorted().limit(5).toList();
            if (!names.isEmpty()) {
                throw new RunSetupException("the evidence directory " + stage.dir() + " already holds files of a run ("
                        + String.join(", ", names) + (names.size() == 5 ? ", ..." : "")
                        + "); give a fresh evidence directory");
            }
        }
    }

    public StageEvidence stage() {
        return stage;
    }

    public Instant started() {
        return started;
    }

    public void command(ProcessResult result) {
        commands.add(new StageRecord.Command(result.commandLine(), result.exitCode(), result.outcome().name(),
                result.duration().toMillis()));
    }

    /** How many commands were recorded so far. */
    /** A command another runner already recorded (a runner that runs a runner keeps its commands). */
    public void commandRecord(StageRecord.Command command) {
        commands.add(command);
    }

    public int commandCount() {
        return commands.size();
    }

    public void message(String message) {
        messages.add(message);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /**
     * Writes {@code metrics.json} (when {@code metrics} is not null) and {@code stage.json}, and
     * returns the run's result. An interrupt pending on this thread (the abort that ended the run)
     * is held back while the files are written, so that it cannot cut them short, and set again
     * afterwards.
     */
    public RunResult finish(StageStatus status, MetricSet metrics) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            Instant ended = Instant.now();
            if (metrics != null) {
                stage.writeMetrics(metrics);
            }
            stage.writeRecord(new StageRecord(stage.name(), status, started, ended, commands, messages, null));
            return new RunResult(status, metrics == null ? new MetricSet() : metrics, messages, stage.dir(),
                    Duration.between(started, ended));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
