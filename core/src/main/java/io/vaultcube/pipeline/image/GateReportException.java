package io.vaultcube.pipeline.image;

import java.io.IOException;

/** A gate report that cannot be trusted: missing, garbled, another schema, inconsistent. */
public final class GateReportException extends IOException {
    private static final long serialVersionUID = 1L;

    public GateReportException(String message) {
        super(message);
    }

    public GateReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
