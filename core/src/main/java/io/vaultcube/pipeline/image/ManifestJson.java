package io.vaultcube.pipeline.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes and strictly reads {@code manifest.json}. */
public final class ManifestJson {
    public static final String SCHEMA = "vault-image-manifest/1";
    public static final String FILE_NAME = "manifest.json";

    private ManifestJson() {
    }

    public static byte[] write(ImageManifest m) {
        ObjectNode root = ImageJson.mapper().createObjectNode();
        root.put("schema", SCHEMA);
        root.put("name", m.name());
        root.put("version", m.version());
        root.put("created", m.created().toString());
        ObjectNode by = root.putObject("promotedBy");
        by.put("user", m.promotedBy().user());
        by.put("host", m.promotedBy().host());
        ArrayNode files = root.putArray("files");
        for (ImageManifest.FileEntry f : m.files()) {
            ObjectNode node = files.addObject();
            node.put("name", f.name());
            node.put("size", f.size());
            node.put("sha256", f.sha256());
        }
        ObjectNode gate = root.putObject("gate");
        gate.put("verdict", m.gate().verdict().name());
        gate.put("reportSha256", m.gate().reportSha256());
        gate.put("reportFile", m.gate().reportFile());
        gate.put("policy", m.gate().policyName());
        gate.put("policySha256", m.gate().policySha256());
        gate.put("evaluated", m.gate().evaluated());
        ObjectNode provenance = root.putObject("provenance");
        ImageManifest.Packer packer = m.provenance().packer();
        if (packer == null) {
            provenance.putNull("packer");
        } else {
            ObjectNode p = provenance.putObject("packer");
            p.put("manifestFile", packer.manifestFile());
            p.put("manifestSha256", packer.manifestSha256());
            p.put("lastRunUuid", packer.lastRunUuid());
            ArrayNode builds = p.putArray("builds");
            for (ImageManifest.PackerBuild b : packer.builds()) {
                ObjectNode node = builds.addObject();
                node.put("name", b.name());
                node.put("builderType", b.builderType());
                node.put("artifactId", b.artifactId());
                if (b.buildTime() == null) {
                    node.putNull("buildTime");
                } else {
                    node.put("buildTime", b.buildTime());
                }
                ArrayNode bf = node.putArray("files");
                for (ImageManifest.PackerFile f : b.files()) {
                    ObjectNode fn = bf.addObject();
                    fn.put("name", f.name());
                    if (f.size() == null) {
                        fn.putNull("size");
                    } else {
                        fn.put("size", f.size());
                    }
                }
            }
        }
        ImageManifest.Git git = m.provenance().git();
        if (git == null) {
            provenance.putNull("git");
        } else {
            ObjectNode g = provenance.putObject("git");
            g.put("commit", git.commit());
            if (git.dirty() == null) {
                g.putNull("dirty");
            } else {
                g.put("dirty", git.dirty());
            }
        }
        ObjectNode tools = provenance.putObject("tools");
        m.provenance().tools().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> tools.put(e.getKey(), e.getValue()));
        return ImageJson.write(root);
    }

    public static ImageManifest read(byte[] bytes, String where) throws IOException {
        JsonNode root = ImageJson.parseObject(bytes, where);
        JsonNode schema = root.get("schema");
        if (schema == null || !SCHEMA.equals(schema.asText())) {
            throw new IOException(where + ": expected schema \"" + SCHEMA + "\", found "
                    + (schema == null ? "none" : schema.toString()));
        }
        try {
            List<ImageManifest.FileEntry> files = new ArrayList<>();
            JsonNode list = root.get("files");
            if (list == null || !list.isArray()) {
                throw new IOException(where + ": no \"files\" list");
            }
            for (JsonNode f : list) {
                JsonNode size = f.get("size");
                if (size == null || !size.canConvertToLong() || size.asLong() < 0) {
                    throw new IOException(where + ": a file has no valid size");
                }
                files.add(new ImageManifest.FileEntry(text(f, "name", where), size.asLong(), text(f, "sha256", where)));
            }
            JsonNode by = root.path("promotedBy");
            JsonNode gate = root.get("gate");
            if (gate == null || !gate.isObject()) {
                throw new IOException(where + ": no \"gate\"");
            }
            ImageManifest.Gate g = new ImageManifest.Gate(ReportedVerdict.valueOf(text(gate, "verdict", where)),
                    text(gate, "reportSha256", where), optional(gate, "reportFile"), optional(gate, "policy"),
                    optional(gate, "policySha256"), optional(gate, "evaluated"));
            return new ImageManifest(text(root, "name", where), text(root, "version", where),
                    Instant.parse(text(root, "created", where)),
                    new ImageManifest.Actor(optional(by, "user"), optional(by, "host")), files, g,
                    readProvenance(root.path("provenance")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static ImageManifest.Provenance readProvenance(JsonNode p) {
        ImageManifest.Packer packer = null;
        JsonNode pk = p.get("packer");
        if (pk != null && pk.isObject()) {
            List<ImageManifest.PackerBuild> builds = new ArrayList<>();
            for (JsonNode b : pk.path("builds")) {
                List<ImageManifest.PackerFile> files = new ArrayList<>();
                for (JsonNode f : b.path("files")) {
                    files.add(new ImageManifest.PackerFile(optional(f, "name"),
                            f.hasNonNull("size") ? f.get("size").asLong() : null));
                }
                builds.add(new ImageManifest.PackerBuild(optional(b, "name"), optional(b, "builderType"),
                        optional(b, "artifactId"), b.hasNonNull("buildTime") ? b.get("buildTime").asLong() : null,
                        files));
            }
            packer = new ImageManifest.Packer(optional(pk, "manifestFile"), optional(pk, "manifestSha256"),
                    optional(pk, "lastRunUuid"), builds);
        }
        ImageManifest.Git git = null;
        JsonNode g = p.get("git");
        if (g != null && g.isObject()) {
            git = new ImageManifest.Git(optional(g, "commit"), g.hasNonNull("dirty") ? g.get("dirty").asBoolean() : null);
        }
        Map<String, String> tools = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = p.path("tools").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            tools.put(e.getKey(), e.getValue().asText());
        }
        return new ImageManifest.Provenance(packer, git, tools);
    }

    private static String text(JsonNode node, String field, String where) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException(where + ": missing \"" + field + "\"");
        }
        return value.asText();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
