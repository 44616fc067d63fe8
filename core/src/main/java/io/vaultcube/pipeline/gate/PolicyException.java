package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.yaml.YamlException;
import java.util.List;

/**
 * A policy that cannot be used: malformed YAML, an unknown key or condition, a value of the wrong
 * type. Carries every problem found, each with the file and line, so one run shows them all.
 */
public class PolicyException extends YamlException {
    private static final long serialVersionUID = 1L;

    public PolicyException(String file, List<Problem> problems) {
        super("policy", file, problems);
    }

    public PolicyException(String file, int line, int column, String message) {
        this(file, List.of(new Problem(line, column, message)));
    }

    /** The same problems, as a policy's. */
    static PolicyException of(YamlException e) {
        return e instanceof PolicyException p ? p : new PolicyException(e.file(), e.problems());
    }
}
