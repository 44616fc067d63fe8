package io.vaultcube.pipeline.evidence;

import java.util.Objects;

/**
 * Where a metric's value was read: a file (relative to the evidence directory when the file is in
 * one, with forward slashes) and, where known, a 1-based line.
 */
public record EvidenceSource(String file, Long line) {
    public EvidenceSource {
        Objects.requireNonNull(file, "file");
        if (file.isBlank()) {
            throw new IllegalArgumentException("an evidence file must be named");
        }
        if (line != null && line < 1) {
            throw new IllegalArgumentException("lines count from 1, not " + line);
        }
    }

    public static EvidenceSource file(String file) {
        return new EvidenceSource(file, null);
    }

    public static EvidenceSource line(String file, long line) {
        return new EvidenceSource(file, line);
    }

    /** The same file, another line. */
    public EvidenceSource atLine(long number) {
        return new EvidenceSource(file, number);
    }

    @Override
    public String toString() {
        return line == null ? file : file + ":" + line;
    }
}
