package io.vaultcube.pipeline.gate.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a report file whole or not at all: temporary file beside it, fsync, rename. */
public final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * Writes the report; a failure names {@code target} as given, never the temporary file, which
     * the person did not ask for and will not find.
     */
    public static void write(Path target, String text) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(tmp);
                }
            } catch (IOException ignored) {
                // The write already failed; that failure is the one to report.
            }
            throw new IOException("cannot write " + target + ": " + reason(e, tmp), e);
        }
    }

    /** Why a write failed, naming a path only when it is another than the temporary file (a parent directory). */
    private static String reason(IOException e, Path tmp) {
        if (!(e instanceof FileSystemException f)) {
            return e.getMessage();
        }
        String why = f instanceof NoSuchFileException ? "no such file or directory"
                : f instanceof AccessDeniedException ? "permission denied"
                : f instanceof FileAlreadyExistsException ? "a file is in the way"
                : f.getReason() != null ? f.getReason() : f.getClass().getSimpleName();
        return f.getFile() == null || f.getFile().equals(tmp.toString()) ? why : why + " (" + f.getFile() + ")";
    }
}
