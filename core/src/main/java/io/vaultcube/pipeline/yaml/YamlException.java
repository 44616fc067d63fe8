package io.vaultcube.pipeline.yaml;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A YAML document (a policy, a pipeline file) that cannot be used: malformed YAML, an unknown key,
 * a value of the wrong type. Carries every problem found, each with the file and line, so one run
 * shows them all.
 */
public class YamlException extends IOException {
    private static final long serialVersionUID = 1L;

    /** One problem at a line (1-based; 0 for the file as a whole) and column (1-based; 0 when unknown). */
    public record Problem(int line, int column, String message) {
        /** {@code LINE:COLUMN: message}, {@code LINE: message}, or the message alone when there is no line. */
        @Override
        public String toString() {
            return (line > 0 ? line + (column > 0 ? ":" + column : "") + ": " : "") + message;
        }

        /** As the compilers write it: {@code FILE:LINE:COLUMN: message}, or {@code FILE: message} without a line. */
        public String in(String file) {
            return file + (line > 0 ? ":" : ": ") + this;
        }
    }

    private final String file;
    private final List<Problem> problems;

    public YamlException(String file, List<Problem> problems) {
        this(null, file, problems);
    }

    /** @param document what the file is ("policy", "pipeline file"), named when there are several problems */
    protected YamlException(String document, String file, List<Problem> problems) {
        super(format(document, file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public YamlException(String file, int line, int column, String message) {
        this(file, List.of(new Problem(line, column, message)));
    }

    public String file() {
        return file;
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String format(String document, String file, List<Problem> problems) {
        List<String> lines = new ArrayList<>();
        for (Problem p : problems) {
            lines.add(p.in(file));
        }
        String head = problems.size() == 1 ? ""
                : (document == null ? "" : document + " ") + file + " has " + problems.size() + " problems:\n";
        return head + String.join("\n", lines);
    }
}
