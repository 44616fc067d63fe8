package io.vaultcube.pipeline.evidence;

import java.util.ArrayList;
import java.util.List;

/** The grammar shared by metric names and metric patterns. */
final class NameSyntax {
    /** The key of a pattern segment that matches any key. */
    static final String WILDCARD = "\u0000*";

    private NameSyntax() {
    }

    static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        char first = s.charAt(0);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Parses {@code text}; with {@code wildcards}, a key written {@code *} matches any key. */
    static List<MetricName.Segment> parse(String text, boolean wildcards) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a metric name must not be empty");
        }
        List<MetricName.Segment> segments = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            int start = i;
            while (i < n && text.charAt(i) != '.' && text.charAt(i) != '[') {
                i++;
            }
            String identifier = text.substring(start, i);
            if (!isIdentifier(identifier)) {
                throw error(text, start, "expected an identifier (a-z, then a-z, 0-9, _), found '" + identifier + "'");
            }
            String key = null;
            if (i < n && text.charAt(i) == '[') {
                int keyStart = ++i;
                StringBuilder raw = new StringBuilder();
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i);
                    if (c == '\\') {
                        if (i + 1 >= n) {
                            throw error(text, i, "a backslash must be followed by \\, [ or ]");
                        }
                        char next = text.charAt(i + 1);
                        if (next != '\\' && next != '[' && next != ']') {
                            throw error(text, i, "a backslash must be followed by \\, [ or ]");
                        }
                        raw.append(next);
                        i += 2;
                        continue;
                    }
                    if (c == ']') {
                        closed = true;
                        break;
                    }
                    if (c == '[') {
                        throw error(text, i, "'[' inside a key must be written \\[");
                    }
                    if (Character.isISOControl(c)) {
                        throw error(text, i, "control character in a key");
                    }
                    raw.append(c);
                    i++;
                }
                if (!closed) {
                    throw error(text, keyStart - 1, "unclosed '['");
                }
                if (raw.length() == 0) {
                    throw error(text, keyStart, "empty key '[]'");
                }
                if (raw.toString().equals("*")) {
                    if (!wildcards) {
                        throw error(text, keyStart, "'*' is the wildcard of patterns, not a key");
                    }
                    key = WILDCARD;
                } else {
                    key = raw.toString();
                }
                i++; // past ']'
            }
            segments.add(new MetricName.Segment(identifier, key));
            if (i == n) {
                return segments;
            }
            if (text.charAt(i) != '.') {
                throw error(text, i, "expected '.' after ']'");
            }
            i++;
            if (i == n) {
                throw error(text, i, "a name must not end with '.'");
            }
        }
    }

    private static IllegalArgumentException error(String text, int at, String what) {
        return new IllegalArgumentException("bad metric name '" + text + "' at character " + (at + 1) + ": " + what);
    }
}
