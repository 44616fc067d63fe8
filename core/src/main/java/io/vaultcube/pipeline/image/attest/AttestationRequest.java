package io.vaultcube.pipeline.image.attest;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a promotion adds beside the manifest: the SBOM (from an inventory stage's
 * {@code metrics.json}), the in-toto provenance statement, and its SSH signature.
 *
 * @param inventoryMetrics the inventory stage's {@code metrics.json}, or null for no SBOM
 * @param signingKeyFile an SSH private key file, or null
 * @param signingKey an SSH private key's content (a Jenkins SSH credential), or null
 * @param builderId the builder: the Jenkins build URL, or null for {@code vault CLI on HOST}
 * @param materials name to file or directory whose digest the statement records (Packer template,
 *     roles, policy, base ISO); a directory's digest is that of its sorted {@code sha256sum} listing
 * @param requireSignature refuse the promotion when there is no key to sign with
 */
public record AttestationRequest(Path inventoryMetrics, Path signingKeyFile, String signingKey, String builderId,
        Map<String, Path> materials, boolean requireSignature) {

    public AttestationRequest {
        if (signingKeyFile != null && signingKey != null) {
            throw new IllegalArgumentException("give a signing key file or a signing key, not both");
        }
        materials = Collections.unmodifiableMap(new LinkedHashMap<>(materials == null ? Map.of() : materials));
        materials.keySet().forEach(k -> Objects.requireNonNull(k, "material name"));
        if (requireSignature && signingKeyFile == null && signingKey == null) {
            throw new IllegalArgumentException("a signature is required but no signing key was given");
        }
    }

    public boolean signs() {
        return signingKeyFile != null || signingKey != null;
    }
}
