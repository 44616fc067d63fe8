package io.vaultcube.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming hasher against coreutils' sha256sum and against the JDK's one-shot digest. */
class FileHasherTest {
    @TempDir
    Path tmp;

    @Test
    void agreesWithSha256sumOnRandomAndEmptyFilesAcrossBufferBoundaries() throws Exception {
        FileHasher hasher = new FileHasher();
        long mib = FileHasher.DEFAULT_BUFFER_SIZE;
        long[] sizes = {0, 1, 4095, 65_537, mib - 1, mib, mib + 1, 4 * mib, 9 * mib + 12_345};
        for (int i = 0; i < sizes.length; i++) {
            Path file = Tools.randomFile(tmp.resolve("f" + i), sizes[i], i);
            AtomicLong progress = new AtomicLong();
            HashResult result = hasher.hash(file, progress::addAndGet);
            assertThat(result.sha256()).as("size %d", sizes[i]).isEqualTo(Tools.sha256sum(file));
            assertThat(result.size()).isEqualTo(sizes[i]);
            assertThat(progress.get()).as("progress counts every byte").isEqualTo(sizes[i]);
        }
        assertThat(hasher.hash(tmp.resolve("f0"), null).sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Property(tries = 60)
    void smallBuffersGiveTheSameDigestAsOneShot(@ForAll @Size(max = 40_000) byte[] data,
            @ForAll @IntRange(min = 4096, max = 9000) int bufferSize, @ForAll @IntRange(min = 2, max = 5) int buffers)
            throws Exception {
        FileHasher hasher = new FileHasher(bufferSize, buffers);
        // A pipe-like channel that hands out odd amounts per read.
        ReadableByteChannel channel = trickle(Channels.newChannel(new ByteArrayInputStream(data)));
        assertThat(hasher.hash(channel, null)).isEqualTo(new HashResult(Sha256.of(data), data.length));
    }

    @Test
    void copyWritesTheSameBytesItHashes() throws Exception {
        Path source = Tools.randomFile(tmp.resolve("source"), 7 * FileHasher.DEFAULT_BUFFER_SIZE + 99, 7);
        Path target = tmp.resolve("target");
        HashResult result;
        try (FileChannel in = FileChannel.open(source); FileChannel out = FileChannel.open(target,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            result = new FileHasher().copy(in, out, null);
        }
        assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
        assertThat(result.sha256()).isEqualTo(Tools.sha256sum(target));
    }

    @Test
    void aFailingSinkStopsThePipelineWithItsError() throws IOException {
        Path source = Tools.randomFile(tmp.resolve("source"), 6 * FileHasher.DEFAULT_BUFFER_SIZE, 3);
        ChunkPipeline pipeline = new ChunkPipeline(FileHasher.DEFAULT_BUFFER_SIZE, 3);
        AtomicLong seen = new AtomicLong();
        try (FileChannel in = FileChannel.open(source)) {
            assertThatThrownBy(() -> pipeline.run(in, List.<ChunkPipeline.Sink>of(chunk -> {
                if (seen.addAndGet(chunk.remaining()) > 2 * FileHasher.DEFAULT_BUFFER_SIZE) {
                    throw new IOException("No space left on device");
                }
            }), null, "test")).isInstanceOf(IOException.class).hasMessage("No space left on device");
        }
    }

    @Test
    void anInterruptStopsHashingWithInterruptedException() throws Exception {
        Path source = Tools.randomFile(tmp.resolve("source"), 8 * FileHasher.DEFAULT_BUFFER_SIZE, 4);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> new FileHasher().hash(source, null)).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    private static ReadableByteChannel trickle(ReadableByteChannel inner) {
        return new ReadableByteChannel() {
            private int turn;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                int limit = Math.min(dst.remaining(), 1 + (turn++ * 7919) % 5000);
                ByteBuffer slice = dst.slice(dst.position(), limit);
                int n = inner.read(slice);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return inner.isOpen();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }
}
