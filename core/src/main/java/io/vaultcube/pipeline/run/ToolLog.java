package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.exec.LineListener;
import io.vaultcube.pipeline.exec.ProcessSpec;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A tool's output, kept twice when there are secrets to mask: masked, as the stage's evidence file
 * that the person, the report and the gate read; and as the tool wrote it, in the run's private
 * directory, for the runner's own parsing. A secret that is also a word of the output ("ok",
 * "Throughput", "Tested") must not change what the runner reads from it, so the runner parses
 * {@link #parsed()}, never the masked copy. Line N of either file is line N of the evidence file,
 * which the metrics cite. Without secrets there is one file: the evidence file is the same text.
 *
 * <p>Made by {@link StageSession#toolLog}; the raw copy is removed with the private directory.
 */
public final class ToolLog implements AutoCloseable {
    /** How the raw copy of a log is named in the private directory. */
    public static final String RAW_PREFIX = "unmasked-";

    private final EvidenceLog evidence;
    private final EvidenceLog raw;

    ToolLog(Path evidenceFile, PrivateTempDir rawDir) throws IOException {
        this.evidence = new EvidenceLog(evidenceFile);
        try {
            this.raw = rawDir == null ? null : new EvidenceLog(rawDir.newFile(RAW_PREFIX + evidenceFile.getFileName()));
        } catch (IOException | RuntimeException e) {
            evidence.close();
            throw e;
        }
    }

    /** Gets the masked lines (a spec's {@link ProcessSpec.Builder#listener}). */
    public LineListener evidence() {
        return evidence;
    }

    /** Gets the lines as the tool wrote them (a spec's {@link ProcessSpec.Builder#rawListener}). */
    public LineListener raw() {
        return raw == null ? (source, line) -> { } : raw;
    }

    /** Sends all of a spec's output here: masked to the evidence, raw to the copy. */
    public ProcessSpec.Builder into(ProcessSpec.Builder spec) {
        return raw == null ? spec.listener(evidence) : spec.listener(evidence).rawListener(raw);
    }

    /** The file the runner parses: the raw copy when there is one, else the evidence file. */
    public Path parsed() {
        return raw == null ? evidence.file() : raw.file();
    }

    /** The lines written to the evidence file so far. */
    public long lines() {
        return evidence.lines();
    }

    @Override
    public void close() throws IOException {
        try {
            evidence.close();
        } finally {
            if (raw != null) {
                raw.close();
            }
        }
    }
}
