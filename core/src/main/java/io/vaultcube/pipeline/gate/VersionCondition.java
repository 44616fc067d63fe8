package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.version.VersionScheme;
import io.vaultcube.pipeline.yaml.YamlTree.MapNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarKind;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;

/**
 * {@code min_version: V} and {@code max_version: V}: a version metric (text) is at least / at most
 * V, inclusive, in Debian's order (dpkg's, with epochs and tildes: packages, the kernel, the driver,
 * CUDA) or, written {@code min_version: {pep440: "2.7"}}, in PEP 440's (Python distributions).
 * {@code {debian: "570"}} names Debian's order explicitly. A bound that is not a version of its
 * scheme is a policy error; an observed value that is not one fails the gate with the reason.
 */
public record VersionCondition(boolean lower, VersionScheme scheme, String bound) implements Condition {

    public static final ConditionReader MIN = (key, v, in) -> read(true, key, v, in);
    public static final ConditionReader MAX = (key, v, in) -> read(false, key, v, in);

    private static Condition read(boolean lower, String key, Node v, ConditionInput in) {
        VersionScheme scheme = VersionScheme.DEBIAN;
        Node value = v;
        if (v instanceof MapNode m) {
            if (m.entries().size() != 1) {
                in.problem(v, key + " takes a version, or one of {debian: V} and {pep440: V}");
                return null;
            }
            var entry = m.entries().values().iterator().next();
            try {
                scheme = VersionScheme.byId(entry.key());
            } catch (IllegalArgumentException e) {
                in.problem(v, key + ": " + e.getMessage());
                return null;
            }
            value = entry.value();
        }
        if (!(value instanceof ScalarNode s) || s.kind() == ScalarKind.NULL || s.kind() == ScalarKind.BOOLEAN) {
            in.problem(value, key + " needs a version in quotes, found " + ConditionInput.shown(value));
            return null;
        }
        if (s.kind() != ScalarKind.STRING) {
            in.problem(value, key + " needs the version in quotes (" + s.text() + " is read as a number: write \""
                    + s.text() + "\")");
            return null;
        }
        String bound = (String) s.value();
        try {
            scheme.check(bound);
        } catch (IllegalArgumentException e) {
            in.problem(value, key + ": " + e.getMessage());
            return null;
        }
        return new VersionCondition(lower, scheme, bound);
    }

    @Override
    public String key() {
        return lower ? "min_version" : "max_version";
    }

    @Override
    public String describe() {
        return key() + " " + bound + (scheme == VersionScheme.DEBIAN ? "" : " (" + scheme.id() + ")");
    }

    @Override
    public ValueKind kind() {
        return ValueKind.TEXT;
    }

    @Override
    public Outcome test(MetricValue observed, String unit, Double baseline) {
        String version = ((MetricValue.Text) observed).value();
        int c;
        try {
            c = scheme.compare(version, bound);
        } catch (IllegalArgumentException e) {
            return Outcome.fail("observed " + ValueFormat.quote(version) + " cannot be ordered as a " + scheme.id()
                    + " version: " + e.getMessage());
        }
        boolean holds = lower ? c >= 0 : c <= 0;
        String relation = c < 0 ? "<" : c == 0 ? "=" : ">";
        String text = version + " " + relation + " " + bound + " (" + scheme.id() + " order)";
        return holds ? Outcome.pass(text) : Outcome.fail("observed " + text + "; " + describe() + " required");
    }
}
