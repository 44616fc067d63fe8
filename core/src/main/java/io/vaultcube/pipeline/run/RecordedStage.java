package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evidence recorded elsewhere (on the GPU box, by an earlier run) read into a stage: its raw files
 * are copied and parsed again by the same code a live run uses, and the stage is recorded as
 * {@link StageStatus#RECORDED} with where it came from, so no report can mistake it for a
 * measurement taken now. A recorded stage's own {@code metrics.json} is never copied: metrics
 * always come from the raw files.
 */
public final class RecordedStage {
    private final Path from;
    private final StageEvidence stage;
    private final Instant started = Instant.now();
    private final List<String> copied = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();

    private RecordedStage(Path from, StageEvidence stage) {
        this.from = from;
        this.stage = stage;
    }

    /** Checks the directory and copies its plain files into the (empty) stage. */
    public static RecordedStage copy(Path from, StageEvidence stage, String what)
            throws RunSetupException, IOException {
        if (!Files.isDirectory(from)) {
            throw new RunSetupException("no recorded " + what + " at " + from + " (a directory of its raw files)");
        }
        if (from.toAbsolutePath().normalize().equals(stage.dir().toAbsolutePath().normalize())) {
            throw new RunSetupException("the recorded " + what + " " + from + " is the stage directory itself");
        }
        StageRecorder.requireEmpty(stage);
        RecordedStage recorded = new RecordedStage(from, stage);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(from)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || name.startsWith(".")
                        || name.equals(StageEvidence.METRICS_FILE) || name.equals(StageEvidence.RECORD_FILE)) {
                    recorded.skipped.add(name);
                    continue;
                }
                Files.copy(p, stage.file(name), StandardCopyOption.COPY_ATTRIBUTES);
                recorded.copied.add(name);
            }
        }
        recorded.copied.sort(null);
        recorded.skipped.sort(null);
        return recorded;
    }

    public Path from() {
        return from;
    }

    public List<String> copied() {
        return List.copyOf(copied);
    }

    /** "recorded: ... copied from DIR; nothing was run on this host", and what was not copied. */
    public List<String> provenance() {
        List<String> out = new ArrayList<>();
        out.add("recorded: the files were copied from " + from + "; nothing was run on this host");
        if (!skipped.isEmpty()) {
            out.add("not copied (not plain files, or a stage's own metrics.json/stage.json): " + skipped);
        }
        return out;
    }

    /**
     * The recorded stage's own record, when it has one: it says how that run ended, the one fact
     * (complete or aborted) that its raw files cannot show.
     */
    public Optional<StageRecord> originalRecord() throws IOException {
        Path record = from.resolve(StageEvidence.RECORD_FILE);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        Path parent = from.toAbsolutePath().normalize().getParent();
        String name = from.getFileName().toString();
        if (parent == null || !EvidenceDir.STAGE_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of(EvidenceDir.open(parent).stage(name).readRecord());
    }

    /**
     * Writes the metrics and a RECORDED {@code stage.json}; the result's status says whether the
     * recorded evidence itself shows a fault ({@code verdict} FAILED) or not (SUCCEEDED).
     */
    public RunResult finish(StageStatus verdict, MetricSet metrics, List<String> messages) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            Instant ended = Instant.now();
            stage.writeMetrics(metrics);
            stage.writeRecord(new StageRecord(stage.name(), StageStatus.RECORDED, started, ended, List.of(), messages,
                    from.toString()));
            return new RunResult(verdict, metrics, messages, stage.dir(), Duration.between(started, ended));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
