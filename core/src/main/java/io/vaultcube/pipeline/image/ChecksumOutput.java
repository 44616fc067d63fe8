package io.vaultcube.pipeline.image;

/** Where checksum work reports: result lines (stdout) and messages (stderr, the caller prefixes its name). */
public interface ChecksumOutput {
    /** A result line, without its newline. */
    void line(String text);

    /** A diagnostic, without the program name and without a newline. */
    void message(String text);
}
