package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.yaml.YamlException;
import io.vaultcube.pipeline.yaml.YamlFields;
import io.vaultcube.pipeline.yaml.YamlFiles;
import io.vaultcube.pipeline.yaml.YamlTree.Entry;
import io.vaultcube.pipeline.yaml.YamlTree.ListNode;
import io.vaultcube.pipeline.yaml.YamlTree.MapNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarKind;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import io.vaultcube.pipeline.yaml.YamlTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy file strictly: every problem (unknown key or condition, wrong type, duplicate key
 * or id, a regex that does not compile, contradictory bounds, ...) is collected with its line and
 * reported together, before anything is evaluated. See docs/policy.md for the format.
 */
public final class PolicyParser {
    /** Keys of the document. */
    public static final List<String> POLICY_KEYS = List.of("schema", "name", "description", "gates");
    /** Keys of a gate other than its conditions. */
    public static final List<String> GATE_KEYS =
            List.of("id", "metric", "description", "severity", "optional", "unit", "expect_count");
    /** The conditions, as the policy spells them. */
    public static final List<String> CONDITION_KEYS = Conditions.keys();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final String file;
    private final List<YamlException.Problem> problems = new ArrayList<>();

    private PolicyParser(String file) {
        this.file = file;
    }

    /** Reads and validates a policy file; {@link Path#toString()} names it in messages and reports. */
    public static Policy load(Path path) throws IOException {
        String shown = path.toString();
        byte[] bytes;
        try {
            bytes = YamlFiles.read(path, "policy");
        } catch (YamlException e) {
            throw PolicyException.of(e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(shown, 0, 0, "not UTF-8 text");
        }
        return parse(text, shown, sha256(bytes));
    }

    /** Parses policy text; {@code file} names it in messages. */
    public static Policy parse(String text, String file, String sha256) throws PolicyException {
        Node root;
        try {
            root = YamlTree.parse(text, file, "policy");
        } catch (YamlException e) {
            throw PolicyException.of(e);
        }
        return new PolicyParser(file).policy(root, sha256);
    }

    /** Hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private Policy policy(Node root, String sha256) throws PolicyException {
        if (!(root instanceof MapNode doc)) {
            throw new PolicyException(file, root.line(), root.column(),
                    "a policy is a map with schema, name and gates; found " + root.what());
        }
        unknownKeys(doc, POLICY_KEYS, List.of(), "policy");
        String schema = text(doc, "schema", true);
        if (schema != null && !schema.equals(Policy.SCHEMA)) {
            Entry e = doc.entries().get("schema");
            problem(e.value(), "schema must be \"" + Policy.SCHEMA + "\", found \"" + schema + "\"");
        }
        String name = text(doc, "name", true);
        if (name != null && !NAME.matcher(name).matches()) {
            problem(doc.entries().get("name").value(),
                    "name must be letters, digits, '.', '_' or '-' (at most 100), found \"" + name + "\"");
        }
        String description = text(doc, "description", false);
        List<GateSpec> gates = new ArrayList<>();
        Entry gatesEntry = doc.entries().get("gates");
        if (gatesEntry == null) {
            problem(doc, "missing key 'gates' (the list of gates)");
        } else if (!(gatesEntry.value() instanceof ListNode list)) {
            problem(gatesEntry.value(), "gates must be a list of gates, found " + gatesEntry.value().what());
        } else if (list.items().isEmpty()) {
            problem(gatesEntry.value(), "gates is empty: a policy that checks nothing would pass anything");
        } else {
            Map<String, Integer> ids = new HashMap<>();
            for (Node item : list.items()) {
                GateSpec gate = gate(item);
                if (gate != null) {
                    Integer first = ids.putIfAbsent(gate.id(), gate.line());
                    if (first != null) {
                        problem(item, "gate id '" + gate.id() + "' is already used by the gate at line " + first
                                + (((MapNode) item).entries().containsKey("id") ? ""
                                        : "; give one of them an explicit 'id'"));
                    } else {
                        gates.add(gate);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(YamlException.Problem::line));
            throw new PolicyException(file, problems);
        }
        return new Policy(file, sha256, name, description, gates);
    }

    /** One gate, or null (with problems recorded) when it is malformed. */
    private GateSpec gate(Node node) {
        int before = problems.size();
        if (!(node instanceof MapNode map)) {
            problem(node, "a gate is a map (metric: ..., and conditions), found " + node.what());
            return null;
        }
        unknownKeys(map, GATE_KEYS, CONDITION_KEYS, "gate");
        String metricText = text(map, "metric", true);
        MetricPattern metric = null;
        if (metricText != null) {
            try {
                metric = MetricPattern.parse(metricText);
            } catch (IllegalArgumentException e) {
                problem(map.entries().get("metric").value(), e.getMessage());
            }
        }
        String id = text(map, "id", false);
        if (id != null && !NAME.matcher(id).matches()) {
            problem(map.entries().get("id").value(),
                    "an id is letters, digits, '.', '_' or '-' (at most 100), found \"" + id + "\"");
        }
        if (id == null) {
            id = metricText;
        }
        String description = text(map, "description", false);
        String unit = text(map, "unit", false);
        if (unit != null && unit.isBlank()) {
            problem(map.entries().get("unit").value(), "unit must not be empty");
        }
        Severity severity = Severity.FAILURE;
        String severityText = text(map, "severity", false);
        if (severityText != null) {
            if (severityText.equals("failure")) {
                severity = Severity.FAILURE;
            } else if (severityText.equals("unstable")) {
                severity = Severity.UNSTABLE;
            } else {
                problem(map.entries().get("severity").value(),
                        "severity is 'failure' or 'unstable', found \"" + severityText + "\"");
            }
        }
        boolean optional = false;
        Entry optionalEntry = map.entries().get("optional");
        if (optionalEntry != null) {
            if (optionalEntry.value() instanceof ScalarNode s && s.kind() == ScalarKind.BOOLEAN) {
                optional = (Boolean) s.value();
            } else {
                problem(optionalEntry.value(), "optional is true or false, found " + shown(optionalEntry.value()));
            }
        }
        Integer expectCount = null;
        Entry countEntry = map.entries().get("expect_count");
        if (countEntry != null) {
            if (countEntry.value() instanceof ScalarNode s && s.kind() == ScalarKind.NUMBER && s.integral()
                    && (Double) s.value() >= 1 && (Double) s.value() <= 1_000_000) {
                expectCount = ((Double) s.value()).intValue();
                if (metric != null && !metric.isWildcard()) {
                    problem(countEntry.value(), "expect_count counts the entities of a pattern such as gpu[*].name;"
                            + " metric " + metricText + " has no [*]");
                }
            } else {
                problem(countEntry.value(), "expect_count is a whole number of at least 1, found "
                        + shown(countEntry.value()));
            }
        }
        List<Condition> conditions = conditions(map);
        if (conditions.isEmpty() && problems.size() == before) {
            problem(map, "gate " + (id == null ? "" : "'" + id + "' ") + "has no condition (one of "
                    + String.join(", ", CONDITION_KEYS) + ")");
        }
        if (problems.size() != before || metric == null) {
            return null;
        }
        return new GateSpec(id, metric, conditions, severity, optional, description, unit, expectCount,
                map.line());
    }

    private List<Condition> conditions(MapNode map) {
        List<Condition> conditions = new ArrayList<>();
        Map<Condition, Node> where = new HashMap<>();
        for (Entry e : map.entries().values()) {
            if (!CONDITION_KEYS.contains(e.key())) {
                continue;
            }
            Condition c = condition(e);
            if (c != null) {
                conditions.add(c);
                where.put(c, e.value());
            }
        }
        if (conditions.isEmpty()) {
            return conditions;
        }
        // One kind of value for the whole gate: "min" and "matches" together can never both hold.
        ValueKind kind = conditions.get(0).kind();
        for (Condition c : conditions) {
            if (c.kind() != kind) {
                problem(where.get(c), c.key() + " needs " + c.kind().words() + " but " + conditions.get(0).key()
                        + " needs " + kind.words() + ": no value can meet both"
                        + (c.usesBaseline() || conditions.get(0).usesBaseline()
                                ? " (a ratio needs a numeric metric)" : ""));
                return List.of();
            }
        }
        bounds(conditions, where);
        return conditions;
    }

    /** Rejects bounds no value can meet: min 33000 with max 32000, above 5 with below 5, min_ratio 1.2 with max_ratio 1.1. */
    private void bounds(List<Condition> conditions, Map<Condition, Node> where) {
        Condition last = conditions.get(conditions.size() - 1);
        for (boolean ofBaseline : new boolean[] {false, true}) {
            Condition.Limit lo = null;
            Condition.Limit hi = null;
            for (Condition c : conditions) {
                Condition.Limit l = c.limit().orElse(null);
                if (l == null || l.ofBaseline() != ofBaseline) {
                    continue;
                }
                // The tighter line wins; at the same value, the strict one.
                if (l.side() == Condition.Side.LOWER && (lo == null || l.value() > lo.value()
                        || (l.value() == lo.value() && l.strict()))) {
                    lo = l;
                } else if (l.side() == Condition.Side.UPPER && (hi == null || l.value() < hi.value()
                        || (l.value() == hi.value() && l.strict()))) {
                    hi = l;
                }
            }
            if (lo == null || hi == null) {
                continue;
            }
            if (ofBaseline && lo.value() > hi.value()) {
                problem(where.get(last), "no value can pass: min_ratio " + ValueFormat.number(lo.value())
                        + " > max_ratio " + ValueFormat.number(hi.value()));
            } else if (!ofBaseline && (lo.value() > hi.value()
                    || (lo.value() == hi.value() && (lo.strict() || hi.strict())))) {
                problem(where.get(last), "no value can pass: the lower bound " + ValueFormat.number(lo.value())
                        + " is not below the upper bound " + ValueFormat.number(hi.value()));
            }
        }
    }

    private Condition condition(Entry e) {
        ConditionReader reader = Conditions.reader(e.key());
        if (reader == null) {
            throw new IllegalStateException("condition without a reader: " + e.key());
        }
        return reader.read(e.key(), e.value(), new ConditionInput(problems));
    }

    /** A required or optional text value of a map; records a problem when it is there but not text. */
    private String text(MapNode map, String key, boolean required) {
        Entry e = map.entries().get(key);
        if (e == null) {
            if (required) {
                problem(map, "missing key '" + key + "'");
            }
            return null;
        }
        if (e.value() instanceof ScalarNode s && s.kind() == ScalarKind.STRING) {
            return (String) s.value();
        }
        problem(e.value(), key + " must be text, found " + shown(e.value()));
        return null;
    }

    private void unknownKeys(MapNode map, List<String> keys, List<String> conditions, String where) {
        for (Entry e : map.entries().values()) {
            if (keys.contains(e.key()) || conditions.contains(e.key())) {
                continue;
            }
            Set<String> known = new LinkedHashSet<>(keys);
            known.addAll(conditions);
            String guess = YamlFields.closest(e.key(), known);
            String kind = conditions.isEmpty() ? "key" : "key or condition";
            problem(e.line(), e.column(), "unknown " + where + " " + kind + " '" + e.key() + "'"
                    + (guess == null ? "" : " (did you mean '" + guess + "'?)") + "; known: " + String.join(", ", known));
        }
    }

    private static String shown(Node v) {
        return ConditionInput.shown(v);
    }

    private void problem(Node at, String message) {
        problem(at.line(), at.column(), message);
    }

    private void problem(int line, int column, String message) {
        problems.add(new YamlException.Problem(line, column, message));
    }
}
