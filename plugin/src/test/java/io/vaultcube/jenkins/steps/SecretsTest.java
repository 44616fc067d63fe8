package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import io.vaultcube.jenkins.agent.RunnerCallable;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.agent.StageSummary;
import io.vaultcube.jenkins.agent.StagedSecrets;
import io.vaultcube.jenkins.credentials.SecretNames;
import io.vaultcube.jenkins.credentials.StepSecrets;
import io.vaultcube.jenkins.testing.Fixtures;
import io.vaultcube.jenkins.testing.Serialized;
import io.vaultcube.jenkins.testing.TestListener;
import io.vaultcube.jenkins.testing.TestStepContext;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret reaches a step parameter, a field of a step, execution or callable, the build log or the evidence. */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class SecretsTest {
    private static final String TOKEN = "s3cr3t-T0ken-4242";
    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path root;

    @Test
    void aPackerSecretFromWithCredentialsReachesPackerButNoLogFieldOrEvidence() throws Exception {
        Path ws = Files.createDirectories(root.resolve("ws"));
        Fixtures.copy("packer/sensitive.pkr.hcl", ws);
        TestStepContext context = new TestStepContext(ws.toFile(), Map.of("BUILD_NUMBER", "3", "VAULT_TOKEN", TOKEN));
        VaultPackerBuildStep step = new VaultPackerBuildStep("sensitive.pkr.hcl");
        step.setSensitiveVarsFromEnv(Map.of("token", "VAULT_TOKEN"));
        VaultStepExecution<?> execution = (VaultStepExecution<?>) step.start(context);

        Map<String, Object> result = execution.run();

        assertPackerHadTheTokenAndNothingElseHasIt(ws, context, result, execution);
        assertThat(Serialized.bytesOf(step.request("vault-runs/build-3", null))).doesNotContain(TOKEN);
        assertThat(leftovers(ws)).isEmpty();
    }

    /** A Secret file credential: withCredentials binds a path; the agent reads the file, no field holds its content. */
    @Test
    void aPackerSecretFromAFileReachesPackerButNoLogFieldOrEvidence() throws Exception {
        Path ws = Files.createDirectories(root.resolve("ws"));
        Fixtures.copy("packer/sensitive.pkr.hcl", ws);
        // where the credentials-binding plugin puts a file credential: outside the workspace
        Path secretFile = Files.writeString(Files.createDirectories(root.resolve("ws@tmp/secretFiles"))
                .resolve("token.txt"), TOKEN + "\n");
        TestStepContext context = new TestStepContext(ws.toFile(), Map.of("BUILD_NUMBER", "4"));
        VaultPackerBuildStep step = new VaultPackerBuildStep("sensitive.pkr.hcl");
        step.setSensitiveVarsFromFile(Map.of("token", secretFile.toString()));
        VaultStepExecution<?> execution = (VaultStepExecution<?>) step.start(context);
        StageRequest request = step.request("vault-runs/build-4", null);
        RunnerCallable callable = new RunnerCallable(request, StagedSecrets.none(), new TestListener());
        String executionBefore = Serialized.bytesOf(execution);

        Map<String, Object> result = execution.run();

        // the file's content without its line end is what Packer got
        assertPackerHadTheTokenAndNothingElseHasIt(ws, context, result, execution);
        // the path is kept (it is not secret), the content is nowhere
        assertThat(executionBefore).doesNotContain(TOKEN);
        assertThat(Serialized.bytesOf(request)).contains(secretFile.toString()).doesNotContain(TOKEN);
        assertThat(Serialized.bytesOf(callable)).doesNotContain(TOKEN);
        // the credential's file is the binding's to remove, not the step's
        assertThat(secretFile).exists();
    }

    @Test
    void aMissingSecretFileFailsTheStepNamingVariableAndFileBeforePackerRuns() throws Exception {
        Path ws = Files.createDirectories(root.resolve("ws"));
        Fixtures.copy("packer/sensitive.pkr.hcl", ws);
        Path missing = root.resolve("gone/token.txt");
        TestStepContext context = new TestStepContext(ws.toFile(), Map.of("BUILD_NUMBER", "5"));
        VaultPackerBuildStep step = new VaultPackerBuildStep("sensitive.pkr.hcl");
        step.setSensitiveVarsFromFile(Map.of("token", missing.toString()));
        VaultStepExecution<?> execution = (VaultStepExecution<?>) step.start(context);

        assertThatThrownBy(execution::run).isInstanceOf(AbortException.class)
                .hasMessageContaining("sensitive variable token: no readable file at " + missing);
        // refused while the settings were built: no stage evidence, no Packer output
        assertThat(ws.resolve("vault-runs/build-5/packer")).doesNotExist();
        assertThat(ws.resolve("out")).doesNotExist();
    }

    @Test
    void anSshKeyWithAPassphraseIsUsableMaskedAndRemovedOnTheAgent() throws Exception {
        Path ws = Files.createDirectories(root.resolve("ws"));
        Path playbook = Fixtures.copy("ansible/echo-vars.yml", ws);
        Fixtures.copy("ansible/inventory.ini", ws);
        String key = protectedKey();
        String[] keyLines = key.strip().split("\n");

        StagedSecrets staged = StepSecrets.stage(new StepSecrets.Found(Map.of(), key, PASSPHRASE, "builder"),
                new FilePath(ws.toFile()));
        // staged privately: a 0700 directory of 0400 files beside the workspace
        Path dir = Path.of(staged.directory());
        assertThat(dir.getParent()).isEqualTo(ws.resolveSibling("ws@tmp"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(staged.privateKey()))))
                .isEqualTo("r--------");
        assertThat(Serialized.bytesOf(staged)).doesNotContain(keyLines[1]).doesNotContain(PASSPHRASE);

        StageRequest request = StageRequest.builder(RunnerKind.PROVISION, "vault-runs/build-1", "ansible")
                .text("playbook", playbook.getFileName().toString()).text("inventory", "inventory.ini")
                .map("extraVars", Map.of("payload", "hello", "out_dir", ws.resolve("out").toString(),
                        "probe_dir", ws.resolveSibling("ws@tmp").toString()))
                .build();
        Files.createDirectories(ws.resolve("out"));
        TestListener listener = new TestListener();
        RunnerCallable callable = new RunnerCallable(request, staged, listener);
        assertThat(Serialized.bytesOf(callable)).doesNotContain(keyLines[1]).doesNotContain(PASSPHRASE);

        StageSummary summary = new FilePath(ws.toFile()).act(callable);

        assertThat(summary.status()).as(String.join("\n", summary.messages())).isEqualTo("SUCCEEDED");
        // the playbook printed the key copy it found: decrypted (ssh-keygen took the passphrase) and masked
        assertThat(listener.text()).contains("Show the key copy").doesNotContain("PRIVATE KEY-----\n" + "b3Bl")
                .doesNotContain(PASSPHRASE);
        for (String line : keyLines) {
            if (line.length() > 8 && !line.startsWith("-----")) {
                assertThat(listener.text()).doesNotContain(line);
            }
        }
        assertThat(dir).doesNotExist();
        assertThat(leftovers(ws)).isEmpty();
        assertThat(filesContaining(ws.resolve("vault-runs"), PASSPHRASE)).isEmpty();
    }

    @Test
    void aWrongPassphraseFailsNamingNoSecret() throws Exception {
        Path ws = Files.createDirectories(root.resolve("ws"));
        String key = protectedKey();
        assertThatThrownBy(() -> io.vaultcube.jenkins.agent.PrivateKeys.withoutPassphrase(key, "not it", ws,
                new ProcessRunner()))
                .hasMessageContaining("could not be opened with the credential's passphrase")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not it"));
        try (Stream<Path> left = Files.list(ws)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aMissingCredentialIsAnErrorThatNamesTheId() {
        assertThatThrownBy(() -> StepSecrets.requireKey("vault-build-ssh", null)).isInstanceOf(AbortException.class)
                .hasMessageContaining("credentialsId 'vault-build-ssh'");
    }

    @Test
    void aStepKeepsNamesOfSecretsOnly() {
        VaultAnsibleProvisionStep step = new VaultAnsibleProvisionStep("site.yml", "hosts.ini");
        step.setCredentialsId("vault-build-ssh");
        assertThat(step.secretNames()).isEqualTo(new SecretNames(Map.of(), "vault-build-ssh"));
        assertThatThrownBy(() -> new VaultPackerBuildStep("t.pkr.hcl")
                .setSensitiveVarsFromEnv(Map.of("build_password", "hunter2 is my password")))
                .hasMessageContaining("must name an environment variable");
    }

    /** The template's file builder wrote the value (Packer had it); the log, evidence, result and execution do not. */
    private static void assertPackerHadTheTokenAndNothingElseHasIt(Path ws, TestStepContext context,
            Map<String, Object> result, VaultStepExecution<?> execution) throws Exception {
        assertThat(result).containsEntry("status", "SUCCEEDED");
        assertThat(ws.resolve("out/token.txt")).hasContent(TOKEN);
        assertThat(context.log()).contains("token=").doesNotContain(TOKEN);
        assertThat(filesContaining(ws.resolve("vault-runs"), TOKEN)).isEmpty();
        assertThat(String.valueOf(result)).doesNotContain(TOKEN);
        assertThat(Serialized.bytesOf(execution)).doesNotContain(TOKEN);
    }

    private String protectedKey() throws Exception {
        Path dir = Files.createDirectories(root.resolve("keygen"));
        Path key = dir.resolve("id");
        var r = new ProcessRunner().run(ProcessSpec.builder("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE,
                "-C", "test", "-f", key.toString()).build());
        assertThat(r.exitCode()).isZero();
        String text = Files.readString(key);
        return text;
    }

    /** Files under the workspace's temp directory, which must be empty after a step. */
    private static List<Path> leftovers(Path ws) throws Exception {
        Path tmp = ws.resolveSibling(ws.getFileName() + "@tmp");
        if (!Files.exists(tmp)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    static List<Path> filesContaining(Path dir, String secret) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
