package io.vaultcube.pipeline.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Provenance from the JSON that Packer's {@code manifest} post-processor writes
 * ({@code {"builds":[{name, builder_type, build_time, files:[{name,size}]|null, artifact_id,
 * packer_run_uuid, custom_data}], "last_run_uuid": ...}}; builds of earlier runs are appended, so
 * only those of {@code last_run_uuid} count).
 *
 * <p>INTERIM: the {@code packer-manifest} parser of {@code io.vaultcube.pipeline.parse} (metrics
 * {@code packer.manifest.*}, see CONTRACT.md) is being written on another branch. Until it is
 * merged, {@link #readInterim(Path)} is this package's own small reader; it should then be replaced
 * by that parser's metrics.
 */
public final class PackerManifestProvenance {
    private PackerManifestProvenance() {
    }

    /** Reads the builds of the last run; any deviation from the format is an IOException. */
    public static ImageManifest.Packer readInterim(Path manifest) throws IOException {
        byte[] bytes = Files.readAllBytes(manifest);
        String where = "Packer manifest " + manifest;
        JsonNode root = ImageJson.parseObject(bytes, where);
        JsonNode last = root.get("last_run_uuid");
        if (last == null || !last.isTextual() || last.asText().isEmpty()) {
            throw new IOException(where + ": no \"last_run_uuid\"");
        }
        JsonNode builds = root.get("builds");
        if (builds == null || !builds.isArray()) {
            throw new IOException(where + ": no \"builds\" list");
        }
        String run = last.asText();
        List<ImageManifest.PackerBuild> ofRun = new ArrayList<>();
        for (JsonNode b : builds) {
            if (!run.equals(b.path("packer_run_uuid").asText(null))) {
                continue;
            }
            List<ImageManifest.PackerFile> files = new ArrayList<>();
            JsonNode list = b.get("files");
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw new IOException(where + ": build " + b.path("name").asText() + ": \"files\" is not a list");
                }
                for (JsonNode f : list) {
                    files.add(new ImageManifest.PackerFile(f.path("name").asText(null),
                            f.hasNonNull("size") ? f.get("size").asLong() : null));
                }
            }
            ofRun.add(new ImageManifest.PackerBuild(b.path("name").asText(null), b.path("builder_type").asText(null),
                    b.path("artifact_id").asText(null), b.hasNonNull("build_time") ? b.get("build_time").asLong() : null,
                    files));
        }
        if (ofRun.isEmpty()) {
            throw new IOException(where + ": no build belongs to the last run " + run);
        }
        return new ImageManifest.Packer(manifest.toString(), FileHasher.hash(bytes).sha256(), run, ofRun);
    }
}
