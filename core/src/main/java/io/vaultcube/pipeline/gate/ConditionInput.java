package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.yaml.YamlException;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarKind;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import java.util.List;

/**
 * What a {@link ConditionReader} reads with: the value types conditions share, and the list the
 * policy's problems are collected in (each with its line), so that all of them are reported together.
 */
public final class ConditionInput {
    private final List<YamlException.Problem> problems;

    ConditionInput(List<YamlException.Problem> problems) {
        this.problems = problems;
    }

    /** A problem at a value. */
    public void problem(Node at, String message) {
        problems.add(new YamlException.Problem(at.line(), at.column(), message));
    }

    /** A number, or null (with a problem). */
    public Double number(String key, Node v) {
        if (v instanceof ScalarNode s && s.kind() == ScalarKind.NUMBER) {
            return (Double) s.value();
        }
        problem(v, key + " needs a number, found " + shown(v));
        return null;
    }

    /** A number or a string for eq and in; booleans belong to {@code is}. Null (with a problem) otherwise. */
    public MetricValue comparable(String key, Node v) {
        if (v instanceof ScalarNode s) {
            if (s.kind() == ScalarKind.NUMBER) {
                return MetricValue.of((Double) s.value());
            }
            if (s.kind() == ScalarKind.STRING) {
                return MetricValue.of((String) s.value());
            }
            if (s.kind() == ScalarKind.BOOLEAN) {
                problem(v, key + " compares numbers and strings; for a boolean write 'is: " + s.value() + "'");
                return null;
            }
        }
        problem(v, key + " needs a number or a string, found " + shown(v));
        return null;
    }

    /** A value as a message shows it: {@code text "abc"}, {@code number 3}, {@code a list}. */
    public static String shown(Node v) {
        if (v instanceof ScalarNode s) {
            if (s.kind() == ScalarKind.STRING) {
                return "text " + ValueFormat.quote(s.text());
            }
            if (s.kind() == ScalarKind.NULL) {
                return "nothing";
            }
            return s.what() + " " + s.text();
        }
        return v.what();
    }
}
