package io.vaultcube.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedCopyTest {
    @TempDir
    Path tmp;

    @Test
    void copiesHashesForcesAndReReadsEveryByte() throws Exception {
        // Sizes around the buffer size and across several fsync steps (1 MiB here), and an empty file.
        long[] sizes = {0, 1, FileHasher.DEFAULT_BUFFER_SIZE + 7, 9L << 20};
        for (int i = 0; i < sizes.length; i++) {
            Path source = Tools.randomFile(tmp.resolve("s" + i), sizes[i], i);
            Path target = tmp.resolve("t" + i);
            AtomicLong progress = new AtomicLong();
            VerifiedCopy.Result result;
            try (FileChannel in = FileChannel.open(source)) {
                result = new VerifiedCopy(64 << 10, 3, 1 << 20).copy(in, target, progress::addAndGet);
            }
            assertThat(result.verified()).isTrue();
            assertThat(result.written().size()).isEqualTo(sizes[i]);
            assertThat(result.reread()).isEqualTo(result.written());
            assertThat(result.written().sha256()).isEqualTo(Tools.sha256sum(source));
            assertThat(Files.mismatch(source, target)).isEqualTo(-1L);
            assertThat(progress.get()).as("copied and re-read").isEqualTo(2 * sizes[i]);
        }
    }

    @Test
    void neverOverwritesAnExistingFile() throws Exception {
        Path source = Tools.randomFile(tmp.resolve("s"), 10, 1);
        Path target = Files.writeString(tmp.resolve("t"), "keep me");
        try (FileChannel in = FileChannel.open(source)) {
            assertThatThrownBy(() -> new VerifiedCopy().copy(in, target, null)).isInstanceOf(FileAlreadyExistsException.class);
        }
        assertThat(Files.readString(target)).isEqualTo("keep me");
    }
}
