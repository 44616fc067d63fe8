package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.yaml.YamlException;
import io.vaultcube.pipeline.yaml.YamlFiles;
import io.vaultcube.pipeline.yaml.YamlFields;
import io.vaultcube.pipeline.yaml.YamlTree;
import io.vaultcube.pipeline.yaml.YamlTree.ListNode;
import io.vaultcube.pipeline.yaml.YamlTree.MapNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a pipeline file strictly: an unknown stage kind or key, a missing required field, a value
 * of the wrong type, a duplicate stage name, a promote stage without an earlier gate are all
 * reported together with file and line, before anything runs. docs/pipeline-file.md has the format.
 */
public final class PipelineParser {
    public static final List<String> FILE_KEYS = List.of("schema", "name", "description", "evidence", "stages");
    private static final List<String> COMMON_KEYS = List.of("name", "run");
    /** The keys of each stage kind, besides name and run. */
    static final Map<String, List<String>> STAGE_KEYS = new LinkedHashMap<>();

    static {
        STAGE_KEYS.put("packer-build", List.of("template", "vars", "sensitive_vars_from_env", "var_files", "only",
                "except", "on_error", "force", "timeout"));
        STAGE_KEYS.put("provision", List.of("playbook", "inventory", "idempotency_runs", "extra_vars",
                "extra_vars_file", "limit", "tags", "skip_tags", "user", "private_key", "become", "check", "diff",
                "timeout"));
        STAGE_KEYS.put("gpu-validate", List.of("recorded", "script", "expect_count", "expect_model",
                "expect_memory_mib"));
        STAGE_KEYS.put("bench", List.of("benchmark", "recorded", "command", "interval", "sampler", "timeout"));
        STAGE_KEYS.put("stress", List.of("recorded", "duration", "interval", "command", "sampler"));
        STAGE_KEYS.put("gate", List.of("policy", "baseline"));
        STAGE_KEYS.put("promote", List.of("gate", "repo", "image", "version", "channel", "channels", "files",
                "packer_manifest", "allow_unstable"));
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> ON_ERROR = Set.of("cleanup", "abort", "ask", "run-cleanup-provisioner");
    private static final Set<String> BENCHMARKS = Set.of("ddp", "tensorflow", "vllm");

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
                if (stage instanceof StageSpec.Gate) {
                    gatesSoFar.add(stage.name());
                }
                stages.add(stage);
            }
        }
        if (fields.hasProblems()) {
            throw new PipelineFileException(fields.file(), fields.problems());
        }
        return new PipelineFile(file, name, description, evidence, stages);
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
        List<String> keys = STAGE_KEYS.get(kind);
        if (keys == null) {
            String guess = YamlFields.closest(kind, STAGE_KEYS.keySet());
            fields.problem(map.entries().get("run").value(), "unknown stage kind '" + kind + "'"
                    + (guess == null ? "" : " (did you mean '" + guess + "'?)") + "; known: "
                    + String.join(", ", STAGE_KEYS.keySet()));
            return null;
        }
        List<String> allowed = new ArrayList<>(COMMON_KEYS);
        allowed.addAll(keys);
        fields.unknownKeys(map, allowed, kind + " stage");
        StageSpec spec = switch (kind) {
            case "packer-build" -> packer(name, map);
            case "provision" -> provision(name, map);
            case "gpu-validate" -> gpuValidate(name, map);
            case "bench" -> bench(name, map);
            case "stress" -> stress(name, map);
            case "gate" -> new StageSpec.Gate(name, map.line(), fields.text(map, "policy", true),
                    fields.text(map, "baseline", false));
            case "promote" -> promote(name, map, gatesSoFar);
            default -> throw new IllegalStateException(kind);
        };
        return fields.problems().size() == before ? spec : null;
    }

    private StageSpec packer(String name, MapNode map) {
        String onError = fields.text(map, "on_error", false);
        if (onError != null && !ON_ERROR.contains(onError)) {
            fields.problem(map.entries().get("on_error").value(), "on_error is one of " + String.join(", ", ON_ERROR.stream()
                    .sorted().toList()) + ", found \"" + onError + "\"");
        }
        return new StageSpec.PackerBuild(name, map.line(), fields.text(map, "template", true),
                orEmpty(fields.textMap(map, "vars")), orEmpty(fields.textMap(map, "sensitive_vars_from_env")),
                orEmpty(fields.textList(map, "var_files", false)), orEmpty(fields.textList(map, "only", false)),
                orEmpty(fields.textList(map, "except", false)), onError, bool(map, "force"),
                duration(map, "timeout", false));
    }

    private StageSpec provision(String name, MapNode map) {
        Integer runs = fields.integer(map, "idempotency_runs", 1, 10);
        return new StageSpec.Provision(name, map.line(), fields.text(map, "playbook", true),
                fields.text(map, "inventory", true), runs == null ? 1 : runs,
                orEmpty(fields.textMap(map, "extra_vars")), fields.text(map, "extra_vars_file", false),
                fields.text(map, "limit", false), fields.text(map, "tags", false), fields.text(map, "skip_tags", false),
                fields.text(map, "user", false), fields.text(map, "private_key", false), bool(map, "become"),
                bool(map, "check"), bool(map, "diff"), duration(map, "timeout", false));
    }

    private StageSpec gpuValidate(String name, MapNode map) {
        String recorded = fields.text(map, "recorded", false);
        String script = fields.text(map, "script", false);
        if (recorded != null && script != null) {
            fields.problem(map.entries().get("script").value(),
                    "give either recorded (read a saved collection) or script (run it now), not both");
        }
        return new StageSpec.GpuValidate(name, map.line(), recorded, script,
                fields.integer(map, "expect_count", 1, 64), fields.text(map, "expect_model", false),
                fields.integer(map, "expect_memory_mib", 1, 1 << 24));
    }

    private StageSpec bench(String name, MapNode map) {
        String benchmark = fields.text(map, "benchmark", true);
        if (benchmark != null && !BENCHMARKS.contains(benchmark)) {
            fields.problem(map.entries().get("benchmark").value(),
                    "benchmark is one of ddp, tensorflow, vllm, found \"" + benchmark + "\"");
        }
        String recorded = fields.text(map, "recorded", false);
        List<String> command = fields.textList(map, "command", false);
        liveOrRecorded(map, recorded, command);
        return new StageSpec.Bench(name, map.line(), benchmark, recorded, orEmpty(command),
                duration(map, "interval", false), fields.text(map, "sampler", false), duration(map, "timeout", false));
    }

    private StageSpec stress(String name, MapNode map) {
        String recorded = fields.text(map, "recorded", false);
        List<String> command = fields.textList(map, "command", false);
        liveOrRecorded(map, recorded, command);
        return new StageSpec.Stress(name, map.line(), recorded, duration(map, "duration", true),
                duration(map, "interval", false), orEmpty(command), fields.text(map, "sampler", false));
    }

    private StageSpec promote(String name, MapNode map, List<String> gatesSoFar) {
        String gate = fields.text(map, "gate", false);
        if (gate == null && gatesSoFar.isEmpty()) {
            fields.problem(map, "a promote stage needs an earlier gate stage: its report decides the promotion");
        } else if (gate != null && !gatesSoFar.contains(gate)) {
            fields.problem(map.entries().get("gate").value(), "gate '" + gate + "' is not an earlier gate stage"
                    + (gatesSoFar.isEmpty() ? "" : " (earlier gates: " + String.join(", ", gatesSoFar) + ")"));
        }
        List<String> channels = new ArrayList<>();
        String one = fields.text(map, "channel", false);
        List<String> many = fields.textList(map, "channels", false);
        if (one != null) {
            channels.add(one);
        }
        if (many != null) {
            channels.addAll(many);
        }
        if (channels.isEmpty()) {
            fields.problem(map, "missing key 'channel' (or 'channels'): where the promoted version is published");
        }
        return new StageSpec.Promote(name, map.line(), gate == null && !gatesSoFar.isEmpty()
                ? gatesSoFar.get(gatesSoFar.size() - 1) : gate, fields.text(map, "repo", true),
                fields.text(map, "image", true), fields.text(map, "version", true), channels,
                orEmpty(fields.textList(map, "files", true)), fields.text(map, "packer_manifest", false),
                bool(map, "allow_unstable"));
    }

    private void liveOrRecorded(MapNode map, String recorded, List<String> command) {
        if (recorded != null && command != null) {
            fields.problem(map.entries().get("command").value(),
                    "give either recorded (read a saved stage) or command (run it now), not both");
        } else if (recorded == null && command == null) {
            fields.problem(map, "missing key 'command' (what to run) or 'recorded' (a saved stage to read)");
        } else if (command != null && command.isEmpty()) {
            fields.problem(map.entries().get("command").value(), "command is empty");
        }
    }

    private Duration duration(MapNode map, String key, boolean required) {
        Node v = fields.node(map, key, required);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.kind() == YamlTree.ScalarKind.STRING) {
            try {
                return Durations.parsePositive(s.text(), key);
            } catch (IllegalArgumentException e) {
                fields.problem(v, e.getMessage());
                return null;
            }
        }
        fields.problem(v, key + " is a duration such as 90s, 30m, 24h or 1h30m, found " + YamlFields.shown(v));
        return null;
    }

    private boolean bool(MapNode map, String key) {
        Boolean b = fields.bool(map, key);
        return b != null && b;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
