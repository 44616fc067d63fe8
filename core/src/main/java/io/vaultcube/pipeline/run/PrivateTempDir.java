package io.vaultcube.pipeline.run;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A fresh directory that only its owner can enter (0700), for the files a run must hand to a tool
 * but nobody else may read: a generated variable file with secrets in it, a copy of a private key,
 * the tool's own temporary files. {@link #close()} removes it with everything in it; runners close
 * it in a {@code finally}, so it is gone after success, failure and abort alike (only a SIGKILL of
 * this JVM can leave it behind).
 */
public final class PrivateTempDir implements AutoCloseable {
    private static final Set<PosixFilePermission> DIR_0700 = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_0600 = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private boolean closed;

    private PrivateTempDir(Path dir) {
        this.dir = dir;
    }

    /** Creates {@code ROOT/PREFIXrandom} with mode 0700; ROOT null means the system's temp directory. */
    public static PrivateTempDir create(Path root, String prefix) throws IOException {
        Path parent = root == null ? Path.of(System.getProperty("java.io.tmpdir")) : root;
        Files.createDirectories(parent);
        Path dir = Files.createTempDirectory(parent, prefix, PosixFilePermissions.asFileAttribute(DIR_0700));
        // The umask may have narrowed the mode at creation; make it exactly 0700.
        Files.setPosixFilePermissions(dir, DIR_0700);
        return new PrivateTempDir(dir);
    }

    public Path path() {
        return dir;
    }

    /** A subdirectory, 0700 like its parent. */
    public Path directory(String name) throws IOException {
        Path sub = resolve(name);
        Files.createDirectory(sub, PosixFilePermissions.asFileAttribute(DIR_0700));
        Files.setPosixFilePermissions(sub, DIR_0700);
        return sub;
    }

    /**
     * Writes a new file that is never readable by others, not even for a moment: it is created
     * 0600, written, then given its final mode ({@code "r--------"} for a key).
     */
    public Path writeFile(String name, byte[] content, String mode) throws IOException {
        Path file = resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_0600));
        Files.setPosixFilePermissions(file, FILE_0600);
        // FileOutputStream, not a channel: an interrupt (an abort) must not stop the write half-way.
        try (OutputStream out = new FileOutputStream(file.toFile())) {
            out.write(content);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /** A new empty file, 0600, for a writer that fills it while a tool runs. */
    public Path newFile(String name) throws IOException {
        Path file = resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_0600));
        Files.setPosixFilePermissions(file, FILE_0600);
        return file;
    }

    /** The files (not directories) under a subdirectory, relative to it, sorted; empty when none. */
    public List<String> filesUnder(String subdirectory) throws IOException {
        Path sub = resolve(subdirectory);
        if (!Files.isDirectory(sub)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(sub)) {
            return walk.filter(p -> !Files.isDirectory(p)).map(p -> sub.relativize(p).toString()).sorted().toList();
        }
    }

    private Path resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return dir.resolve(name);
    }

    /** Removes the directory and everything in it; throws when something could not be removed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failed = new ArrayList<>();
        if (!Files.exists(dir)) {
            return;
        }
        // A tool may have left read-only directories: make them writable before removing their entries.
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                try {
                    Files.setPosixFilePermissions(d, DIR_0700);
                } catch (IOException e) {
                    // Removal below reports what stays.
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                delete(file, failed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                delete(file, failed);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
                delete(d, failed);
                return FileVisitResult.CONTINUE;
            }
        });
        if (!failed.isEmpty()) {
            throw new IOException("could not remove the private temporary files " + failed
                    + "; remove them by hand, they may hold secrets");
        }
    }

    private static void delete(Path p, List<String> failed) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException e) {
            // Gone already.
        } catch (IOException e) {
            failed.add(p + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
