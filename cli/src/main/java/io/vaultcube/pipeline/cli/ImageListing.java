package io.vaultcube.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.ImageManifest;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The output of {@code vault images list}, one for both backends (a directory and {@code s3://}):
 * the JSON object and the table are built side by side from the same versions, so that the two
 * forms and the two backends never drift apart.
 */
final class ImageListing {
    /** One version of an image: its manifest, and where its files are when the backend says it (else null). */
    record Entry(ImageManifest manifest, String location) {
    }

    private final String repository;
    private final ObjectNode root = ImageJson.mapper().createObjectNode();
    private final ArrayNode images;
    private final List<String[]> rows = new ArrayList<>();

    ImageListing(String repository) {
        this.repository = repository;
        root.put("repository", repository);
        images = root.putArray("images");
    }

    /** Adds an image: its channels (channel to version) and its versions, newest first. */
    void add(String image, Map<String, String> channels, List<Entry> versions) {
        Map<String, TreeSet<String>> byVersion = new TreeMap<>();
        channels.forEach((c, v) -> byVersion.computeIfAbsent(v, x -> new TreeSet<>()).add(c));
        ObjectNode node = images.addObject();
        node.put("name", image);
        ObjectNode channelNode = node.putObject("channels");
        new TreeMap<>(channels).forEach(channelNode::put);
        ArrayNode versionNodes = node.putArray("versions");
        for (Entry e : versions) {
            ImageManifest m = e.manifest();
            TreeSet<String> pointing = byVersion.getOrDefault(m.version(), new TreeSet<>());
            ObjectNode v = versionNodes.addObject();
            v.put("version", m.version());
            v.put("created", m.created().toString());
            v.put("files", m.files().size());
            v.put("size", m.totalSize());
            v.put("gate", m.gate().verdict().name());
            if (e.location() != null) {
                v.put("location", e.location());
            }
            ArrayNode cs = v.putArray("channels");
            pointing.forEach(cs::add);
            rows.add(new String[] {image, m.version(), m.created().toString(), ByteSizes.human(m.totalSize()),
                m.gate().verdict().name(), String.join(", ", pointing)});
        }
    }

    /** Prints the JSON object or the table (or that there are no images). */
    void print(PrintWriter out, boolean json) {
        if (json) {
            out.print(new String(ImageJson.write(root), StandardCharsets.UTF_8));
        } else if (rows.isEmpty()) {
            out.print("no images in " + repository + "\n");
        } else {
            ImagesCommand.printTable(out, new String[] {"IMAGE", "VERSION", "CREATED", "SIZE", "GATE", "CHANNELS"}, rows);
        }
        out.flush();
    }
}
