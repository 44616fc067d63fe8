package io.vaultcube.jenkins.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.FilePath;
import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.jenkins.agent.PromoteCallable;
import io.vaultcube.jenkins.agent.StagedSecrets;
import io.vaultcube.jenkins.credentials.StepSecrets;
import io.vaultcube.jenkins.steps.VaultPromoteStep;
import io.vaultcube.jenkins.testing.Serialized;
import io.vaultcube.jenkins.testing.TestListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vaultPromote into an {@code s3://} repository (issue 15): endpoint, region and path style are step
 * parameters; the secret comes from a credentials id, is staged privately on the agent for the call,
 * and is in no parameter, field, serialized callable or log. No S3 server here: the store is
 * unreachable (a closed loopback port), so the promotion fails, clearly, after reading the credential.
 */
class S3PromoteTest {
    private static final String KEY_ID = "AKIAVAULTTEST0000001";
    private static final String SECRET = "wJalrXUtnFEMI-vault-test-secret-4242";

    @TempDir
    Path tmp;

    @Test
    void s3SettingsAreParametersAndNeedAnS3Repo() {
        VaultPromoteStep step = new VaultPromoteStep("s3://images/vault", "img", "1.0.0");
        step.setChannel("candidate");
        step.setFiles(List.of("out/img.qcow2"));
        step.setS3CredentialsId("minio-vault");
        step.setS3Endpoint("http://minio.example:9000");
        step.setS3Region("eu-central-1");
        PromoteCallable.PromoteRequest r = step.request("ev");
        assertThat(r.s3()).isEqualTo(new PromoteCallable.S3("http://minio.example:9000", "eu-central-1", null));
        assertThat(r.s3().settings(Map.of()).pathStyle()).as("on with an endpoint").isTrue();
        assertThat(new PromoteCallable.S3(null, null, null).settings(Map.of()).pathStyle()).as("off for AWS").isFalse();

        VaultPromoteStep local = new VaultPromoteStep("repo", "img", "1.0.0");
        local.setChannel("candidate");
        local.setFiles(List.of("x"));
        local.setS3Region("eu-central-1");
        assertThatThrownBy(() -> local.request("ev")).hasMessageContaining("need an s3:// repo");
        assertThatThrownBy(() -> step.setS3Endpoint("http://key:secret@minio:9000"))
                .hasMessageContaining("s3Endpoint").hasMessageContaining("must not carry credentials");
        assertThatThrownBy(() -> StepSecrets.requireS3("minio-vault", null)).isInstanceOf(AbortException.class)
                .hasMessageContaining("s3CredentialsId 'minio-vault'");
    }

    @Test
    void theSecretIsStagedReadRemovedAndNeverSerializedOrLogged() throws Exception {
        Path ws = tmp.resolve("ws");
        GateFixture.judged(ws);
        // a gate that passes over the recorded gpu stage, so that promotion goes as far as the store
        Files.writeString(ws.resolve("pass.yaml"), "schema: vault-policy/1\nname: pass\ngates:\n"
                + "  - id: gpu-count\n    metric: gpu.count\n    eq: 4\n");
        TestListener listener = new TestListener();
        GateCallable.Outcome gate = new FilePath(ws.toFile()).act(new GateCallable("pass.yaml", null,
                GateFixture.EVIDENCE, "gate", listener));
        assertThat(gate.verdict()).isEqualTo("SUCCESS");
        Files.createDirectories(ws.resolve("out"));
        Files.write(ws.resolve("out/img.qcow2"), new byte[4096]);

        VaultPromoteStep step = new VaultPromoteStep("s3://images/vault", "img", "1.0.0");
        step.setChannel("candidate");
        step.setFiles(List.of("out/img.qcow2"));
        step.setS3CredentialsId("minio-vault");
        step.setS3Endpoint("http://127.0.0.1:1");
        PromoteCallable.PromoteRequest request = step.request(GateFixture.EVIDENCE);
        StagedSecrets staged = StepSecrets.stage(new StepSecrets.Found(Map.of(PromoteCallable.S3_ACCESS_KEY, KEY_ID,
                PromoteCallable.S3_SECRET_KEY, SECRET), null, null, null), new FilePath(ws.toFile()));
        PromoteCallable callable = new PromoteCallable(request, staged, listener);
        assertThat(Serialized.bytesOf(callable)).doesNotContain(SECRET).doesNotContain(KEY_ID);
        // the step (which Pipeline records) holds the id only
        for (java.lang.reflect.Field f : VaultPromoteStep.class.getDeclaredFields()) {
            f.setAccessible(true);
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                assertThat(String.valueOf(f.get(step))).as(f.getName()).doesNotContain(SECRET).doesNotContain(KEY_ID);
            }
        }
        assertThat(step.getS3CredentialsId()).isEqualTo("minio-vault");

        String failure;
        try {
            PromoteCallable.Outcome outcome = new FilePath(ws.toFile()).act(callable);
            assertThat(outcome.promoted()).isFalse();
            failure = outcome.outcome() + ": " + outcome.message();
        } catch (java.io.IOException e) {
            failure = "IOException: " + e.getMessage();
        }
        assertThat(failure).doesNotContain(SECRET);
        assertThat(Path.of(staged.directory())).as("the staged credential is removed before the store is reached")
                .doesNotExist();
        assertThat(listener.text()).contains("S3 repository s3://images/vault at http://127.0.0.1:1")
                .contains("credentials: s3CredentialsId").doesNotContain(SECRET).doesNotContain(KEY_ID);
        System.out.println("S3 promotion to a closed port: " + failure);
    }
}
