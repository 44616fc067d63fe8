package io.vaultcube.pipeline.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Copies a stream into a new file, hashing it in the same pass, forcing the copy to disk and
 * verifying it by re-reading it, with the three overlapped instead of one after the other:
 *
 * <ul>
 *   <li>the pipeline reads the source, hashes it and writes the target (three threads);</li>
 *   <li>a syncer thread keeps calling fdatasync on the target while it grows, and publishes how far
 *       the data is known to be on disk;</li>
 *   <li>a verifier thread re-reads the target only up to that point and hashes it again.</li>
 * </ul>
 *
 * When the source ends, the target is forced once more (data and metadata), the verifier reads the
 * rest, and the two digests must agree. So every byte is re-read only after an fsync that covered
 * it, as a copy-fsync-reread sequence would, in about the time of the copy alone.
 */
public final class VerifiedCopy {
    /** What was hashed while copying and what the copy read back as. */
    public record Result(HashResult written, HashResult reread) {
        public boolean verified() {
            return written.equals(reread);
        }
    }

    private static final int VERIFY_BUFFER = 1 << 20;
    /** fdatasync once this much more was written: each one flushes the device cache (a host fsync on a VM), so not too often. */
    static final long SYNC_STEP = 256L << 20;

    private final ChunkPipeline pipeline;
    private final long syncStep;

    public VerifiedCopy() {
        this(FileHasher.DEFAULT_BUFFER_SIZE, FileHasher.DEFAULT_BUFFER_COUNT, SYNC_STEP);
    }

    VerifiedCopy(int bufferSize, int bufferCount, long syncStep) {
        this.pipeline = new ChunkPipeline(bufferSize, bufferCount);
        this.syncStep = syncStep;
    }

    /**
     * Copies {@code source} into the new file {@code target} (which must not exist).
     *
     * @param progress told the bytes copied and the bytes re-read (twice the size in all)
     */
    public Result copy(ReadableByteChannel source, Path target, LongConsumer progress)
            throws IOException, InterruptedException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileChannel back = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            Progress state = new Progress();
            Thread syncer = thread(() -> sync(out, state, syncStep), "vault-fsync");
            Thread verifier = thread(() -> verify(back, state, progress), "vault-verify");
            MessageDigest digest = Sha256.newDigest();
            long size;
            try {
                ChunkPipeline.Sink write = chunk -> {
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    state.wrote(out.position());
                };
                size = pipeline.run(source, List.of(digest::update, write), progress, "vault-copy");
                state.stopSyncing();
                join(syncer);
                state.rethrow();
                out.force(true);
                state.durable(size, true);
                join(verifier);
                state.rethrow();
            } finally {
                state.abort();
                joinUninterruptibly(syncer);
                joinUninterruptibly(verifier);
            }
            return new Result(new HashResult(Sha256.hex(digest.digest()), size), state.reread());
        }
    }

    /** Shared between the copying thread, the syncer and the verifier. */
    private static final class Progress {
        private long written;
        private long durable;
        private boolean complete;
        private boolean syncing = true;
        private boolean aborted;
        private HashResult reread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        synchronized void wrote(long position) {
            written = position;
            notifyAll();
        }

        synchronized long awaitWritten(long beyond) throws InterruptedException {
            while (syncing && !aborted && written <= beyond) {
                wait();
            }
            return syncing && !aborted ? written : -1;
        }

        synchronized void durable(long position, boolean all) {
            durable = Math.max(durable, position);
            complete |= all;
            notifyAll();
        }

        /** How far the verifier may read, waiting for progress; -1 when it is done or must stop. */
        synchronized long awaitDurable(long beyond) throws InterruptedException {
            while (!aborted && !complete && durable <= beyond) {
                wait();
            }
            if (aborted) {
                return -1;
            }
            return durable > beyond ? durable : -1;
        }

        synchronized void stopSyncing() {
            syncing = false;
            notifyAll();
        }

        synchronized void abort() {
            aborted = true;
            syncing = false;
            notifyAll();
        }

        synchronized void reread(HashResult result) {
            reread = result;
        }

        synchronized HashResult reread() throws IOException {
            if (reread == null) {
                throw new IOException("the copy was not re-read");
            }
            return reread;
        }

        void fail(Throwable e) {
            failure.compareAndSet(null, e);
            abort();
        }

        void rethrow() throws IOException, InterruptedException {
            Throwable e = failure.get();
            if (e == null) {
                return;
            }
            if (e instanceof ClosedByInterruptException || e instanceof InterruptedException) {
                InterruptedException interrupted = new InterruptedException("interrupted while copying");
                interrupted.initCause(e);
                throw interrupted;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException rt) {
                throw rt;
            }
            throw (Error) e;
        }
    }

    /** fdatasync behind the writer, so that the disk keeps up with the copy. */
    private static void sync(FileChannel out, Progress state, long step) {
        try {
            long synced = 0;
            while (true) {
                long target = state.awaitWritten(synced + step - 1);
                if (target < 0) {
                    return;
                }
                out.force(false);
                synced = target;
                state.durable(target, false);
            }
        } catch (Throwable e) {
            state.fail(e);
        }
    }

    /** Re-reads and hashes the copy, never beyond what an fsync has covered. */
    private static void verify(FileChannel back, Progress state, LongConsumer progress) {
        try {
            MessageDigest digest = Sha256.newDigest();
            ByteBuffer buffer = ByteBuffer.allocateDirect(VERIFY_BUFFER);
            long position = 0;
            while (true) {
                long limit = state.awaitDurable(position);
                if (limit < 0) {
                    break;
                }
                while (position < limit) {
                    buffer.clear();
                    buffer.limit((int) Math.min(buffer.capacity(), limit - position));
                    int n = back.read(buffer, position);
                    if (n < 0) {
                        throw new IOException("the copy ends at " + position + " bytes, before the " + limit
                                + " that were written");
                    }
                    buffer.flip();
                    digest.update(buffer);
                    position += n;
                    if (progress != null) {
                        progress.accept(n);
                    }
                }
            }
            // Anything beyond what was written (there should be nothing) belongs in the digest too.
            buffer.clear();
            while (back.read(buffer, position) > 0) {
                buffer.flip();
                position += buffer.remaining();
                digest.update(buffer);
                buffer.clear();
            }
            state.reread(new HashResult(Sha256.hex(digest.digest()), position));
        } catch (Throwable e) {
            state.fail(e);
        }
    }

    private static Thread thread(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) throws InterruptedException {
        t.join();
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
