package io.vaultcube.pipeline.parse.packer;

import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackerChecksumParserTest {
    private static final String SHA256 = "2048ffab96f3af1bfb3eeb7ae8964d201b89b7a3869b654ed16aa182b71fe842";
    private final PackerChecksumParser parser = new PackerChecksumParser();

    @TempDir
    Path tmp;

    @Test
    void readsPackersAppendedChecksumFiles() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("packer-checksum/art_sha256.checksum"));
        assertThat(value(m, "packer.checksum.algorithm")).isEqualTo("sha256");
        assertThat(value(m, "packer.checksum.entries")).isEqualTo(2L);
        assertThat(value(m, "packer.checksum.files")).isEqualTo(1L);
        assertThat(value(m, "packer.checksum.file[artifact.txt].sha256")).isEqualTo(SHA256);
        assertThat(line(m, "packer.checksum.file[artifact.txt].sha256")).isEqualTo(2L);
        MetricSet md5 = parser.parse(Fixtures.input("packer-checksum/art_md5.checksum"));
        assertThat(value(md5, "packer.checksum.file[artifact.txt].md5")).isEqualTo("1702e5b7e17b01c54b4ac5f11d80900f");
    }

    @Test
    void theLastEntryOfAFileWinsAndGnuLinesAreRead() throws Exception {
        String other = "a".repeat(64);
        MetricSet m = parser.parse(write(tmp, "x.checksum", SHA256 + "\tdisk.qcow2\r\n" + other.toUpperCase() + "  disk.qcow2\r\n"
                + SHA256 + " *odd name [1].img\n"));
        assertThat(value(m, "packer.checksum.file[disk.qcow2].sha256")).isEqualTo(other);
        assertThat(value(m, "packer.checksum.file[odd name \\[1\\].img].sha256")).isEqualTo(SHA256);
        assertThat(value(m, "packer.checksum.files")).isEqualTo(2L);
    }

    @Test
    void refusesWhatIsNotAChecksumFile() throws Exception {
        assertThatThrownBy(() -> parser.parse(write(tmp, "a", SHA256 + "\tx\n" + "abc\tshort\n")))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("a:2: not a checksum line");
        assertThatThrownBy(() -> parser.parse(write(tmp, "b", SHA256 + "\tx\n" + "1702e5b7e17b01c54b4ac5f11d80900f\ty\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("a md5 digest in a file of sha256 digests");
        assertThatThrownBy(() -> parser.parse(write(tmp, "c", SHA256 + " x\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("followed by a TAB");
        assertThatThrownBy(() -> parser.parse(write(tmp, "d", SHA256 + "\t\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("file name is empty");
        assertThatThrownBy(() -> parser.parse(write(tmp, "e", "")))
                .isInstanceOf(ParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse(write(tmp, "f", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1})))
                .isInstanceOf(ParseException.class).hasMessageContaining("binary data");
    }
}
