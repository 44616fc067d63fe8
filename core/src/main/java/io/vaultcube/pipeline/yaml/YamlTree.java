package io.vaultcube.pipeline.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as a tree whose every node knows its line and column, read with Jackson's YAML
 * parser token by token so that a problem in a policy or pipeline file can name the line it is
 * on. Strict: duplicate keys, non-text keys, more than one document and values that are not plain
 * scalars, lists or maps are errors. Anchors ({@code &x}) and aliases ({@code *x}) are refused:
 * Jackson reads an alias as the text of its name (so {@code *ver} became the version "ver"), and
 * no policy or pipeline file needs them. Control characters are refused at their own line and column.
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

    /** Bounds what the parser will hold, whatever the caller checked before (see {@link YamlFiles}). */
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            // The builder starts from no format features, unlike new YAMLFactory(): "key:" must stay null.
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .loaderOptions(loaderOptions())
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(YamlFiles.MAX_BYTES)
                    .maxDocumentLength(YamlFiles.MAX_BYTES * 4L)
                    .maxNestingDepth(MAX_DEPTH + 2)
                    .build())
            .build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(YamlFiles.MAX_BYTES);
        options.setMaxAliasesForCollections(0);
        options.setNestingDepthLimit(MAX_DEPTH + 2);
        return options;
    }

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
        if (text.length() > YamlFiles.MAX_BYTES) {
            // Before the parser sees it: SnakeYAML scans a long scalar in quadratic time.
            throw new YamlException(file, 0, 0, "the " + document + " is " + text.length()
                    + " characters; a " + document + " is at most " + YamlFiles.MAX_BYTES / 1024 + " KiB");
        }
        refuseControlCharacters(text, file);
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
            throw notValid(e, file);
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
        refuseAnchorsAndTags(line, column);
        return switch (token) {
            case START_OBJECT -> readMap(line, column, depth);
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    requireMore(t);
                    items.add(read(t, depth + 1));
                }
                yield new ListNode(items, line, column);
            }
            case VALUE_STRING -> new ScalarNode(parser.getText(), ScalarKind.STRING, false, parser.getText(), line,
                    column);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double value = parser.getNumberValue().doubleValue();
                if (!Double.isFinite(value)) {
                    throw new YamlException(file, line, column, "number " + parser.getText() + " is not finite");
                }
                yield new ScalarNode(value, ScalarKind.NUMBER, token == JsonToken.VALUE_NUMBER_INT, parser.getText(),
                        line, column);
            }
            case VALUE_TRUE, VALUE_FALSE -> new ScalarNode(token == JsonToken.VALUE_TRUE, ScalarKind.BOOLEAN, false,
                    parser.getText(), line, column);
            case VALUE_NULL -> new ScalarNode(null, ScalarKind.NULL, false, "", line, column);
            case VALUE_EMBEDDED_OBJECT -> throw new YamlException(file, line, column,
                    "binary values (!!binary) are not supported; write text");
            default -> throw new YamlException(file, line, column, "this kind of YAML value is not supported here");
        };
    }

    private MapNode readMap(int line, int column, int depth) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        JsonToken t;
        while ((t = parser.nextToken()) != JsonToken.END_OBJECT) {
            requireMore(t);
            JsonLocation at = parser.currentTokenLocation();
            refuseAnchorsAndTags(at.getLineNr(), at.getColumnNr());
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

    /**
     * An anchor or alias on the current token is refused. (Explicit tags such as {@code !foo} are
     * refused too: Jackson drops an unknown tag and keeps the text, which is not what was written.)
     */
    private void refuseAnchorsAndTags(int line, int column) throws IOException {
        YAMLParser yaml = (YAMLParser) parser;
        if (yaml.isCurrentAlias()) {
            throw new YamlException(file, line, column, "YAML aliases (*" + parser.getText()
                    + ") are not supported in a " + document + "; write the value out");
        }
        String anchor = yaml.getCurrentAnchor();
        if (anchor != null) {
            throw new YamlException(file, line, column, "YAML anchors (&" + anchor
                    + ") are not supported in a " + document + "; write the value out");
        }
        String tag = yaml.getTypeId();
        if (tag != null && !STANDARD_TAGS.contains(tag)) {
            String shown = tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring(18)
                    : tag.startsWith("!") ? tag : "!" + tag;
            throw new YamlException(file, line, column, "YAML tags (" + shown + ") are not supported in a "
                    + document);
        }
    }

    /** The standard tags, which say no more than the plain value does. */
    private static final Set<String> STANDARD_TAGS = Set.of(
            "str", "int", "float", "bool", "null", "map", "seq",
            "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
            "tag:yaml.org,2002:seq");

    /**
     * The parser's own message (which names its event classes) in words, at the line and column
     * of the problem rather than of the enclosing construct.
     */
    private static YamlException notValid(JsonProcessingException e, String file) {
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        String message;
        if (e.getCause() instanceof MarkedYAMLException marked) {
            message = marked.getProblem() == null ? firstLine(marked.getContext()) : firstLine(marked.getProblem());
            if (marked.getProblemMark() != null) {
                line = marked.getProblemMark().getLine() + 1;
                column = marked.getProblemMark().getColumn() + 1;
            }
            if (marked.getContext() != null && marked.getProblem() != null && marked.getContextMark() != null) {
                message += " (" + firstLine(marked.getContext()) + " started at line "
                        + (marked.getContextMark().getLine() + 1) + ")";
            }
        } else {
            String original = firstLine(e.getOriginalMessage());
            if (original.startsWith("Expected a field name")) {
                message = "a key must be plain text, not a list or a map";
            } else if (original.contains("exceeds the limit") || original.contains("exceeds the maximum")) {
                message = "the document is larger than " + YamlFiles.MAX_BYTES / 1024 + " KiB";
            } else if (original.startsWith("Malformed numeric value '")
                    && original.matches("(?s)Malformed numeric value '[-+]?\\.(nan|NaN|NAN|inf|Inf|INF)'.*")) {
                // YAML's not-a-number and infinity: valid YAML, but no threshold or value can be one.
                String text = original.substring("Malformed numeric value '".length(), original.indexOf('\'', 25));
                // The parser points after the value; say where it starts, as for every other value.
                return new YamlException(file, line, Math.max(1, column - text.length()), "number " + text
                        + " is not finite");
            } else if (original.contains("Nesting depth")) {
                message = "nested deeper than " + MAX_DEPTH + " levels";
            } else {
                // Keep what the parser said, without the class names it wraps in <...>.
                message = original.replaceAll("<[a-z]+(\\.[A-Za-z0-9_$]+)+(\\([^>]*\\))?>", "this").trim();
            }
        }
        return new YamlException(file, line, column, "not valid YAML: " + message);
    }

    /**
     * SnakeYAML refuses non-printable characters but reports them at 1:1; this names the first one
     * at its own line and column.
     */
    private static void refuseControlCharacters(String text, String file) throws YamlException {
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!printable(c)) {
                throw new YamlException(file, line, column, String.format(Locale.ROOT,
                        "control character U+%04X is not allowed in YAML", c));
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += Character.charCount(c);
        }
    }

    /** YAML 1.1's printable set, as SnakeYAML applies it (BOM allowed). */
    private static boolean printable(int c) {
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0x7E) || c == 0x85
                || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "syntax error";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
