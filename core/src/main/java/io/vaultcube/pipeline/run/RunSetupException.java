package io.vaultcube.pipeline.run;

/**
 * The settings of a run cannot work (a missing template, playbook, key or variable file, a tool
 * that is not installed, an evidence stage that already holds a run): nothing was started. The
 * message says what is wrong in words a person can act on. The {@code vault} command exits 2.
 */
public class RunSetupException extends Exception {
    private static final long serialVersionUID = 1L;

    public RunSetupException(String message) {
        super(message);
    }

    public RunSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
