package io.vaultcube.pipeline.image.repo;

import java.io.IOException;

/**
 * The repository could not be changed as asked (full disk, lock timeout, a repository in a state
 * it should never be in). The CLI reports it as a failure (exit 1), not as bad input.
 */
public final class RepositoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public RepositoryException(String message) {
        super(message);
    }

    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
