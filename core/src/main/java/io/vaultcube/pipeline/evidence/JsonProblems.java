package io.vaultcube.pipeline.evidence;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a JSON file, said in a sentence of our own with the line and column where
 * the reader stopped. The JSON library's own messages name its classes, enums and settings
 * ({@code JsonReadFeature...}, {@code VALUE_NUMBER_INT}, "Source: ..."), which mean nothing to
 * the person who has to fix the file; they never reach a message.
 */
public final class JsonProblems {
    private static final Pattern QUOTED = Pattern.compile("'([^']{0,40})'");
    private static final Pattern CODE = Pattern.compile("code (\\d+)");

    private JsonProblems() {
    }

    /** {@code FILE:LINE:COLUMN: sentence} (or {@code FILE: sentence} where the place is unknown). */
    public static String describe(String file, JsonProcessingException e) {
        return file + place(e) + ": " + sentence(e);
    }

    /** {@code :LINE:COLUMN} where the library says where it stopped, else empty. */
    public static String place(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() <= 0) {
            return "";
        }
        return ":" + at.getLineNr() + (at.getColumnNr() > 0 ? ":" + at.getColumnNr() : "");
    }

    /** The 1-based line where the library stopped, or 0. */
    public static long line(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null ? 0 : Math.max(0, at.getLineNr());
    }

    /** What is wrong, in words, without the library's names. */
    public static String sentence(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof JsonProcessingException inner) {
            return sentence(inner);
        }
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !m.startsWith("Trailing token")
                && !m.startsWith("No content")) {
            return wrongShape(mapping);
        }
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
            return "not valid JSON: the text ends before the JSON is complete (cut short?)";
        }
        if (m.startsWith("Duplicate field") || m.startsWith("Duplicate Object property")) {
            return "not valid JSON here: the key " + quoted(m) + " appears twice in one object";
        }
        if (m.startsWith("Non-standard token")) {
            return "not valid JSON: " + quoted(m) + " is not a JSON number (NaN and Infinity are not allowed)";
        }
        if (m.startsWith("Trailing token")) {
            return "not valid JSON: more text after the end of the JSON value";
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "not valid JSON: control character " + code(m) + " inside a string must be escaped";
        }
        if (m.startsWith("Illegal character") || m.contains("CTRL-CHAR")) {
            return "not valid JSON: control character " + code(m) + " where a JSON value or separator was expected"
                    + " (binary data?)";
        }
        if (m.contains("UTF-8") || m.contains("UTF8")) {
            return "not valid JSON: bytes that are not UTF-8 text";
        }
        if (m.startsWith("Unexpected close marker")) {
            return "not valid JSON: a closing " + quoted(m) + " that closes nothing open here";
        }
        if (m.startsWith("Unrecognized token")) {
            return "not valid JSON: " + quoted(m) + " is not a JSON value (strings need double quotes)";
        }
        if (m.startsWith("Unexpected character")) {
            String what = m.contains("double-quote to start field name")
                    ? " where a key in double quotes was expected"
                    : m.contains("comma to separate") ? " where a comma or a closing bracket was expected"
                    : m.contains("colon to separate") ? " where a colon was expected"
                    : " where a JSON value was expected";
            return "not valid JSON: unexpected character " + quoted(m) + what;
        }
        if (m.startsWith("Leading zeroes") || m.startsWith("Invalid numeric value") || m.contains("number")) {
            return "not valid JSON: a malformed number";
        }
        if (m.contains("escape") || m.contains("backslash")) {
            return "not valid JSON: a malformed escape sequence in a string";
        }
        return "not valid JSON";
    }

    /**
     * Valid JSON of the wrong form for what reads it (a field of the wrong type, a required one
     * missing): said with the field's path, never with the library's type names.
     */
    private static String wrongShape(JsonMappingException e) {
        String path = path(e);
        String in = path.isEmpty() ? "" : " " + path;
        if (e instanceof UnrecognizedPropertyException) {
            return "unknown field" + in;
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof NullPointerException npe
                && npe.getMessage() != null && npe.getMessage().matches("[A-Za-z]+")) {
            return "the required field \"" + npe.getMessage() + "\" is missing or null"
                    + (path.isEmpty() ? "" : " in" + in);
        }
        if (e instanceof MismatchedInputException) {
            return path.isEmpty() ? "the JSON value at the top is not of the kind expected here"
                    : "the value of" + in + " is not of the kind expected there";
        }
        return "the JSON does not have the expected form" + (path.isEmpty() ? "" : " at" + in);
    }

    /** The field path the mapping stopped at ({@code problems[2].value}), or empty. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(printable(r.getFieldName()));
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String quoted(String message) {
        Matcher q = QUOTED.matcher(message);
        return q.find() ? "'" + printable(q.group(1)) + "'" : "a value";
    }

    private static String code(String message) {
        Matcher c = CODE.matcher(message);
        return c.find() ? String.format("0x%02x", Integer.parseInt(c.group(1))) : "";
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
