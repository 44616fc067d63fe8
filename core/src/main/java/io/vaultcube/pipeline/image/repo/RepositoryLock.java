package io.vaultcube.pipeline.image.repo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An exclusive lock on a lock file, held by one thread of one process at a time.
 *
 * <p>Between processes it is {@link FileChannel#tryLock()} (fcntl). Within one JVM fcntl locks do
 * not exclude each other, and closing any channel of the file drops the JVM's lock on it, so a
 * JVM-wide table of semaphores (one per lock file) is taken first and only its holder opens the
 * file. That table is the one piece of static state here, and it mirrors state the operating
 * system already keeps per process. Lock files are never deleted: deleting one while another
 * process waits on it would let two writers in.
 */
public final class RepositoryLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final long POLL_MILLIS = 50;

    private final Semaphore jvmLock;
    private final FileChannel channel;
    private final FileLock lock;

    private RepositoryLock(Semaphore jvmLock, FileChannel channel, FileLock lock) {
        this.jvmLock = jvmLock;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Waits for the lock; the parent directory must exist.
     *
     * @param timeout how long to wait, or null to wait until it is free
     * @param waiting told once, with who holds it, when the lock is busy
     */
    public static RepositoryLock acquire(Path lockFile, Duration timeout, Consumer<String> waiting)
            throws IOException, InterruptedException {
        Path key = lockFile.getParent().toRealPath().resolve(lockFile.getFileName());
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Semaphore jvmLock = IN_THIS_JVM.computeIfAbsent(key, k -> new Semaphore(1));
        boolean told = false;
        while (!jvmLock.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (!told) {
                waiting.accept("waiting for the lock " + lockFile + " (held by another promotion in this process)");
                told = true;
            }
            checkDeadline(deadline, timeout, lockFile);
        }
        FileChannel channel = null;
        try {
            // No-follow: a link planted at the lock file would otherwise be truncated through.
            channel = Fs.openNoFollow(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // Another channel of this JVM: cannot happen behind the semaphore.
                }
                if (lock != null) {
                    writeHolder(channel);
                    return new RepositoryLock(jvmLock, channel, lock);
                }
                if (!told) {
                    waiting.accept("waiting for the lock " + lockFile + " (held by " + holder(channel) + ")");
                    told = true;
                }
                checkDeadline(deadline, timeout, lockFile);
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (channel != null) {
                channel.close();
            }
            jvmLock.release();
            throw e;
        }
    }

    private static void checkDeadline(long deadline, Duration timeout, Path lockFile) throws RepositoryException {
        if (System.nanoTime() > deadline) {
            throw new RepositoryException("gave up waiting for the lock " + lockFile + " after " + timeout.toSeconds()
                    + " s; another promotion or gc of this image is running (or hung)");
        }
    }

    /** Who holds it, for people: the holder writes its pid, host and start time into the file. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(512);
            channel.read(buffer, 0);
            buffer.flip();
            String text = StandardCharsets.UTF_8.decode(buffer).toString().strip();
            return text.isEmpty() ? "another process" : text;
        } catch (IOException e) {
            return "another process";
        }
    }

    private static void writeHolder(FileChannel channel) throws IOException {
        String text = "pid " + ProcessHandle.current().pid() + " (" + ManagementFactory.getRuntimeMXBean().getName()
                + ") since " + Instant.now() + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                if (lock.isValid()) {
                    channel.truncate(0);
                }
            } finally {
                lock.release();
                channel.close();
            }
        } finally {
            jvmLock.release();
        }
    }
}
