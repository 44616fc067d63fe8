package io.vaultcube.pipeline.exec;

/**
 * Receives a child's output one line at a time, as the child produces it.
 *
 * <p>Lines arrive already masked and without their terminator ({@code \n} or {@code \r\n}); a
 * {@code \r} inside a line (progress bars) is kept. The runner calls listeners of one run one line
 * at a time, never concurrently, so a listener needs no locking of its own. A line longer than
 * {@link ProcessSpec#maxLineBytes()} arrives in pieces of at most that size.
 */
@FunctionalInterface
public interface LineListener {
    void onLine(OutputSource source, String line);
}
