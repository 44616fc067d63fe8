package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.exec.LineListener;
import io.vaultcube.pipeline.exec.OutputSource;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A raw log file of a stage: the tool's output lines as they arrive (already masked by the process
 * runner), each ended by a newline and flushed at once, so that the file on disk is complete up to
 * the last line even when the run is aborted, and a person can follow it with {@code tail -f}.
 *
 * <p>Written through a {@link FileOutputStream}, not a channel: an interrupted thread (an abort)
 * must not close the file half-way.
 */
public final class EvidenceLog implements LineListener, AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private long lines;

    public EvidenceLog(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(new FileOutputStream(file.toFile()), 65536);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void onLine(OutputSource source, String line) {
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\n');
            out.flush();
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evidence log " + file, e);
        }
    }

    public synchronized long lines() {
        return lines;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
