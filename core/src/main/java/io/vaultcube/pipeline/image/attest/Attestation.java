package io.vaultcube.pipeline.image.attest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.evidence.EvidenceJson;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ImageManifest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The files a promotion writes beside the manifest: {@value #SBOM} (CycloneDX), {@value #STATEMENT}
 * (an in-toto Statement v1 with a SLSA provenance v1 predicate), {@value #STATEMENT_SIG} (its SSH
 * signature) and {@value #SUMS_SIG} (the SSH signature of {@code SHA256SUMS}, so that a customer
 * needs only {@code ssh-keygen -Y verify} and {@code sha256sum -c}).
 *
 * <p>The statement's subjects are every image file, {@code manifest.json} and the SBOM, each with
 * its SHA-256: the signature covers what was promoted and what is claimed about it.
 */
public final class Attestation {
    public static final String SBOM = "sbom.cdx.json";
    public static final String STATEMENT = "provenance.intoto.json";
    public static final String STATEMENT_SIG = "provenance.intoto.json.sig";
    public static final String SUMS_SIG = "SHA256SUMS.sig";
    /** Files beside the manifest that SHA256SUMS lists when present (the signature of SHA256SUMS cannot be). */
    public static final List<String> LISTED = List.of(SBOM, STATEMENT, STATEMENT_SIG);
    /** Every file name an attestation may add to a version. */
    public static final List<String> ALL = List.of(SBOM, STATEMENT, STATEMENT_SIG, SUMS_SIG);

    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    public static final String BUILD_TYPE = "https://vaultcube.io/vault-pipeline/golden-image/v1";

    private Attestation() {
    }

    /** The SBOM from an inventory stage's metrics.json. */
    public static byte[] sbom(Path inventoryMetrics, ImageManifest manifest) throws IOException {
        MetricSet metrics;
        try {
            metrics = EvidenceJson.readMetrics(Files.readString(inventoryMetrics), inventoryMetrics.toString());
        } catch (IOException e) {
            throw new IOException("the inventory " + inventoryMetrics + " cannot be read: " + e.getMessage(), e);
        }
        try {
            return Sbom.write(metrics, manifest.name(), manifest.version(), manifest.created());
        } catch (IllegalArgumentException e) {
            throw new IOException(inventoryMetrics + ": " + e.getMessage(), e);
        }
    }

    /**
     * The statement.
     *
     * @param subjects name to SHA-256 of every file the statement vouches for, in order
     */
    public static byte[] statement(ImageManifest manifest, Map<String, String> subjects, AttestationRequest request,
            List<String> channels, String host) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("_type", STATEMENT_TYPE);
        ArrayNode subject = root.putArray("subject");
        subjects.forEach((name, sha) -> subject.addObject().put("name", name).putObject("digest").put("sha256", sha));
        root.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = root.putObject("predicate");
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        ObjectNode external = definition.putObject("externalParameters");
        external.put("image", manifest.name());
        external.put("version", manifest.version());
        ArrayNode ch = external.putArray("channels");
        channels.forEach(ch::add);
        ArrayNode deps = definition.putArray("resolvedDependencies");
        ImageManifest.Provenance p = manifest.provenance();
        if (p != null && p.git() != null && p.git().commit() != null) {
            ObjectNode git = deps.addObject();
            git.put("name", "git-commit");
            git.putObject("digest").put("gitCommit", p.git().commit());
            if (p.git().dirty() != null) {
                git.putObject("annotations").put("dirty", p.git().dirty());
            }
        }
        if (p != null && p.packer() != null && p.packer().manifestSha256() != null) {
            ObjectNode packer = deps.addObject();
            packer.put("name", "packer-manifest");
            packer.put("uri", "file:" + p.packer().manifestFile());
            packer.putObject("digest").put("sha256", p.packer().manifestSha256());
        }
        ImageManifest.Gate gate = manifest.gate();
        if (gate.policySha256() != null) {
            ObjectNode policy = deps.addObject();
            policy.put("name", "policy");
            if (gate.policyName() != null) {
                policy.putObject("annotations").put("policyName", gate.policyName());
            }
            policy.putObject("digest").put("sha256", gate.policySha256());
        }
        for (Map.Entry<String, Path> m : request.materials().entrySet()) {
            ObjectNode material = deps.addObject();
            material.put("name", m.getKey());
            material.put("uri", "file:" + m.getValue());
            material.putObject("digest").put("sha256", digest(m.getValue()));
            if (Files.isDirectory(m.getValue())) {
                material.putObject("annotations").put("digestOf", "the sorted sha256sum listing of the directory's files");
            }
        }
        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", request.builderId() != null ? request.builderId() : "vault CLI on " + host);
        ObjectNode metadata = run.putObject("metadata");
        metadata.put("invocationId", manifest.name() + "@" + manifest.version());
        metadata.put("finishedOn", manifest.created().toString());
        ArrayNode byproducts = run.putArray("byproducts");
        ObjectNode report = byproducts.addObject();
        report.put("name", "gate-report");
        if (gate.reportFile() != null) {
            report.put("uri", "file:" + gate.reportFile());
        }
        report.putObject("digest").put("sha256", gate.reportSha256());
        ObjectNode verdict = report.putObject("annotations");
        verdict.put("verdict", gate.verdict().name());
        if (gate.evaluated() != null) {
            verdict.put("evaluated", gate.evaluated());
        }
        return (json.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A file's SHA-256, or a directory's: the SHA-256 of its files' {@code sha256sum} lines, sorted by path. */
    public static String digest(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new IOException("no material at " + path);
            }
            return fileDigest(path);
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                lines.add(fileDigest(f) + "  " + path.relativize(f) + "\n");
            }
        }
        lines.sort(Comparator.comparing(l -> l.substring(66)));
        return FileHasher.hash(String.join("", lines).getBytes(StandardCharsets.UTF_8)).sha256();
    }

    /** Streams the file (a base ISO is gigabytes): memory stays flat. */
    private static String fileDigest(Path file) throws IOException {
        try {
            return new FileHasher().hash(file, n -> { }).sha256();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing " + file);
        }
    }

    /** The subjects: every image file of the manifest, the manifest, and the SBOM when there is one. */
    public static Map<String, String> subjects(ImageManifest manifest, byte[] manifestBytes, byte[] sbom) {
        Map<String, String> subjects = new LinkedHashMap<>();
        manifest.files().forEach(f -> subjects.put(f.name(), f.sha256()));
        subjects.put(io.vaultcube.pipeline.image.ManifestJson.FILE_NAME, FileHasher.hash(manifestBytes).sha256());
        if (sbom != null) {
            subjects.put(SBOM, FileHasher.hash(sbom).sha256());
        }
        return subjects;
    }
}
