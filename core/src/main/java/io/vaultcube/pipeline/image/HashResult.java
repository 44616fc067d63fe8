package io.vaultcube.pipeline.image;

/**
 * The SHA-256 of a stream of bytes.
 *
 * @param sha256 lower-case hex digest
 * @param size number of bytes hashed
 */
public record HashResult(String sha256, long size) {
    public HashResult {
        sha256 = Sha256.canonical(sha256);
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }
}
