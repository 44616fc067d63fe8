package io.vaultcube.pipeline.parse;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One input to a parser: the file to read, the name its metrics cite as their source (relative to
 * the evidence directory when the file is in one), and format options (for example the field list
 * of a header-less nvidia-smi CSV: {@code fields=index,uuid,name}).
 */
public record ParseInput(Path file, String sourceName, Map<String, String> options) {
    public ParseInput {
        Objects.requireNonNull(file, "file");
        sourceName = sourceName == null ? file.toString() : sourceName;
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static ParseInput of(Path file) {
        return new ParseInput(file, null, null);
    }

    /** The source of a metric read at a line of this input. */
    public EvidenceSource at(long line) {
        return EvidenceSource.line(sourceName, line);
    }

    /** The source of a metric derived from the whole input. */
    public EvidenceSource whole() {
        return EvidenceSource.file(sourceName);
    }

    public String option(String name) {
        return options.get(name);
    }
}
