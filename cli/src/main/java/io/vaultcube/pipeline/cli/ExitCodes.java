package io.vaultcube.pipeline.cli;

/** The exit statuses of every vault command (documented in README.md and docs/cli.md). */
public final class ExitCodes {
    /** Success: the command did what it was asked, the gate passed. */
    public static final int OK = 0;
    /** Failure: a gate failed, a build or run failed, a checksum did not match. */
    public static final int FAILURE = 1;
    /** Bad usage or unreadable input: unknown option, missing file, malformed policy or evidence. */
    public static final int USAGE = 2;
    /** Unstable: only gates of severity "unstable" failed. */
    public static final int UNSTABLE = 3;
    /** A bug in vault itself; the message asks for a report. */
    public static final int INTERNAL = 70;
    /**
     * Out of memory or stack: the JVM threw OutOfMemoryError or StackOverflowError for an input too
     * big or too deeply nested for this run's -Xmx or -Xss (one line on stderr says which).
     */
    public static final int RESOURCES = 71;
    /** Interrupted (Ctrl-C, SIGTERM): 128 + SIGINT, as shells report it. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
