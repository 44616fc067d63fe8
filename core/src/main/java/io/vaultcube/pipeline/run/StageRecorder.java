package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.SecretMasker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Keeps what a stage did while it runs (the commands with their exit status, the messages for the
 * person) and writes its {@code metrics.json} and {@code stage.json} at the end.
 *
 * <p>Runners read the tool's output unmasked (so that a secret that is also a word of the output
 * cannot change a verdict), so what they derive from it may hold a secret: every message, every
 * text value and every key of a metric name is masked here, on the way to the evidence.
 */
public final class StageRecorder {
    private final StageEvidence stage;
    private final Instant started = Instant.now();
    private final List<StageRecord.Command> commands = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private SecretMasker masker = SecretMasker.none();

    public StageRecorder(StageEvidence stage) {
        this.stage = stage;
    }

    /** The secrets to mask in messages and metrics from now on. */
    public void masking(SecretMasker secrets) {
        this.masker = secrets;
    }

    public SecretMasker masker() {
        return masker;
    }

    /**
     * Refuses a stage directory that already holds files: evidence of two runs mixed in one
     * directory could let stale files speak for a run that never wrote them.
     */
    public static void requireEmpty(StageEvidence stage) throws RunSetupException, IOException {
        requireEmpty(stage, Set.of());
    }

    /** {@link #requireEmpty(StageEvidence)}, where the files named {@code besides} may already be. */
    public static void requireEmpty(StageEvidence stage, Set<String> besides)
            throws RunSetupException, IOException {
        try (Stream<Path> entries = Files.list(stage.dir())) {
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
        messages.add(masker.mask(message));
    }

    /** A fixed sentence of vault's own that holds no secret, kept unmasked (a short secret would garble it). */
    public void messageWithoutSecrets(String message) {
        messages.add(message);
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** The metrics with every secret masked in text values and name keys; the first of two that become one stays. */
    private MetricSet masked(MetricSet metrics) {
        if (metrics == null || masker.isEmpty()) {
            return metrics;
        }
        MetricSet out = new MetricSet();
        for (Metric m : metrics) {
            MetricValue value = m.value() instanceof MetricValue.Text t ? MetricValue.of(masker.mask(t.value()))
                    : m.value();
            Metric masked = new Metric(m.name().mapKeys(masker::mask), value, m.unit(), m.source());
            if (out.get(masked.name()).isEmpty()) {
                out.add(masked);
            }
        }
        return out;
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
            metrics = masked(metrics);
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
