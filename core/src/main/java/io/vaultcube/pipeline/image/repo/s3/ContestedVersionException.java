package io.vaultcube.pipeline.image.repo.s3;

import java.io.IOException;

/**
 * A version has commit records with different content: two promotions raced. It is shown to no
 * reader until only one content is left (the losing promoter deletes its record; if it died, gc
 * or an operator does), so no reader ever sees a version's content change.
 */
public final class ContestedVersionException extends IOException {
    private static final long serialVersionUID = 1L;

    public ContestedVersionException(String message) {
        super(message);
    }
}
