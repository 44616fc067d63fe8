package io.vaultcube.pipeline.image.repo;

import java.nio.file.Path;

/**
 * Where things live in a repository:
 *
 * <pre>
 * REPO/audit.jsonl                       append-only log of every change
 * REPO/IMAGE/VERSION/                    the files, manifest.json, SHA256SUMS (complete or absent)
 * REPO/IMAGE/channels/CHANNEL            symlink to ../VERSION
 * REPO/.vault/repository.json            marks the directory as a vault repository
 * REPO/.vault/audit.lock                 serializes appends to the audit log
 * REPO/.vault/locks/IMAGE.lock           serializes writers of one image
 * REPO/.vault/staging/IMAGE/VERSION.ID/  a version being written (same filesystem: rename is atomic)
 * REPO/.vault/trash/IMAGE/VERSION.ID/    a version being deleted by gc
 * </pre>
 */
public final class RepositoryLayout {
    public static final String AUDIT_LOG = "audit.jsonl";
    public static final String CHANNELS = "channels";
    public static final String MANIFEST = "manifest.json";
    public static final String SUMS = "SHA256SUMS";
    public static final String META = ".vault";
    public static final String MARKER = "repository.json";
    public static final String MARKER_SCHEMA = "vault-repository/1";

    private final Path root;

    public RepositoryLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path auditLog() {
        return root.resolve(AUDIT_LOG);
    }

    public Path meta() {
        return root.resolve(META);
    }

    public Path marker() {
        return meta().resolve(MARKER);
    }

    public Path auditLock() {
        return meta().resolve("audit.lock");
    }

    public Path locks() {
        return meta().resolve("locks");
    }

    public Path imageLock(String image) {
        return locks().resolve(image + ".lock");
    }

    public Path staging(String image) {
        return meta().resolve("staging").resolve(image);
    }

    public Path trash(String image) {
        return meta().resolve("trash").resolve(image);
    }

    public Path image(String image) {
        return root.resolve(image);
    }

    public Path version(String image, String version) {
        return image(image).resolve(version);
    }

    public Path channels(String image) {
        return image(image).resolve(CHANNELS);
    }

    public Path channel(String image, String channel) {
        return channels(image).resolve(channel);
    }
}
