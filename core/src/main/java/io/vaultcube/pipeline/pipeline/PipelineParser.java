package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.yaml.YamlException;
import io.vaultcube.pipeline.yaml.YamlFields;
import io.vaultcube.pipeline.yaml.YamlFiles;
import io.vaultcube.pipeline.yaml.YamlTree.ListNode;
import io.vaultcube.pipeline.yaml.YamlTree.MapNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import io.vaultcube.pipeline.yaml.YamlTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a pipeline file strictly: an unknown stage kind or key, a missing required field, a value
 * of the wrong type, a duplicate stage name, a promote stage without an earlier gate are all
 * reported together with file and line, before anything runs. docs/pipeline-file.md has the format.
 */
public final class PipelineParser {
    public static final List<String> FILE_KEYS = List.of("schema", "name", "description", "evidence", "debian_packages", "stages");
    private static final List<String> COMMON_KEYS = List.of("name", "run");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final YamlFields fields;

    private PipelineParser(String file) {
        this.fields = new YamlFields(file);
    }

    /** Reads and validates a pipeline file. */
    public static PipelineFile load(Path path) throws IOException {
        String shown = path.toString();
        byte[] bytes;
        try {
            bytes = YamlFiles.read(path, "pipeline file");
        } catch (YamlException e) {
            throw PipelineFileException.of(e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PipelineFileException(shown, List.of(new YamlException.Problem(0, 0, "not UTF-8 text")));
        }
        return parse(text, path);
    }

    public static PipelineFile parse(String text, Path file) throws PipelineFileException {
        Node root;
        try {
            root = YamlTree.parse(text, file.toString(), "pipeline file");
        } catch (YamlException e) {
            throw PipelineFileException.of(e);
        }
        return new PipelineParser(file.toString()).pipeline(root, file);
    }

    private PipelineFile pipeline(Node root, Path file) throws PipelineFileException {
        if (!(root instanceof MapNode doc)) {
            fields.problem(root, "a pipeline file is a map with schema, name and stages; found " + root.what());
            throw new PipelineFileException(fields.file(), fields.problems());
        }
        fields.unknownKeys(doc, FILE_KEYS, "pipeline");
        String schema = fields.text(doc, "schema", true);
        if (schema != null && !schema.equals(PipelineFile.SCHEMA)) {
            fields.problem(doc.entries().get("schema").value(),
                    "schema must be \"" + PipelineFile.SCHEMA + "\", found \"" + schema + "\"");
        }
        String name = fields.text(doc, "name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            fields.problem(doc.entries().get("name").value(),
                    "name must be letters, digits, '.', '_' or '-' (at most 100), found \"" + name + "\"");
        }
        String description = fields.text(doc, "description", false);
        String evidence = fields.text(doc, "evidence", false);
        List<String> debianPackages = debianPackages(doc);
        List<StageSpec> stages = new ArrayList<>();
        Node list = fields.node(doc, "stages", true);
        if (list != null && !(list instanceof ListNode)) {
            fields.problem(list, "stages must be a list of stages, found " + YamlFields.shown(list));
        } else if (list != null && ((ListNode) list).items().isEmpty()) {
            fields.problem(list, "stages is empty: a pipeline must run something");
        } else if (list != null) {
            Map<String, Integer> names = new HashMap<>();
            List<String> gatesSoFar = new ArrayList<>();
            for (Node item : ((ListNode) list).items()) {
                StageSpec stage = stage(item, gatesSoFar);
                if (stage == null) {
                    // A gate stage with problems of its own is still an earlier gate: a promote stage that
                    // names it must not add "not an earlier gate stage" to the gate's own problem.
                    String gate = gateStageName(item);
                    if (gate != null && !gatesSoFar.contains(gate)) {
                        gatesSoFar.add(gate);
                    }
                    continue;
                }
                Integer first = names.putIfAbsent(stage.name(), stage.line());
                if (first != null) {
                    fields.problem(item, "stage name '" + stage.name() + "' is already used by the stage at line " + first
                            + " (each stage has its own evidence directory)");
                    continue;
                }
                if (stage.judges()) {
                    gatesSoFar.add(stage.name());
                }
                stages.add(stage);
            }
        }
        if (fields.hasProblems()) {
            throw new PipelineFileException(fields.file(), fields.problems());
        }
        return new PipelineFile(file, name, description, evidence, debianPackages, stages);
    }

    /**
     * The {@code debian_packages} list: Debian package names only (they become apt-get arguments, so
     * a name that could be read as an option is refused here).
     */
    private List<String> debianPackages(MapNode doc) {
        List<String> names = fields.textList(doc, "debian_packages", false);
        if (names == null) {
            return List.of();
        }
        for (String name : names) {
            if (!DebianPackages.NAME.matcher(name).matches()) {
                fields.problem(doc.entries().get("debian_packages").value(), "debian_packages: \"" + name
                        + "\" is not a Debian package name (lower-case letters, digits, '+', '-', '.'; two or more,"
                        + " starting with a letter or digit)");
            }
        }
        return List.copyOf(new LinkedHashSet<>(names));
    }

    /** The name of a stage that is a gate stage by its run key, whatever else it says; else null. */
    private static String gateStageName(Node node) {
        if (node instanceof MapNode map && map.entries().get("run") != null && map.entries().get("name") != null
                && map.entries().get("run").value() instanceof ScalarNode run && run.text().equals("gate")
                && map.entries().get("name").value() instanceof ScalarNode name && !name.text().isEmpty()) {
            return name.text();
        }
        return null;
    }

    private StageSpec stage(Node node, List<String> gatesSoFar) {
        if (!(node instanceof MapNode map)) {
            fields.problem(node, "a stage is a map (name: ..., run: ..., and its settings), found "
                    + YamlFields.shown(node));
            return null;
        }
        int before = fields.problems().size();
        String name = fields.text(map, "name", true);
        if (name != null && !EvidenceDir.STAGE_NAME.matcher(name).matches()) {
            fields.problem(map.entries().get("name").value(), "a stage name is a-z, then a-z, 0-9 or '-' (at most 64; it"
                    + " names the stage's evidence directory), found \"" + name + "\"");
        }
        String kind = fields.text(map, "run", true);
        if (kind == null) {
            return null;
        }
        StageKind<?> stageKind = StageKinds.find(kind).orElse(null);
        if (stageKind == null) {
            String guess = YamlFields.closest(kind, StageKinds.ids());
            fields.problem(map.entries().get("run").value(), "unknown stage kind '" + kind + "'"
                    + (guess == null ? "" : " (did you mean '" + guess + "'?)") + "; known: "
                    + String.join(", ", StageKinds.ids()));
            return null;
        }
        List<String> allowed = new ArrayList<>(COMMON_KEYS);
        allowed.addAll(stageKind.keys());
        fields.unknownKeys(map, allowed, kind + " stage");
        StageSpec spec = stageKind.read(new StageReader(fields, map, name, gatesSoFar));
        return fields.problems().size() == before ? spec : null;
    }
}
