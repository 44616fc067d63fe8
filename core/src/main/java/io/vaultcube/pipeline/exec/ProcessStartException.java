package io.vaultcube.pipeline.exec;

import java.io.IOException;

/** The program could not be started at all (not found, not executable, bad directory). */
public final class ProcessStartException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProcessStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
