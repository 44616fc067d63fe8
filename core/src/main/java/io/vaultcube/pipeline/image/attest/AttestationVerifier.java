package io.vaultcube.pipeline.image.attest;

import io.vaultcube.pipeline.evidence.JsonProblems;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ManifestJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a promoted version's signed provenance against an allowed-signers file, as a customer
 * would with {@code ssh-keygen -Y verify} and {@code sha256sum -c}: the statement's signature by a
 * key of the file, the statement's subjects against the files on disk (every image file and the
 * manifest must be a subject), and the signature of {@code SHA256SUMS}. Each problem names the file
 * and what failed; none is skipped.
 */
public final class AttestationVerifier {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AttestationVerifier() {
    }

    /** The problems of the version in {@code dir}; empty when its provenance verifies. */
    public static List<String> verify(Path dir, Path allowedSigners) throws IOException, InterruptedException {
        return verify(dir, allowedSigners, Map.of());
    }

    /**
     * As {@link #verify(Path, Path)}, for a version whose image files are not in {@code dir}: each
     * subject named in {@code hashedElsewhere} must have that SHA-256, which the caller has just
     * computed from the stored bytes (the S3 repository streams its objects back).
     */
    public static List<String> verify(Path dir, Path allowedSigners, Map<String, String> hashedElsewhere)
            throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Path statement = dir.resolve(Attestation.STATEMENT);
        Path statementSig = dir.resolve(Attestation.STATEMENT_SIG);
        if (!regular(statement)) {
            problems.add(Attestation.STATEMENT + " is missing: the version carries no provenance statement");
            return problems;
        }
        if (!regular(statementSig)) {
            problems.add(Attestation.STATEMENT_SIG + " is missing: the provenance statement is not signed, and a"
                    + " signature is required");
        } else {
            checkSignature(statement, statementSig, allowedSigners, Attestation.STATEMENT, problems);
        }
        Path sums = dir.resolve("SHA256SUMS");
        Path sumsSig = dir.resolve(Attestation.SUMS_SIG);
        if (!regular(sumsSig)) {
            problems.add(Attestation.SUMS_SIG + " is missing: SHA256SUMS is not signed, and a signature is required");
        } else if (!regular(sums)) {
            problems.add("SHA256SUMS is missing");
        } else {
            checkSignature(sums, sumsSig, allowedSigners, "SHA256SUMS", problems);
        }
        checkSubjects(dir, statement, hashedElsewhere, problems);
        return problems;
    }

    private static void checkSignature(Path data, Path signature, Path allowedSigners, String what, List<String> problems)
            throws IOException, InterruptedException {
        List<String> principals = SshSignature.principals(allowedSigners, signature);
        if (principals.isEmpty()) {
            problems.add(what + ": signed by a key that is not in the allowed signers " + allowedSigners
                    + " (or the signature " + signature.getFileName() + " is not an SSH signature)");
            return;
        }
        String failure = SshSignature.verify(allowedSigners, principals.get(0), signature, data);
        if (failure != null) {
            problems.add(what + ": the signature does not verify; the file was changed after it was signed ("
                    + "ssh-keygen: " + failure.lines().findFirst().orElse("") + ")");
        }
    }

    private static void checkSubjects(Path dir, Path statement, Map<String, String> hashedElsewhere, List<String> problems)
            throws IOException, InterruptedException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(statement));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problems.add(JsonProblems.describe(Attestation.STATEMENT, e));
            return;
        } catch (IOException e) {
            problems.add(Attestation.STATEMENT + ": cannot read: " + e.getMessage());
            return;
        }
        if (!Attestation.STATEMENT_TYPE.equals(root.path("_type").asText())
                || !Attestation.PREDICATE_TYPE.equals(root.path("predicateType").asText())) {
            problems.add(Attestation.STATEMENT + " is not an in-toto Statement v1 with a SLSA provenance v1 predicate");
            return;
        }
        Map<String, String> subjects = new LinkedHashMap<>();
        for (JsonNode s : root.path("subject")) {
            String name = s.path("name").asText(null);
            String sha = s.path("digest").path("sha256").asText(null);
            if (name == null || sha == null || subjects.put(name, sha) != null) {
                problems.add(Attestation.STATEMENT + " has a subject without a name and SHA-256, or one named twice");
                return;
            }
        }
        ImageManifest manifest = null;
        Path manifestFile = dir.resolve(ManifestJson.FILE_NAME);
        if (regular(manifestFile)) {
            try {
                manifest = ManifestJson.read(Files.readAllBytes(manifestFile), ManifestJson.FILE_NAME);
            } catch (IOException e) {
                problems.add(ManifestJson.FILE_NAME + " cannot be read: " + e.getMessage());
            }
        }
        List<String> mustBeSubjects = new ArrayList<>(List.of(ManifestJson.FILE_NAME));
        if (manifest != null) {
            manifest.files().forEach(f -> mustBeSubjects.add(f.name()));
        }
        if (regular(dir.resolve(Attestation.SBOM))) {
            mustBeSubjects.add(Attestation.SBOM);
        }
        for (String name : mustBeSubjects) {
            if (!subjects.containsKey(name)) {
                problems.add(name + " is not a subject of the signed statement");
            }
        }
        for (Map.Entry<String, String> s : subjects.entrySet()) {
            Path file = dir.resolve(s.getKey()).normalize();
            String actual = hashedElsewhere.get(s.getKey());
            if (actual == null) {
                if (!file.getParent().equals(dir.normalize()) || !regular(file)) {
                    problems.add(s.getKey() + ", a subject of the signed statement, is missing");
                    continue;
                }
                actual = new FileHasher().hash(file, n -> { }).sha256();
            }
            if (!actual.equalsIgnoreCase(s.getValue())) {
                problems.add(s.getKey() + " was changed: its SHA-256 is " + actual + ", the signed statement says "
                        + s.getValue());
            }
        }
    }

    private static boolean regular(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }
}
