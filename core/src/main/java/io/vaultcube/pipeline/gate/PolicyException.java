package io.vaultcube.pipeline.gate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy that cannot be used: malformed YAML, an unknown key or condition, a value of the wrong
 * type. Carries every problem found, each with the file and line, so one run shows them all.
 */
public class PolicyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** One problem at a line (1-based) and column (1-based; 0 when unknown). */
    public record Problem(int line, int column, String message) {
        @Override
        public String toString() {
            return (line > 0 ? line + (column > 0 ? ":" + column : "") + ": " : "") + message;
        }
    }

    private final String file;
    private final List<Problem> problems;

    public PolicyException(String file, List<Problem> problems) {
        super(format(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public PolicyException(String file, int line, int column, String message) {
        this(file, List.of(new Problem(line, column, message)));
    }

    public String file() {
        return file;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(String file, List<Problem> problems) {
        List<String> lines = new ArrayList<>();
        for (Problem p : problems) {
            lines.add(file + ":" + p);
        }
        String head = problems.size() == 1 ? "" : "policy " + file + " has " + problems.size() + " problems:\n";
        return head + String.join("\n", lines);
    }
}
