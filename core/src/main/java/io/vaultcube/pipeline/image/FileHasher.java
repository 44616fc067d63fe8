package io.vaultcube.pipeline.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Streams files through SHA-256 with large direct buffers and flat memory. Stateless apart from
 * its buffer settings: one instance may hash any number of files on any number of threads.
 */
public final class FileHasher {
    /** 1 MiB: measured on the bench machine, larger buffers were no faster (see bench/checksum). */
    public static final int DEFAULT_BUFFER_SIZE = 1 << 20;
    public static final int DEFAULT_BUFFER_COUNT = 4;

    private final ChunkPipeline pipeline;

    public FileHasher() {
        this(DEFAULT_BUFFER_SIZE, DEFAULT_BUFFER_COUNT);
    }

    public FileHasher(int bufferSize, int bufferCount) {
        this.pipeline = new ChunkPipeline(bufferSize, bufferCount);
    }

    /** Hashes a file; {@code progress} (may be null) is told the bytes as they are read. */
    public HashResult hash(Path file, LongConsumer progress) throws IOException, InterruptedException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return hash(channel, progress);
        }
    }

    /** Hashes a channel to its end (a file, standard input, a pipe). */
    public HashResult hash(ReadableByteChannel channel, LongConsumer progress)
            throws IOException, InterruptedException {
        MessageDigest digest = Sha256.newDigest();
        long size = pipeline.run(channel, List.of(digest::update), progress, "vault-sha256");
        return new HashResult(Sha256.hex(digest.digest()), size);
    }

    /**
     * Streams {@code source} into {@code target} while hashing it, in one pass: reading, hashing
     * and writing overlap on three threads. The target is written from its current position; the
     * caller forces it to disk.
     */
    public HashResult copy(ReadableByteChannel source, FileChannel target, LongConsumer progress)
            throws IOException, InterruptedException {
        MessageDigest digest = Sha256.newDigest();
        ChunkPipeline.Sink write = chunk -> {
            while (chunk.hasRemaining()) {
                target.write(chunk);
            }
        };
        long size = pipeline.run(source, List.of(digest::update, write), progress, "vault-copy");
        return new HashResult(Sha256.hex(digest.digest()), size);
    }

    /** Hashes bytes in memory (manifests, reports). */
    public static HashResult hash(byte[] bytes) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(ByteBuffer.wrap(bytes));
        return new HashResult(Sha256.hex(digest.digest()), bytes.length);
    }
}
