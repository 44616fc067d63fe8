package io.vaultcube.pipeline.parse;

import io.vaultcube.pipeline.evidence.MetricSet;
import java.io.IOException;
import java.util.Set;

/**
 * Turns one tool output format into metrics. One class per format (analysis-model style); the
 * {@link ParserRegistry} finds them by {@link #kind()}.
 *
 * <p>Every parser streams (line by line, memory flat in the size of the input), reports input it
 * cannot read as a {@link ParseException} naming the file and line (never a silent zero), and
 * returns only metrics it actually saw in the input. Parsers hold no state between calls.
 */
public interface EvidenceParser {
    /** The format's name as {@code vault parse KIND} takes it: {@code packer}, {@code nvidia-smi}, ... */
    String kind();

    /** One line for {@code vault parse --help}. */
    String description();

    /**
     * The options ({@link ParseInput#option(String)}) this format reads; none by default. A caller
     * that takes options from a person refuses any other, so a misspelt one cannot silently change
     * a metric.
     */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Parses one input.
     *
     * @throws ParseException the input is not of this format, or is truncated or garbled
     * @throws IOException the input could not be read at all
     */
    MetricSet parse(ParseInput input) throws ParseException, IOException;
}
