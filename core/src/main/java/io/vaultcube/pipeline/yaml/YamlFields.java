package io.vaultcube.pipeline.yaml;

import io.vaultcube.pipeline.yaml.YamlTree.Entry;
import io.vaultcube.pipeline.yaml.YamlTree.ListNode;
import io.vaultcube.pipeline.yaml.YamlTree.MapNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarKind;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, line-aware reading of a {@link YamlTree}: each accessor returns the value or null and
 * records a problem at the node's line, so a reader collects every problem of a document and
 * reports them together.
 */
public final class YamlFields {
    private final String file;
    private final List<YamlException.Problem> problems = new ArrayList<>();

    public YamlFields(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    public List<YamlException.Problem> problems() {
        List<YamlException.Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparingInt(YamlException.Problem::line)
                .thenComparingInt(YamlException.Problem::column));
        return sorted;
    }

    public void problem(Node at, String message) {
        problems.add(new YamlException.Problem(at.line(), at.column(), message));
    }

    public void problem(int line, int column, String message) {
        problems.add(new YamlException.Problem(line, column, message));
    }

    /** Records a problem for each key of the map not in {@code known}, with a "did you mean". */
    public void unknownKeys(MapNode map, Collection<String> known, String where) {
        for (Entry e : map.entries().values()) {
            if (known.contains(e.key())) {
                continue;
            }
            String guess = closest(e.key(), known);
            problem(e.line(), e.column(), "unknown " + where + " key '" + e.key() + "'"
                    + (guess == null ? "" : " (did you mean '" + guess + "'?)") + "; known: " + String.join(", ", known));
        }
    }

    public Node node(MapNode map, String key, boolean required) {
        Entry e = map.entries().get(key);
        if (e == null) {
            if (required) {
                problem(map, "missing key '" + key + "'");
            }
            return null;
        }
        return e.value();
    }

    public String text(MapNode map, String key, boolean required) {
        Node v = node(map, key, required);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.kind() == ScalarKind.STRING && !s.text().isEmpty()) {
            return s.text();
        }
        // A number or boolean written where text is expected (version: 1.0) is taken as written.
        if (v instanceof ScalarNode s && (s.kind() == ScalarKind.NUMBER || s.kind() == ScalarKind.BOOLEAN)) {
            return s.text();
        }
        problem(v, key + " must be text, found " + shown(v));
        return null;
    }

    public Boolean bool(MapNode map, String key) {
        Node v = node(map, key, false);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.kind() == ScalarKind.BOOLEAN) {
            return (Boolean) s.value();
        }
        problem(v, key + " is true or false, found " + shown(v));
        return null;
    }

    /** A whole number within [min, max]. */
    public Integer integer(MapNode map, String key, int min, int max) {
        Node v = node(map, key, false);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.kind() == ScalarKind.NUMBER && s.integral()) {
            double d = (Double) s.value();
            if (d >= min && d <= max) {
                return (int) d;
            }
        }
        problem(v, key + " is a whole number from " + min + " to " + max + ", found " + shown(v));
        return null;
    }

    /** A list of non-empty texts (a single text is taken as a list of one). */
    public List<String> textList(MapNode map, String key, boolean required) {
        Node v = node(map, key, required);
        if (v == null) {
            return null;
        }
        if (v instanceof ScalarNode s && s.kind() == ScalarKind.STRING && !s.text().isEmpty()) {
            return List.of(s.text());
        }
        if (!(v instanceof ListNode list)) {
            problem(v, key + " must be a list of texts, found " + shown(v));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Node item : list.items()) {
            if (item instanceof ScalarNode s && s.kind() != ScalarKind.NULL && !(s.kind() == ScalarKind.STRING
                    && s.text().isEmpty())) {
                out.add(s.text());
            } else {
                problem(item, key + " must be a list of texts; this item is " + shown(item));
            }
        }
        return out;
    }

    /** A map of texts: names to values (numbers and booleans are taken as written). */
    public Map<String, String> textMap(MapNode map, String key) {
        Node v = node(map, key, false);
        if (v == null) {
            return null;
        }
        if (!(v instanceof MapNode m)) {
            problem(v, key + " must be a map of names to values, found " + shown(v));
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Entry e : m.entries().values()) {
            if (e.value() instanceof ScalarNode s && s.kind() != ScalarKind.NULL) {
                out.put(e.key(), s.text());
            } else {
                problem(e.value(), key + "." + e.key() + " must be a plain value, found " + shown(e.value()));
            }
        }
        return out;
    }

    /** The known word closest to {@code key} (at most two edits away; the first of equals), or null. */
    public static String closest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** How a node reads in a message: text "x", a number 3, nothing, a list, a map. */
    public static String shown(Node v) {
        if (v instanceof ScalarNode s) {
            if (s.kind() == ScalarKind.STRING) {
                return "text \"" + s.text().replace("\"", "\\\"") + "\"";
            }
            if (s.kind() == ScalarKind.NULL) {
                return "nothing";
            }
            return s.what() + " " + s.text();
        }
        return v.what();
    }

    /**
     * Optimal string alignment distance: Levenshtein's insertions, deletions and substitutions, plus
     * a swap of two adjacent letters as one edit, the commonest typo ('mni' is one edit from 'min',
     * not two, so it no longer ties with 'unit').
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i][j - 1] + 1, d[i - 1][j] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
