package io.vaultcube.pipeline.evidence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads and writes {@code metrics.json} and {@code stage.json}, strictly. */
public final class EvidenceJson {
    public static final String METRICS_SCHEMA = "vault-metrics/1";
    public static final String STAGE_SCHEMA = "vault-stage/1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private EvidenceJson() {
    }

    /** A mapper configured as the evidence files need it (strict duplicates, indented output). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String writeMetrics(String stage, MetricSet metrics) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", METRICS_SCHEMA);
        root.put("stage", stage);
        ObjectNode all = root.putObject("metrics");
        for (Metric m : metrics) {
            ObjectNode node = all.putObject(m.name().toString());
            putValue(node, m.value());
            if (m.unit() != null) {
                node.put("unit", m.unit());
            }
            if (m.source() != null) {
                node.put("file", m.source().file());
                if (m.source().line() != null) {
                    node.put("line", m.source().line());
                }
            }
        }
        return toText(root);
    }

    /** Parses a metrics document; {@code where} names the file in error messages. */
    public static MetricSet readMetrics(String json, String where) throws EvidenceException {
        JsonNode root = parse(json, where);
        requireSchema(root, METRICS_SCHEMA, where);
        JsonNode all = root.get("metrics");
        if (all == null || !all.isObject()) {
            throw new EvidenceException(where + ": no \"metrics\" object");
        }
        MetricSet set = new MetricSet();
        Iterator<Map.Entry<String, JsonNode>> fields = all.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            try {
                MetricName metricName = MetricName.parse(name);
                if (!node.isObject()) {
                    throw new EvidenceException(where + ": metric " + name + " is not an object");
                }
                MetricValue value = readValue(node.get("value"), where, name);
                String unit = node.hasNonNull("unit") ? node.get("unit").asText() : null;
                EvidenceSource source = null;
                if (node.hasNonNull("file")) {
                    JsonNode line = node.get("line");
                    if (line != null && !line.isNull() && !line.canConvertToLong()) {
                        throw new EvidenceException(where + ": metric " + name + " has a line that is not a number");
                    }
                    source = new EvidenceSource(node.get("file").asText(),
                            line == null || line.isNull() ? null : line.asLong());
                }
                set.add(new Metric(metricName, value, unit, source));
            } catch (IllegalArgumentException e) {
                throw new EvidenceException(where + ": metric " + name + ": " + e.getMessage(), e);
            }
        }
        return set;
    }

    public static String writeStage(StageRecord record) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", STAGE_SCHEMA);
        root.put("stage", record.stage());
        root.put("status", record.status().name());
        root.put("started", record.started() == null ? null : record.started().toString());
        root.put("ended", record.ended() == null ? null : record.ended().toString());
        ArrayNode commands = root.putArray("commands");
        for (StageRecord.Command c : record.commands()) {
            ObjectNode node = commands.addObject();
            node.put("command", c.commandLine());
            node.put("exitCode", c.exitCode());
            node.put("outcome", c.outcome());
            node.put("durationMillis", c.durationMillis());
        }
        ArrayNode messages = root.putArray("messages");
        record.messages().forEach(messages::add);
        root.put("recordedFrom", record.recordedFrom());
        return toText(root);
    }

    public static StageRecord readStage(String json, String where) throws EvidenceException {
        JsonNode root = parse(json, where);
        requireSchema(root, STAGE_SCHEMA, where);
        try {
            String stage = requiredText(root, "stage", where);
            StageStatus status = StageStatus.valueOf(requiredText(root, "status", where));
            List<StageRecord.Command> commands = new ArrayList<>();
            JsonNode list = root.path("commands");
            for (JsonNode c : list) {
                commands.add(new StageRecord.Command(c.path("command").asText(), c.path("exitCode").asInt(),
                        c.path("outcome").asText(), c.path("durationMillis").asLong()));
            }
            List<String> messages = new ArrayList<>();
            root.path("messages").forEach(m -> messages.add(m.asText()));
            return new StageRecord(stage, status, instant(root, "started"), instant(root, "ended"), commands,
                    messages, root.hasNonNull("recordedFrom") ? root.get("recordedFrom").asText() : null);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new EvidenceException(where + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(JsonNode root, String field) {
        return root.hasNonNull(field) ? Instant.parse(root.get(field).asText()) : null;
    }

    private static String requiredText(JsonNode root, String field, String where) throws EvidenceException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            throw new EvidenceException(where + ": missing \"" + field + "\"");
        }
        return node.asText();
    }

    private static void putValue(ObjectNode node, MetricValue value) {
        if (value instanceof MetricValue.Num n) {
            if (n.isIntegral()) {
                node.put("value", (long) n.value());
            } else {
                node.put("value", n.value());
            }
        } else if (value instanceof MetricValue.Bool b) {
            node.put("value", b.value());
        } else {
            node.put("value", ((MetricValue.Text) value).value());
        }
    }

    private static MetricValue readValue(JsonNode node, String where, String name) throws EvidenceException {
        if (node == null || node.isNull()) {
            throw new EvidenceException(where + ": metric " + name + " has no value");
        }
        if (node.isNumber()) {
            return MetricValue.of(node.asDouble());
        }
        if (node.isBoolean()) {
            return MetricValue.of(node.asBoolean());
        }
        if (node.isTextual()) {
            return MetricValue.of(node.asText());
        }
        throw new EvidenceException(where + ": metric " + name + " has a value that is not a number, boolean or string");
    }

    private static JsonNode parse(String json, String where) throws EvidenceException {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new EvidenceException(where + ": not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new EvidenceException(JsonProblems.describe(where, e), e);
        }
    }

    private static void requireSchema(JsonNode root, String schema, String where) throws EvidenceException {
        JsonNode found = root.get("schema");
        if (found == null || !schema.equals(found.asText())) {
            throw new EvidenceException(where + ": expected schema \"" + schema + "\", found "
                    + (found == null ? "none" : "\"" + found.asText() + "\""));
        }
    }

    private static String toText(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
