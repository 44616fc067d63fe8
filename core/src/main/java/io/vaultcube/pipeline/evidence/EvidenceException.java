package io.vaultcube.pipeline.evidence;

import java.io.IOException;

/** Evidence that is missing, unreadable or garbled; the message names the file. */
public class EvidenceException extends IOException {
    private static final long serialVersionUID = 1L;

    public EvidenceException(String message) {
        super(message);
    }

    public EvidenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
