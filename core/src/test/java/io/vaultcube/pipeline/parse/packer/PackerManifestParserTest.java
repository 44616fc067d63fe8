package io.vaultcube.pipeline.parse.packer;

import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
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

class PackerManifestParserTest {
    private final PackerManifestParser parser = new PackerManifestParser();

    @TempDir
    Path tmp;

    @Test
    void onlyTheLastRunCounts() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("packer-manifest/manifest-two-runs.json"));
        assertThat(value(m, "packer.manifest.last_run_uuid")).isEqualTo("cdc90cf4-41e4-39bd-fecf-29df2a57152b");
        assertThat(value(m, "packer.manifest.runs")).isEqualTo(2L);
        assertThat(value(m, "packer.manifest.builds")).isEqualTo(2L);
        assertThat(value(m, "packer.manifest.build[0].name")).isEqualTo("art");
        assertThat(line(m, "packer.manifest.build[0].name")).isEqualTo(31L);
        assertThat(value(m, "packer.manifest.build[0].builder_type")).isEqualTo("file");
        assertThat(value(m, "packer.manifest.build[0].artifact_id")).isEqualTo("File");
        assertThat(value(m, "packer.manifest.build[0].build_time")).isEqualTo(1795908961L);
        assertThat(value(m, "packer.manifest.build[0].files")).isEqualTo(1L);
        assertThat(value(m, "packer.manifest.build[0].file[0].name")).isEqualTo("artifact.txt");
        assertThat(value(m, "packer.manifest.build[0].file[0].size")).isEqualTo(19L);
        assertThat(value(m, "packer.manifest.build[0].custom_data[image]")).isEqualTo("golden");
        // "files": null is a build with no files.
        assertThat(value(m, "packer.manifest.build[1].name")).isEqualTo("ok");
        assertThat(value(m, "packer.manifest.build[1].files")).isEqualTo(0L);
        assertThat(m.contains("packer.manifest.build[2].name")).isFalse();
    }

    @Test
    void readsTheReferenceManifest() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("packer-manifest/reference-manifest.json"));
        assertThat(value(m, "packer.manifest.builds")).isEqualTo(2L);
        assertThat(value(m, "packer.manifest.build[0].build_time")).isEqualTo(1795905643L);
    }

    @Test
    void refusesManifestsThatDoNotNameTheirLastRun() throws Exception {
        String doc = read("packer-manifest/reference-manifest.json");
        assertThatThrownBy(() -> parser.parse(write(tmp, "a.json", doc.replace("\"last_run_uuid\": \"53213472", "\"last_run_uuid\": \"99999999"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("names no build");
        assertThatThrownBy(() -> parser.parse(write(tmp, "b.json", doc.replace(",\n  \"last_run_uuid\": \"53213472-1246-4ae2-e4ca-01cf45b449a4\"", ""))))
                .isInstanceOf(ParseException.class).hasMessageContaining("missing member \"last_run_uuid\"");
    }

    @Test
    void refusesTruncatedDuplicateAndWronglyTypedJson() throws Exception {
        String doc = read("packer-manifest/reference-manifest.json");
        assertThatThrownBy(() -> parser.parse(write(tmp, "t.json", doc.substring(0, doc.length() / 2))))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated JSON");
        assertThatThrownBy(() -> parser.parse(write(tmp, "d.json", doc.replace("\"name\": \"art\",", "\"name\": \"art\", \"name\": \"x\","))))
                .isInstanceOf(ParseException.class).hasMessageContaining("t.json".replace("t.json", "d.json:3"));
        assertThatThrownBy(() -> parser.parse(write(tmp, "w.json", doc.replace("\"size\": 19", "\"size\": \"19\""))))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("w.json:4:").hasMessageContaining("must be a number");
        assertThatThrownBy(() -> parser.parse(write(tmp, "two.json", doc + doc)))
                .isInstanceOf(ParseException.class).hasMessageContaining("more than one JSON document");
        assertThatThrownBy(() -> parser.parse(write(tmp, "nul.json", "\0{}")))
                .isInstanceOf(ParseException.class).hasMessageContaining("binary data");
        assertThatThrownBy(() -> parser.parse(write(tmp, "e.json", "")))
                .isInstanceOf(ParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse(write(tmp, "crlf.json", doc.replace("\n", "\r\n").replace("19", "1e999"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("out of range");
    }
}
