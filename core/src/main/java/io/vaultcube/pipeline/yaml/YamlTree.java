package io.vaultcube.pipeline.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree whose every node knows its line and column, read with Jackson's YAML
 * parser token by token so that a problem in a policy or pipeline file can name the line it is
 * on. Strict: duplicate keys, non-text keys, more than one document and values that are not plain
 * scalars, lists or maps are errors.
 */
public final class YamlTree {
    /** Deeper than any of our documents needs; guards the recursion against hostile input. */
    private static final int MAX_DEPTH = 32;

    /** A node and where it starts (1-based). */
    public sealed interface Node permits MapNode, ListNode, ScalarNode {
        int line();

        int column();

        /** "a map", "a list", "a number", ... for messages. */
        String what();
    }

    /** One key of a map, where the key is written, and its value. */
    public record Entry(String key, int line, int column, Node value) {
    }

    public record MapNode(Map<String, Entry> entries, int line, int column) implements Node {
        public String what() {
            return "a map";
        }
    }

    public record ListNode(List<Node> items, int line, int column) implements Node {
        public String what() {
            return "a list";
        }
    }

    /** The kinds of scalar YAML gives. */
    public enum ScalarKind {
        STRING("text"), NUMBER("a number"), BOOLEAN("a boolean"), NULL("null (empty)");

        public final String words;

        ScalarKind(String words) {
            this.words = words;
        }
    }

    /**
     * A scalar: {@code value} is a String, a Double (finite; integers too), a Boolean, or null.
     * {@code integral} is true for a number written as an integer.
     */
    public record ScalarNode(Object value, ScalarKind kind, boolean integral, String text, int line, int column)
            implements Node {
        public String what() {
            return kind.words;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final JsonParser parser;
    private final String file;
    private final String document;

    private YamlTree(JsonParser parser, String file, String document) {
        this.parser = parser;
        this.file = file;
        this.document = document;
    }

    /**
     * Parses one YAML document; the exception names the file and line of the first problem.
     *
     * @param document what the document is, for messages: "policy", "pipeline file"
     */
    public static Node parse(String text, String file, String document) throws YamlException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            YamlTree tree = new YamlTree(parser, file, document);
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new YamlException(file, 1, 0, "the " + document + " is empty");
            }
            Node root = tree.read(first, 0);
            JsonToken after = parser.nextToken();
            if (after != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new YamlException(file, at.getLineNr(), at.getColumnNr(),
                        "a " + document + " is one YAML document; found more after line " + root.line());
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new YamlException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (YamlException e) {
            throw e;
        } catch (IOException e) {
            throw new YamlException(file, 0, 0, "cannot read the " + document + ": " + e.getMessage());
        }
    }

    private Node read(JsonToken token, int depth) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (depth > MAX_DEPTH) {
            throw new YamlException(file, line, column, "nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (token) {
            case START_OBJECT:
                return readMap(line, column, depth);
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    requireMore(t);
                    items.add(read(t, depth + 1));
                }
                return new ListNode(items, line, column);
            }
            case VALUE_STRING:
                return new ScalarNode(parser.getText(), ScalarKind.STRING, false, parser.getText(), line, column);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: {
                double value = parser.getNumberValue().doubleValue();
                if (!Double.isFinite(value)) {
                    throw new YamlException(file, line, column, "number " + parser.getText() + " is not finite");
                }
                return new ScalarNode(value, ScalarKind.NUMBER, token == JsonToken.VALUE_NUMBER_INT, parser.getText(),
                        line, column);
            }
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new ScalarNode(token == JsonToken.VALUE_TRUE, ScalarKind.BOOLEAN, false, parser.getText(),
                        line, column);
            case VALUE_NULL:
                return new ScalarNode(null, ScalarKind.NULL, false, "", line, column);
            default:
                throw new YamlException(file, line, column, "unsupported YAML value (" + token + ")");
        }
    }

    private MapNode readMap(int line, int column, int depth) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
            requireMore(t);
            JsonLocation at = parser.currentTokenLocation();
            String key = parser.currentName();
            Entry previous = entries.get(key);
            if (previous != null) {
                throw new YamlException(file, at.getLineNr(), at.getColumnNr(),
                        "duplicate key '" + key + "' (first at line " + previous.line() + ")");
            }
            JsonToken valueToken = parser.nextToken();
            requireMore(valueToken);
            entries.put(key, new Entry(key, at.getLineNr(), at.getColumnNr(), read(valueToken, depth + 1)));
        }
        return new MapNode(entries, line, column);
    }

    private void requireMore(JsonToken t) throws YamlException {
        if (t == null) {
            JsonLocation at = parser.currentLocation();
            throw new YamlException(file, at.getLineNr(), at.getColumnNr(), "the " + document + " ends in the middle");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
