package io.vaultcube.pipeline.parse;

/** Input a parser cannot read, with the file and (where known) the 1-based line. */
public class ParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long line;
    private final String problem;

    /**
     * @param file the input's name as shown to people (see {@link ParseInput#sourceName()})
     * @param line the 1-based line, or 0 when the problem is not on one line (empty or truncated input)
     * @param problem what is wrong, in words a person can act on
     */
    public ParseException(String file, long line, String problem) {
        super(format(file, line, problem));
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public ParseException(String file, long line, String problem, Throwable cause) {
        super(format(file, line, problem), cause);
        this.file = file;
        this.line = line;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    /** What is wrong, without the file and line. */
    public String problem() {
        return problem;
    }

    /** The 1-based line, or 0 when the problem concerns the whole input. */
    public long line() {
        return line;
    }

    private static String format(String file, long line, String problem) {
        return (line > 0 ? file + ":" + line : file) + ": " + problem;
    }
}
