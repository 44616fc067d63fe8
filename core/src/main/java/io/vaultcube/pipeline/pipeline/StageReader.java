package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.yaml.YamlFields;
import io.vaultcube.pipeline.yaml.YamlTree;
import io.vaultcube.pipeline.yaml.YamlTree.MapNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One stage's map in a pipeline file, as a {@link StageKind} reads it: typed values of its keys,
 * with every problem recorded (file, line, what is wrong) instead of thrown, so that all of a
 * file's problems are reported together.
 */
public final class StageReader {
    private final YamlFields fields;
    private final MapNode map;
    private final String name;
    private final List<String> gatesSoFar;

    StageReader(YamlFields fields, MapNode map, String name, List<String> gatesSoFar) {
        this.fields = fields;
        this.map = map;
        this.name = name;
        this.gatesSoFar = List.copyOf(gatesSoFar);
    }

    /** The stage's name. */
    public String name() {
        return name;
    }

    /** The stage's line in the file. */
    public int line() {
        return map.line();
    }

    /** The gate stages before this one, in order. */
    public List<String> gatesSoFar() {
        return gatesSoFar;
    }

    public String text(String key, boolean required) {
        return fields.text(map, key, required);
    }

    /** A list of text; empty when the key is absent. */
    public List<String> textList(String key, boolean required) {
        List<String> list = fields.textList(map, key, required);
        return list == null ? List.of() : list;
    }

    /** A list of text, or null when the key is absent. */
    public List<String> textListOrNull(String key) {
        return fields.textList(map, key, false);
    }

    /** A map of text; empty when the key is absent. */
    public Map<String, String> textMap(String key) {
        Map<String, String> m = fields.textMap(map, key);
        return m == null ? Map.of() : m;
    }

    public Integer integer(String key, int min, int max) {
        return fields.integer(map, key, min, max);
    }

    /** A boolean; false when the key is absent. */
    public boolean bool(String key) {
        Boolean b = fields.bool(map, key);
        return b != null && b;
    }

    /** A duration such as 90s, 30m, 24h or 1h30m; null when absent or wrong. */
    public Duration duration(String key, boolean required) {
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

    /** A problem with the value of a key (at its line), or with the stage when the key is absent. */
    public void problem(String key, String message) {
        YamlTree.Entry e = key == null ? null : map.entries().get(key);
        fields.problem(e == null ? map : e.value(), message);
    }

    /**
     * A stage that runs a command now or reads a recorded stage: exactly one of {@code recorded}
     * and {@code command}, and a command that is not empty.
     */
    public void liveOrRecorded(String recorded, List<String> command) {
        if (recorded != null && command != null) {
            problem("command", "give either recorded (read a saved stage) or command (run it now), not both");
        } else if (recorded == null && command == null) {
            problem(null, "missing key 'command' (what to run) or 'recorded' (a saved stage to read)");
        } else if (command != null && command.isEmpty()) {
            problem("command", "command is empty");
        }
    }
}
