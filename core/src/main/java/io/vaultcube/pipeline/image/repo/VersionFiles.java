package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.image.ChecksumLines;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.IoErrors;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.attest.AttestationRequest;
import io.vaultcube.pipeline.image.attest.Sbom;
import io.vaultcube.pipeline.image.attest.SshSignature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The files a version carries beside its image files, the same in both repositories:
 * {@code SHA256SUMS}, and with an attestation request the SBOM, the provenance statement and the
 * signatures ({@link Attestation}).
 */
public final class VersionFiles {
    private VersionFiles() {
    }

    /** SHA256SUMS: the image files, the manifest, then the attestation files it can list. */
    public static byte[] sums(ImageManifest manifest, byte[] manifestBytes, Map<String, byte[]> attached) {
        StringBuilder b = new StringBuilder();
        for (ImageManifest.FileEntry f : manifest.files()) {
            b.append(ChecksumLines.format(f.sha256(), f.name(), false)).append('\n');
        }
        b.append(ChecksumLines.format(FileHasher.hash(manifestBytes).sha256(), RepositoryLayout.MANIFEST, false))
                .append('\n');
        for (String name : Attestation.LISTED) {
            if (attached.containsKey(name)) {
                b.append(ChecksumLines.format(FileHasher.hash(attached.get(name)).sha256(), name, false)).append('\n');
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The SBOM (from the inventory), the provenance statement and its signature, by file name; empty
     * without an attestation request. A key that cannot sign fails the promotion (nothing is published).
     */
    public static Map<String, byte[]> attest(AttestationRequest a, ImageManifest manifest, byte[] manifestBytes,
            List<String> channels, String host, Consumer<String> say) throws IOException, InterruptedException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (a == null) {
            return files;
        }
        byte[] sbom = null;
        if (a.inventoryMetrics() != null) {
            sbom = Attestation.sbom(a.inventoryMetrics(), manifest);
            files.put(Attestation.SBOM, sbom);
            say.accept("SBOM: " + Attestation.SBOM + " (CycloneDX " + Sbom.SPEC.getVersionString() + ") from "
                    + a.inventoryMetrics());
        }
        byte[] statement = Attestation.statement(manifest, Attestation.subjects(manifest, manifestBytes, sbom), a,
                channels, host);
        files.put(Attestation.STATEMENT, statement);
        if (a.signs()) {
            files.put(Attestation.STATEMENT_SIG, SshSignature.sign(statement, signingKey(a), null));
            say.accept("provenance: " + Attestation.STATEMENT + " signed (" + Attestation.STATEMENT_SIG + ", "
                    + Attestation.SUMS_SIG + ", namespace " + SshSignature.NAMESPACE + ")");
        } else {
            say.accept("provenance: " + Attestation.STATEMENT + " (not signed: no signing key)");
        }
        return files;
    }

    /** The signature of SHA256SUMS, or null when the request signs nothing. */
    public static byte[] signSums(AttestationRequest a, byte[] sums) throws IOException, InterruptedException {
        return a == null || !a.signs() ? null : SshSignature.sign(sums, signingKey(a), null);
    }

    private static byte[] signingKey(AttestationRequest a) throws IOException {
        if (a.signingKeyFile() != null) {
            try {
                return Files.readAllBytes(a.signingKeyFile());
            } catch (IOException e) {
                throw new IOException("cannot read the signing key " + a.signingKeyFile() + ": " + IoErrors.reason(e), e);
            }
        }
        return a.signingKey().getBytes(StandardCharsets.UTF_8);
    }

    /** The attestation files present in a filesystem version directory, by name (push carries them). */
    public static Map<String, byte[]> attached(Path versionDir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : Attestation.ALL) {
            Path file = versionDir.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                files.put(name, Files.readAllBytes(file));
            }
        }
        return files;
    }
}
