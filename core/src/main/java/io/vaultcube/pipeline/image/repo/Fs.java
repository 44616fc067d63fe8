package io.vaultcube.pipeline.image.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Durable file operations: every change that must survive a crash is fsynced, file and directory.
 *
 * <p>The repository never follows a symbolic link of its own bookkeeping: a link planted at
 * {@code .vault/staging/IMAGE} or {@code IMAGE} would make a cleanup delete, or a lock truncate,
 * whatever it points to outside the repository. Every path the repository writes is checked
 * component by component with {@code lstat} ({@link #refuseLinks}), and files are opened with
 * {@code O_NOFOLLOW}. Channels are the only links a repository holds, and they are replaced by a
 * rename, never written through.
 */
final class Fs {
    private Fs() {
    }

    /**
     * Refuses when {@code path}, or any directory between the repository root and it, is a symbolic
     * link. The root itself is the user's choice (it may be a link); nothing below it may be.
     */
    static void refuseLinks(Path root, Path path) throws RepositoryException {
        Path relative = root.relativize(path);
        if (relative.startsWith("..")) {
            throw new IllegalArgumentException(path + " is not inside the repository " + root);
        }
        Path current = root;
        for (Path name : relative) {
            if (name.toString().isEmpty()) {
                continue;
            }
            current = current.resolve(name);
            if (Files.isSymbolicLink(current)) {
                throw refusedLink(current);
            }
        }
    }

    /**
     * Refuses a file of the repository's bookkeeping that shares its inode with another name (a hard
     * link planted at {@code audit.jsonl} would make every append write into a file outside the
     * repository). Absent files and directories pass.
     */
    static void refuseHardLinks(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links instanceof Integer n && n > 1) {
            throw new RepositoryException(file + " has " + n + " hard links: it shares its content with a file"
                    + " elsewhere, which writing it would change; the repository never writes a file it does not"
                    + " own alone, so nothing was changed; replace it with a copy (cp --remove-destination) and run"
                    + " vault images verify");
        }
    }

    /** "PATH is a symbolic link (to TARGET)", for messages. */
    static String describeLink(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            target = "an unreadable target";
        }
        return link + " is a symbolic link (to " + target + ")";
    }

    static RepositoryException refusedLink(Path link) {
        return new RepositoryException(describeLink(link) + ": the repository never follows a link out of itself,"
                + " so nothing was changed; remove the link (the repository did not make it) and run vault images"
                + " verify");
    }

    /** Opens a file of the repository without following a link at its last component. */
    static FileChannel openNoFollow(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> set = new HashSet<>(Arrays.asList(options));
        set.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(file, set);
        } catch (FileSystemException e) {
            // O_NOFOLLOW on a link fails with ELOOP; say what it is instead.
            if (Files.isSymbolicLink(file)) {
                throw refusedLink(file);
            }
            throw e;
        }
    }

    /** Reads a whole file of the repository without following a link at its last component. */
    static byte[] readNoFollow(Path file) throws IOException {
        try (FileChannel channel = openNoFollow(file, StandardOpenOption.READ)) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(file + " is not a regular file");
            }
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(file + " is too big to read (" + size + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until full or the end (a file that shrank reads short)
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        }
    }

    /** fsync a directory, so that entries created, renamed or removed in it are durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Creates the directory (and parents), fsyncing each parent whose entries changed. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw refusedLink(dir);
        }
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw e;
            }
            return;
        }
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }

    /** Writes a new file and forces it to disk (the caller fsyncs the directory). */
    static void writeNew(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = openNoFollow(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Replaces a file atomically: a hidden temporary, fsync, rename, fsync of the directory. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            writeNew(tmp, bytes);
            atomicRename(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDirectory(target.getParent());
    }

    /** rename(2): atomic, replaces a file or symlink at the target. */
    static void atomicRename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (" + e.getReason()
                    + "); the repository must be on one filesystem", e);
        }
    }

    /** Points a symlink at {@code target} atomically (a temporary link renamed over it). */
    static void replaceSymlink(Path link, Path target) throws IOException {
        Path tmp = link.resolveSibling("." + link.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createSymbolicLink(tmp, target);
            atomicRename(tmp, link);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fsyncDirectory(link.getParent());
    }

    /** Deletes a tree without following symlinks; a missing tree is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // Version files are read-only; the directory must be writable to unlink them.
                dir.toFile().setWritable(true, true);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
