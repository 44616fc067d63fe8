package io.vaultcube.pipeline.image;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.ParserRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Provenance from the JSON that Packer's {@code manifest} post-processor writes, read by the
 * {@code packer-manifest} parser (only the builds of {@code last_run_uuid}: the file accumulates
 * runs), so that the repository and the gate read one format one way.
 */
public final class PackerManifestProvenance {
    private PackerManifestProvenance() {
    }

    /** The builds of the last run; a file the parser refuses is an IOException naming it. */
    public static ImageManifest.Packer read(Path manifest) throws IOException {
        MetricSet m;
        try {
            m = ParserRegistry.standard().require("packer-manifest").parse(ParseInput.of(manifest));
        } catch (ParseException e) {
            throw new IOException("Packer manifest " + e.getMessage(), e);
        }
        int builds = (int) number(m, "packer.manifest.builds");
        List<ImageManifest.PackerBuild> ofRun = new ArrayList<>();
        for (int i = 0; i < builds; i++) {
            String b = "packer.manifest.build[" + i + "].";
            List<ImageManifest.PackerFile> files = new ArrayList<>();
            for (int f = 0; m.contains(b + "file[" + f + "].name"); f++) {
                files.add(new ImageManifest.PackerFile(text(m, b + "file[" + f + "].name"),
                        m.get(b + "file[" + f + "].size").map(x -> (long) x.number().orElseThrow()).orElse(null)));
            }
            ofRun.add(new ImageManifest.PackerBuild(text(m, b + "name"), text(m, b + "builder_type"),
                    text(m, b + "artifact_id"), m.get(b + "build_time").map(x -> (long) x.number().orElseThrow())
                            .orElse(null), files));
        }
        return new ImageManifest.Packer(manifest.toString(), FileHasher.hash(Files.readAllBytes(manifest)).sha256(),
                text(m, "packer.manifest.last_run_uuid"), ofRun);
    }

    private static String text(MetricSet m, String name) {
        return m.get(name).map(Metric::value).map(v -> v.raw().toString()).orElse(null);
    }

    private static double number(MetricSet m, String name) throws IOException {
        return m.get(name).flatMap(x -> x.number().isPresent() ? Optional.of(x.number().getAsDouble())
                : Optional.empty()).orElseThrow(() -> new IOException("Packer manifest: no " + name));
    }
}
