package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateTempDirTest {
    @TempDir
    Path tmp;

    @Test
    void isOwnerOnlyAndGoneAfterClose() throws Exception {
        Path dir;
        Path key;
        try (PrivateTempDir d = PrivateTempDir.create(tmp, "t-")) {
            dir = d.path();
            key = d.writeFile("key", "secret\n".getBytes(StandardCharsets.UTF_8), "r--------");
            Path sub = d.directory("tmp");
            Files.writeString(sub.resolve("left"), "x");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--------");
            assertThat(Files.readString(key)).isEqualTo("secret\n");
            assertThat(d.filesUnder("tmp")).containsExactly("left");
            // A tool may leave a directory it made read-only.
            Files.createDirectories(sub.resolve("ro/inner"));
            Files.writeString(sub.resolve("ro/inner/f"), "x");
            Files.setPosixFilePermissions(sub.resolve("ro"), PosixFilePermissions.fromString("r-x------"));
        }
        assertThat(dir).doesNotExist();
        assertThat(tmp).isEmptyDirectory();
    }
}
