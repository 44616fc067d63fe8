package io.vaultcube.pipeline.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a runner writes for the person: lines of text to an output stream (a terminal, a Jenkins
 * build log), flushed as they come. A console that went away (a closed pipe) does not stop the
 * run: the tool keeps running and the evidence keeps being written.
 */
public final class Console {
    private final OutputStream out;
    private boolean broken;

    public Console(OutputStream out) {
        this.out = out;
    }

    /** The stream the console writes to, or null when it discards everything. */
    public OutputStream stream() {
        return out;
    }

    /**
     * One of vault's own lines; control characters in it (from a tool's task or host name, say)
     * are written out ({@link ConsoleText#escapeLines}), so that it cannot drive the terminal or
     * forge a line of vault's. Raw tool output goes through {@link #write(byte[])} unchanged.
     */
    public synchronized void println(String line) {
        write((ConsoleText.escapeLines(line) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void write(byte[] bytes) {
        if (out == null || broken) {
            return;
        }
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }
}
