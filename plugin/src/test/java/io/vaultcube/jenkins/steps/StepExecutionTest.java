package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.model.Result;
import io.vaultcube.jenkins.testing.Await;
import io.vaultcube.jenkins.testing.Fixtures;
import io.vaultcube.jenkins.testing.TestStepContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executions driven through a test StepContext, with Debian's real packer on the core's
 * synthetic templates: success, a tool failure, the gate's UNSTABLE and FAILURE, an abort.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class StepExecutionTest {
    @TempDir
    Path ws;

    private TestStepContext context() {
        return new TestStepContext(ws.toFile(), Map.of("BUILD_NUMBER", "7"));
    }

    private Map<String, Object> run(VaultStep step, TestStepContext context) throws Exception {
        return ((VaultStepExecution<?>) step.start(context)).run();
    }

    private Map<String, Object> buildOk() throws Exception {
        Fixtures.copy("packer/ok.pkr.hcl", ws);
        return run(new VaultPackerBuildStep("ok.pkr.hcl"), context());
    }

    @Test
    void aPackerBuildWritesThisBuildsEvidenceAndReturnsItsFigures() throws Exception {
        TestStepContext context = context();
        Fixtures.copy("packer/ok.pkr.hcl", ws);
        Map<String, Object> result = run(new VaultPackerBuildStep("ok.pkr.hcl"), context);

        assertThat(result).containsEntry("status", "SUCCEEDED").containsEntry("stage", "packer")
                .containsEntry("evidence", "vault-runs/build-7/packer");
        assertThat((Map<String, Object>) result.get("metrics")).containsEntry("packer.artifacts", 2L);
        assertThat(ws.resolve("vault-runs/build-7/packer/stage.json")).isRegularFile();
        assertThat(ws.resolve("out/artifact.txt")).hasContent("hello, world\n");
        // Packer's own output reached the build log while it ran
        assertThat(context.log()).contains("hello, from shell-local");
        assertThat(context.result()).isNull();
    }

    @Test
    void aFailedBuildFailsTheStepWithTheCoresMessage() throws Exception {
        Fixtures.copy("packer/fail.pkr.hcl", ws);
        assertThatThrownBy(() -> run(new VaultPackerBuildStep("fail.pkr.hcl"), context()))
                .isInstanceOf(AbortException.class)
                .hasMessageContaining("vaultPackerBuild (packer) FAILED: packer build failed")
                .hasMessageContaining("vault-runs/build-7/packer");
    }

    @Test
    void settingsThatCannotWorkFailBeforeAnythingRunsNamingTheFile() throws Exception {
        assertThatThrownBy(() -> run(new VaultPackerBuildStep("missing.pkr.hcl"), context()))
                .isInstanceOf(AbortException.class).hasMessageContaining("missing.pkr.hcl");
    }

    @Test
    void anUnsetEnvironmentVariableForASensitiveVariableIsNamedAndNothingRuns() throws Exception {
        Fixtures.copy("packer/sensitive.pkr.hcl", ws);
        VaultPackerBuildStep step = new VaultPackerBuildStep("sensitive.pkr.hcl");
        step.setSensitiveVarsFromEnv(Map.of("token", "VAULT_TOKEN"));
        assertThatThrownBy(() -> run(step, context())).isInstanceOf(AbortException.class)
                .hasMessageContaining("environment variable VAULT_TOKEN").hasMessageContaining("withCredentials");
        assertThat(ws.resolve("vault-runs")).doesNotExist();
    }

    @Test
    void anUnstableGateMarksTheBuildUnstableAndReturnsTheVerdict() throws Exception {
        buildOk();
        Files.writeString(ws.resolve("policy.yaml"), policy("unstable"));
        TestStepContext context = context();
        Map<String, Object> result = run(new VaultGateStep("policy.yaml"), context);

        assertThat(result).containsEntry("verdict", "UNSTABLE").containsEntry("evidence", "vault-runs/build-7/gate");
        assertThat(context.result()).isEqualTo(Result.UNSTABLE);
        assertThat(ws.resolve("vault-runs/build-7/gate/report.json")).isRegularFile();
        assertThat(ws.resolve("vault-runs/build-7/gate/junit.xml")).isRegularFile();
        assertThat(context.log()).contains("artifacts-unstable");
    }

    @Test
    void aFailedGateFailsTheBuildAndStopsThePipelineByDefault() throws Exception {
        buildOk();
        Files.writeString(ws.resolve("policy.yaml"), policy("failure"));
        TestStepContext context = context();
        assertThatThrownBy(() -> run(new VaultGateStep("policy.yaml"), context)).isInstanceOf(AbortException.class)
                .hasMessageContaining("verdict FAILURE");
        assertThat(context.result()).isEqualTo(Result.FAILURE);
    }

    @Test
    void aFailedGateWithoutStopOnFailureMarksTheBuildAndGoesOn() throws Exception {
        buildOk();
        Files.writeString(ws.resolve("policy.yaml"), policy("failure"));
        TestStepContext context = context();
        VaultGateStep gate = new VaultGateStep("policy.yaml");
        gate.setStopOnFailure(false);
        assertThat(run(gate, context)).containsEntry("verdict", "FAILURE");
        assertThat(context.result()).isEqualTo(Result.FAILURE);
    }

    @Test
    void aGateOverNoEvidenceFails() throws Exception {
        Files.writeString(ws.resolve("policy.yaml"), policy("unstable"));
        TestStepContext context = context();
        assertThatThrownBy(() -> run(new VaultGateStep("policy.yaml"), context))
                .hasMessageContaining("no evidence directory vault-runs/build-7");
        assertThat(context.result()).isEqualTo(Result.FAILURE);
    }

    @Test
    void anAbortStopsPackerAndEndsTheStepAsAborted() throws Exception {
        Fixtures.copy("packer/long.pkr.hcl", ws);
        TestStepContext context = context();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                run(new VaultPackerBuildStep("long.pkr.hcl"), context);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        thread.start();
        Await.until("the long step started", () -> context.log().contains("long step started"));
        // what SynchronousNonBlockingStepExecution.stop does: cancel the task, which interrupts run()
        thread.interrupt();
        thread.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class).hasMessageContaining("aborted");
        assertThat(Files.readString(ws.resolve("vault-runs/build-7/packer/stage.json"))).contains("ABORTED");
        assertThat(context.log()).doesNotContain("long step finished");
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").contains("packer")))
                .isEmpty();
    }

    private static String policy(String severity) {
        return "schema: vault-policy/1\nname: test\ngates:\n"
                + "  - id: packer-success\n    metric: packer.success\n    is: true\n"
                + "  - id: artifacts-" + severity + "\n    metric: packer.artifacts\n    eq: 99\n"
                + "    severity: " + severity + "\n";
    }
}
