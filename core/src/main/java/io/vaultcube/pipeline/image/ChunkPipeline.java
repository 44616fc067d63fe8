package io.vaultcube.pipeline.image;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Streams a channel through one or more sinks in large direct buffers, with flat memory.
 *
 * <p>The calling thread reads; each sink runs on a thread of its own and sees every chunk, in
 * order. A buffer goes back to the free pool when every sink is done with it, so reading the next
 * chunk overlaps hashing (and writing) the previous ones: on a machine with SHA instructions the
 * hash, not the read, is the bottleneck, and this hides the read. An input that fits in one buffer
 * is handled on the calling thread alone.
 */
final class ChunkPipeline {
    /** Receives each chunk in order; it may read the buffer but must not keep it. */
    interface Sink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    private static final Chunk END = new Chunk(null, null);

    private record Chunk(ByteBuffer buffer, AtomicInteger pending) {
    }

    private final int bufferSize;
    private final int bufferCount;

    ChunkPipeline(int bufferSize, int bufferCount) {
        if (bufferSize < 4096 || bufferCount < 2) {
            throw new IllegalArgumentException("buffers too small: " + bufferCount + " x " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.bufferCount = bufferCount;
    }

    /**
     * Reads the source to its end through every sink.
     *
     * @param progress told the number of bytes of each chunk as it is read (may be null)
     * @return the number of bytes read
     * @throws InterruptedException when the calling thread is interrupted (the sinks are stopped)
     */
    long run(ReadableByteChannel source, List<Sink> sinks, LongConsumer progress, String threadName)
            throws IOException, InterruptedException {
        ByteBuffer first = ByteBuffer.allocateDirect(bufferSize);
        boolean eof;
        try {
            eof = fill(source, first);
        } catch (ClosedByInterruptException e) {
            InterruptedException interrupted = new InterruptedException("interrupted while reading");
            interrupted.initCause(e);
            throw interrupted;
        }
        first.flip();
        if (eof) {
            // Small input: no threads.
            for (Sink sink : sinks) {
                sink.accept(first.duplicate());
            }
            report(progress, first.remaining());
            return first.remaining();
        }
        return runThreaded(source, first, sinks, progress, threadName);
    }

    private long runThreaded(ReadableByteChannel source, ByteBuffer first, List<Sink> sinks, LongConsumer progress,
            String threadName) throws IOException, InterruptedException {
        BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(bufferCount);
        for (int i = 1; i < bufferCount; i++) {
            free.add(ByteBuffer.allocateDirect(bufferSize));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<BlockingQueue<Chunk>> queues = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < sinks.size(); s++) {
            // Room for every buffer plus END: puts never block.
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(bufferCount + 1);
            queues.add(queue);
            Sink sink = sinks.get(s);
            Thread t = new Thread(() -> drain(queue, sink, free, failure), threadName + "-" + s);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long total = 0;
        boolean interrupted = false;
        try {
            ByteBuffer buffer = first;
            boolean eof = false;
            while (true) {
                if (buffer.hasRemaining()) {
                    Chunk chunk = new Chunk(buffer, new AtomicInteger(sinks.size()));
                    for (BlockingQueue<Chunk> queue : queues) {
                        queue.add(chunk);
                    }
                    total += buffer.remaining();
                    report(progress, buffer.remaining());
                } else {
                    free.add(buffer);
                }
                if (eof || failure.get() != null) {
                    break;
                }
                buffer = free.take();
                buffer.clear();
                eof = fill(source, buffer);
                buffer.flip();
            }
        } catch (InterruptedException | ClosedByInterruptException e) {
            interrupted = true;
            failure.compareAndSet(null, new InterruptedException("interrupted"));
        } catch (IOException | RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            for (BlockingQueue<Chunk> queue : queues) {
                queue.add(END);
            }
            for (Thread t : threads) {
                joinUninterruptibly(t);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("interrupted while streaming");
        }
        rethrow(failure.get());
        return total;
    }

    private static void drain(BlockingQueue<Chunk> queue, Sink sink, BlockingQueue<ByteBuffer> free,
            AtomicReference<Throwable> failure) {
        while (true) {
            Chunk chunk;
            try {
                chunk = queue.take();
            } catch (InterruptedException e) {
                // Nobody interrupts these threads; keep draining so buffers and END still flow.
                continue;
            }
            if (chunk == END) {
                return;
            }
            try {
                if (failure.get() == null) {
                    sink.accept(chunk.buffer().duplicate());
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                if (chunk.pending().decrementAndGet() == 0) {
                    free.add(chunk.buffer());
                }
            }
        }
    }

    /** Reads until the buffer is full or the source ends; true at the end of the source. */
    static boolean fill(ReadableByteChannel source, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (source.read(buffer) < 0) {
                return true;
            }
        }
        return false;
    }

    private static void report(LongConsumer progress, long bytes) {
        if (progress != null && bytes > 0) {
            progress.accept(bytes);
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void rethrow(Throwable failure) throws IOException, InterruptedException {
        if (failure == null) {
            return;
        }
        if (failure instanceof ClosedByInterruptException || failure instanceof InterruptedIOException) {
            InterruptedException e = new InterruptedException("interrupted while streaming");
            e.initCause(failure);
            throw e;
        }
        if (failure instanceof InterruptedException e) {
            throw e;
        }
        if (failure instanceof UncheckedIOException e) {
            throw e.getCause();
        }
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) failure;
    }
}
