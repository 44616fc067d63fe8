package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.image.Tools;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.attest.AttestationRequest;
import io.vaultcube.pipeline.image.attest.AttestationVerifier;
import io.vaultcube.pipeline.image.attest.SshSignature;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.inventory.DpkgQueryParser;
import io.vaultcube.pipeline.run.GpuRunTestSupport;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.cyclonedx.Version;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion with an inventory and a signing key: the SBOM is valid CycloneDX 1.6 (the library's
 * schema validation), the statement and SHA256SUMS verify with the real ssh-keygen and sha256sum,
 * and each kind of tampering is refused with a message that names it.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class AttestationTest {
    @TempDir
    Path tmp;
    final Promotions promotions = new Promotions();
    Path key;
    Path allowed;
    Path inventory;
    Path dir;

    @BeforeEach
    void promoteSigned() throws Exception {
        key = tmp.resolve("keys/signing-key");
        SshSignature.createDemoKey(key, "builder@vault.test");
        allowed = SshSignature.allowedSignersOf(key);
        StageEvidence stage = EvidenceDir.create(tmp.resolve("evidence")).stage("inventory");
        Path dpkg = GpuRunTestSupport.repositoryRoot()
                .resolve("core/src/test/resources/parse/dpkg-query/synthetic-states-and-gpu-stack.txt");
        stage.writeMetrics(new DpkgQueryParser().parse(ParseInput.of(dpkg)));
        inventory = stage.file("metrics.json");
        Files.createDirectories(tmp.resolve("in"));
        Path disk = Tools.randomFile(tmp.resolve("in/vault-cube.img"), 200_000, 7);
        Path template = Files.writeString(tmp.resolve("in/template.pkr.hcl"), "source \"file\" \"x\" {}\n");
        promotions.promote(Promotions.request(tmp.resolve("repo"), "vault-cube", "1.0", disk).channel("candidate")
                .attestation(new AttestationRequest(inventory, key, null, "https://jenkins.example/job/golden/42/",
                        Map.of("packer-template", template, "roles", tmp.resolve("keys")), true)));
        dir = tmp.resolve("repo/vault-cube/1.0");
    }

    private static int run(Path dir, Path stdin, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectInput(stdin == null ? new File("/dev/null") : stdin.toFile());
        return pb.start().waitFor();
    }

    @Test
    void aCustomerVerifiesWithSshKeygenAndSha256sumAlone() throws Exception {
        assertThat(dir.resolve(Attestation.SBOM)).exists();
        assertThat(run(dir, dir.resolve("SHA256SUMS"), "ssh-keygen", "-Y", "verify", "-f", allowed.toString(), "-I",
                "builder@vault.test", "-n", "vault-image", "-s", "SHA256SUMS.sig")).isZero();
        assertThat(run(dir, null, "sha256sum", "-c", "--strict", "SHA256SUMS")).isZero();
        assertThat(run(dir, dir.resolve(Attestation.STATEMENT), "ssh-keygen", "-Y", "verify", "-f", allowed.toString(),
                "-I", "builder@vault.test", "-n", "vault-image", "-s", Attestation.STATEMENT_SIG)).isZero();
        assertThat(Files.readString(dir.resolve("SHA256SUMS"))).contains("  " + Attestation.SBOM + "\n")
                .contains("  " + Attestation.STATEMENT + "\n").doesNotContain(Attestation.SUMS_SIG);
        assertThat(AttestationVerifier.verify(dir, allowed)).isEmpty();
        assertThat(Promotions.verify(tmp.resolve("repo")).problems()).isEmpty();
    }

    @Test
    void theSbomIsValidCycloneDx() throws Exception {
        byte[] sbom = Files.readAllBytes(dir.resolve(Attestation.SBOM));
        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).isEmpty();
        String text = new String(sbom, StandardCharsets.UTF_8);
        assertThat(text).contains("\"specVersion\" : \"1.6\"").contains("pkg:deb/debian/cuda-toolkit-12-8@12.8.1-1?arch=amd64")
                .contains("pkg:deb/debian/docker-ce@5%3A28.0.4-1~debian.12~bookworm?arch=amd64");
    }

    @Test
    void theStatementNamesSubjectsBuilderMaterialsAndGate() throws Exception {
        String s = Files.readString(dir.resolve(Attestation.STATEMENT));
        assertThat(s).contains("\"_type\" : \"https://in-toto.io/Statement/v1\"")
                .contains("\"predicateType\" : \"https://slsa.dev/provenance/v1\"")
                .contains("\"name\" : \"vault-cube.img\"").contains("\"name\" : \"manifest.json\"")
                .contains("\"id\" : \"https://jenkins.example/job/golden/42/\"")
                .contains("\"name\" : \"packer-template\"").contains("\"name\" : \"roles\"")
                .contains("\"verdict\" : \"SUCCESS\"").contains(Tools.sha256sum(dir.resolve("vault-cube.img")));
    }

    private void tamper(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.write(f, content);
    }

    @Test
    void aTamperedImageIsRefused() throws Exception {
        tamper("vault-cube.img", "other bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(AttestationVerifier.verify(dir, allowed))
                .anySatisfy(p -> assertThat(p).startsWith("vault-cube.img was changed: its SHA-256 is"));
    }

    @Test
    void aTamperedManifestIsRefused() throws Exception {
        String m = Files.readString(dir.resolve("manifest.json")).replace("\"tester\"", "\"mallory\"");
        tamper("manifest.json", m.getBytes(StandardCharsets.UTF_8));
        assertThat(AttestationVerifier.verify(dir, allowed))
                .anySatisfy(p -> assertThat(p).startsWith("manifest.json was changed"));
    }

    @Test
    void aTamperedStatementIsRefused() throws Exception {
        String s = Files.readString(dir.resolve(Attestation.STATEMENT)).replace("golden/42", "golden/43");
        tamper(Attestation.STATEMENT, s.getBytes(StandardCharsets.UTF_8));
        assertThat(AttestationVerifier.verify(dir, allowed)).anySatisfy(p -> assertThat(p)
                .startsWith(Attestation.STATEMENT + ": the signature does not verify"));
    }

    @Test
    void aSignatureByAKeyNotAllowedIsRefused() throws Exception {
        Path other = tmp.resolve("other/key");
        SshSignature.createDemoKey(other, "someone@else.test");
        List<String> problems = AttestationVerifier.verify(dir, SshSignature.allowedSignersOf(other));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(Attestation.STATEMENT
                + ": signed by a key that is not in the allowed signers"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("SHA256SUMS: signed by a key that is not in"));
    }

    @Test
    void aMissingSignatureIsRefused() throws Exception {
        Path sig = dir.resolve(Attestation.STATEMENT_SIG);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.delete(sig);
        assertThat(AttestationVerifier.verify(dir, allowed)).anySatisfy(p -> assertThat(p)
                .startsWith(Attestation.STATEMENT_SIG + " is missing: the provenance statement is not signed"));
    }

    @Test
    void aRequiredSignatureWithoutAKeyIsRefusedBeforeAnything() {
        assertThatThrownBy(() -> new AttestationRequest(inventory, null, null, null, Map.of(), true))
                .hasMessageContaining("a signature is required but no signing key was given");
    }
}
