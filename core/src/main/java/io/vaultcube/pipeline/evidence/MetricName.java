package io.vaultcube.pipeline.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A metric's dotted name: segments separated by dots, each an identifier optionally followed by
 * one key in brackets that names an entity: {@code gpu.count}, {@code gpu[0].memory_total_mib},
 * {@code ansible.host[web-1].changed}.
 *
 * <p>Identifiers are lower case: a letter, then letters, digits and underscores. A key is any
 * non-empty text without control characters, other than {@code *} (the wildcard of
 * {@link MetricPattern}); inside it {@code \}, {@code [} and {@code ]} are
 * written {@code \\}, {@code \[} and {@code \]}, so {@code ansible.host[db.example.com]} and
 * {@code ansible.host[rack\[3\]]} are both one name. See docs/evidence.md.
 */
public final class MetricName implements Comparable<MetricName> {
    /** One segment: an identifier and an optional (unescaped) key. */
    public record Segment(String identifier, String key) {
        public Segment {
            Objects.requireNonNull(identifier);
        }

        public boolean hasKey() {
            return key != null;
        }
    }

    private final List<Segment> segments;
    private final String text;

    private MetricName(List<Segment> segments) {
        this.segments = List.copyOf(segments);
        this.text = render(this.segments);
    }

    static MetricName of(List<Segment> segments) {
        return new MetricName(segments);
    }

    /** A one-segment name, such as {@code gpu}. */
    public static MetricName root(String identifier) {
        requireIdentifier(identifier);
        return new MetricName(List.of(new Segment(identifier, null)));
    }

    /** This name with one more segment: {@code gpu} → {@code gpu.count}. */
    public MetricName child(String identifier) {
        requireIdentifier(identifier);
        List<Segment> more = new ArrayList<>(segments);
        more.add(new Segment(identifier, null));
        return new MetricName(more);
    }

    /** This name with a key on its last segment: {@code gpu} → {@code gpu[0]}. */
    public MetricName at(Object key) {
        String k = String.valueOf(key);
        requireKey(k);
        Segment last = segments.get(segments.size() - 1);
        if (last.hasKey()) {
            throw new IllegalArgumentException("segment already has a key: " + text);
        }
        List<Segment> more = new ArrayList<>(segments.subList(0, segments.size() - 1));
        more.add(new Segment(last.identifier(), k));
        return new MetricName(more);
    }

    /**
     * This name with each key replaced by {@code keys.apply(key)} (the identifiers stay): masking a
     * secret in the part of a name that came from the tool's output ({@code ansible.host[KEY]}).
     */
    public MetricName mapKeys(UnaryOperator<String> keys) {
        List<Segment> mapped = new ArrayList<>();
        boolean changed = false;
        for (Segment s : segments) {
            String key = s.hasKey() ? keys.apply(s.key()) : null;
            if (key != null) {
                requireKey(key);
                changed |= !key.equals(s.key());
            }
            mapped.add(new Segment(s.identifier(), key));
        }
        return changed ? new MetricName(mapped) : this;
    }

    /** Parses and validates a name; the message of the exception says what is wrong and where. */
    public static MetricName parse(String text) {
        return new MetricName(NameSyntax.parse(text, false));
    }

    /** True when {@code text} is a valid metric name. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The keys of the name, in order: {@code ansible.host[web-1].changed} → [web-1]. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Segment s : segments) {
            if (s.hasKey()) {
                keys.add(s.key());
            }
        }
        return keys;
    }

    /** Escapes a raw key for use inside brackets. */
    public static String escapeKey(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\' || c == '[' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static void requireIdentifier(String identifier) {
        if (!NameSyntax.isIdentifier(identifier)) {
            throw new IllegalArgumentException("not a metric identifier (a-z, then a-z, 0-9, _): '" + identifier + "'");
        }
    }

    static void requireKey(String key) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("a metric key must not be empty");
        }
        if (key.equals("*")) {
            throw new IllegalArgumentException("a metric key must not be '*', which patterns use for 'any key'");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException("a metric key must not contain control characters: " + key);
            }
        }
    }

    static String render(List<Segment> segments) {
        StringBuilder out = new StringBuilder();
        for (Segment s : segments) {
            if (out.length() > 0) {
                out.append('.');
            }
            out.append(s.identifier());
            if (s.hasKey()) {
                out.append('[').append(escapeKey(s.key())).append(']');
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricName other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public int compareTo(MetricName o) {
        return text.compareTo(o.text);
    }
}
