package io.vaultcube.pipeline.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vaultcube.pipeline.evidence.JsonProblems;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads JSON evidence as a small tree whose every value knows the line it was read on, so that
 * metrics can cite it. Streaming underneath (Jackson): members a parser does not want are skipped
 * without being kept ({@code keep}), and the kept tree is capped ({@link #MAX_NODES}), so memory
 * stays bounded whatever the file. Strict: duplicate keys, NaN/Infinity, trailing garbage, NUL
 * bytes, UTF-16/32 input and invalid UTF-8 are refused with the file and line.
 */
public final class JsonDocuments {
    /** The most values one input may keep in memory (skipped members do not count). */
    public static final int MAX_NODES = 1_000_000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private JsonDocuments() {
    }

    /** A JSON value and the 1-based line it starts on. */
    public sealed interface Node permits Obj, Arr, Str, Num, Bool, Null {
        long line();

        /** What the value is, in words for error messages: "an object", "a number", ... */
        String kind();
    }

    /** An object; members keep their order. */
    public record Obj(Map<String, Node> members, long line) implements Node {
        public Node get(String name) {
            return members.get(name);
        }

        public boolean has(String name) {
            return members.containsKey(name);
        }

        @Override
        public String kind() {
            return "an object";
        }
    }

    public record Arr(List<Node> items, long line) implements Node {
        @Override
        public String kind() {
            return "an array";
        }
    }

    public record Str(String value, long line) implements Node {
        @Override
        public String kind() {
            return "a string";
        }
    }

    /** A number; {@code text} is exactly as written in the input. */
    public record Num(double value, String text, boolean integral, long line) implements Node {
        @Override
        public String kind() {
            return "a number";
        }
    }

    public record Bool(boolean value, long line) implements Node {
        @Override
        public String kind() {
            return "a boolean";
        }
    }

    public record Null(long line) implements Node {
        @Override
        public String kind() {
            return "null";
        }
    }

    /**
     * Reads every top-level JSON value of the input (usually one).
     *
     * @param keep which members to keep, by their path from the root ("stats", "plays", "builds");
     *     a member whose path it refuses is skipped with its whole subtree. Array items are always
     *     kept when their array is.
     */
    public static List<Node> readAll(ParseInput input, Predicate<String> keep) throws ParseException, IOException {
        try (InputStream raw = Files.newInputStream(input.file());
                BufferedInputStream buffered = new BufferedInputStream(raw, 64 * 1024)) {
            checkEncoding(buffered, input.sourceName());
            LoneCrGuard in = new LoneCrGuard(buffered);
            try (JsonParser parser = FACTORY.createParser(in)) {
                Reader reader = new Reader(parser, input.sourceName(), keep);
                List<Node> documents = new ArrayList<>();
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    documents.add(reader.value(token, ""));
                }
                if (documents.isEmpty()) {
                    throw new ParseException(input.sourceName(), 0, "empty: no JSON document, only white space");
                }
                return documents;
            } catch (JsonProcessingException e) {
                throw error(input.sourceName(), e);
            } catch (LoneCrGuard.LoneCr e) {
                if (e.nul) {
                    throw new ParseException(input.sourceName(), e.line, "binary data: a NUL byte where JSON text was expected");
                }
                throw new ParseException(input.sourceName(), e.line, "a carriage return not followed by a newline:"
                        + " line numbers would be ambiguous (JSON tools count it as a line break, text tools do not)");
            }
        }
    }

    /**
     * Refuses NUL bytes (binary data) and a CR that is not part of a CRLF: Jackson counts it as a line break, our line numbers
     * (and sed, grep, editors) do not, so the lines metrics cite would be wrong.
     */
    private static final class LoneCrGuard extends FilterInputStream {
        static final class LoneCr extends IOException {
            private static final long serialVersionUID = 1L;
            final long line;
            final boolean nul;

            LoneCr(long line) {
                this(line, false);
            }

            LoneCr(long line, boolean nul) {
                super((nul ? "NUL byte" : "lone carriage return") + " at line " + line);
                this.line = line;
                this.nul = nul;
            }
        }

        private long line = 1;
        private boolean pendingCr;

        LoneCrGuard(InputStream in) {
            super(in);
        }

        private void check(int c) throws LoneCr {
            if (c == 0) {
                throw new LoneCr(line, true);
            }
            if (pendingCr && c != '\n') {
                throw new LoneCr(line);
            }
            pendingCr = c == '\r';
            if (c == '\n') {
                line++;
            }
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c < 0) {
                if (pendingCr) {
                    throw new LoneCr(line);
                }
                return c;
            }
            check(c);
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                if (pendingCr) {
                    throw new LoneCr(line);
                }
                return n;
            }
            for (int i = off; i < off + n; i++) {
                check(b[i]);
            }
            return n;
        }
    }

    /** Reads exactly one JSON document. */
    public static Node readOne(ParseInput input, Predicate<String> keep) throws ParseException, IOException {
        List<Node> docs = readAll(input, keep);
        if (docs.size() > 1) {
            throw new ParseException(input.sourceName(), docs.get(1).line(),
                    "more than one JSON document: expected one, found another after the first");
        }
        return docs.get(0);
    }

    /** Keeps everything. */
    public static Predicate<String> all() {
        return path -> true;
    }

    /**
     * Refuses what Jackson would silently accept as another encoding: UTF-16/32 (detected from NUL
     * bytes or a BOM in the first bytes). An empty file is refused too.
     */
    private static void checkEncoding(BufferedInputStream in, String source) throws IOException, ParseException {
        in.mark(4);
        byte[] head = new byte[4];
        int n = in.readNBytes(head, 0, 4);
        in.reset();
        if (n == 0) {
            throw new ParseException(source, 0, "empty: the file has no content");
        }
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                throw new ParseException(source, 1, "binary data: a NUL byte where JSON text was expected");
            }
        }
        if (n >= 2 && ((head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff
                || (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe)) {
            throw new ParseException(source, 1, "not UTF-8: a UTF-16 byte order mark");
        }
    }

    static ParseException error(String source, JsonProcessingException e) {
        long line = JsonProblems.line(e);
        String column = e.getLocation() == null || e.getLocation().getColumnNr() <= 0 ? ""
                : " (column " + e.getLocation().getColumnNr() + ")";
        String sentence = JsonProblems.sentence(e);
        String problem = e.getOriginalMessage() != null && e.getOriginalMessage().contains("end-of-input")
                ? "truncated JSON: " + sentence : sentence;
        return new ParseException(source, line, problem + column, e);
    }

    private static final class Reader {
        private final JsonParser parser;
        private final String source;
        private final Predicate<String> keep;
        private int nodes;

        Reader(JsonParser parser, String source, Predicate<String> keep) {
            this.parser = parser;
            this.source = source;
            this.keep = keep;
        }

        Node value(JsonToken token, String path) throws IOException, ParseException {
            long line = parser.currentTokenLocation().getLineNr();
            if (++nodes > MAX_NODES) {
                throw new ParseException(source, line, "JSON document too large: more than " + MAX_NODES + " values");
            }
            switch (token) {
                case START_OBJECT -> {
                    Map<String, Node> members = new LinkedHashMap<>();
                    JsonToken t;
                    while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        String childPath = path.isEmpty() ? name : path + "." + name;
                        JsonToken v = parser.nextToken();
                        if (keep.test(childPath)) {
                            members.put(name, value(v, childPath));
                        } else {
                            parser.skipChildren();
                        }
                    }
                    if (t != JsonToken.END_OBJECT) {
                        throw new ParseException(source, line, "not valid JSON: unexpected " + t);
                    }
                    return new Obj(Collections.unmodifiableMap(members), line);
                }
                case START_ARRAY -> {
                    List<Node> items = new ArrayList<>();
                    JsonToken t;
                    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            throw new ParseException(source, 0, "truncated JSON: an array is not closed");
                        }
                        items.add(value(t, path + "[]"));
                    }
                    return new Arr(Collections.unmodifiableList(items), line);
                }
                case VALUE_STRING -> {
                    return new Str(parser.getText(), line);
                }
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    String text = parser.getText();
                    double v = parser.getDoubleValue();
                    if (!Double.isFinite(v)) {
                        throw new ParseException(source, line, "number out of range: " + text);
                    }
                    return new Num(v, text, token == JsonToken.VALUE_NUMBER_INT, line);
                }
                case VALUE_TRUE -> {
                    return new Bool(true, line);
                }
                case VALUE_FALSE -> {
                    return new Bool(false, line);
                }
                case VALUE_NULL -> {
                    return new Null(line);
                }
                default -> throw new ParseException(source, line, "not valid JSON: unexpected " + token);
            }
        }
    }
}
