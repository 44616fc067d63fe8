package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.jenkins.agent.PromoteCallable;
import io.vaultcube.jenkins.agent.DetachedStressCallables;
import io.vaultcube.jenkins.agent.RunnerCallable;
import io.vaultcube.jenkins.agent.SupervisorJars;
import io.vaultcube.jenkins.agent.StagedSecrets;
import io.vaultcube.jenkins.testing.Serialized;
import io.vaultcube.jenkins.testing.TestListener;
import io.vaultcube.jenkins.testing.TestStepContext;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.Test;

/**
 * Every callable survives Java serialization (remoting sends it to the agent) and every execution
 * too (Pipeline writes it to the build directory); none holds a secret in any field.
 */
class SerializationTest {
    private static final String SECRET = "pw-do-not-persist-91";

    @Test
    void everyExecutionSurvivesSerializationWithoutSecrets() throws Exception {
        TestStepContext context = new TestStepContext(new File("."), Map.of("BUILD_NUMBER", "1", "PW", SECRET));
        VaultPackerBuildStep packer = new VaultPackerBuildStep("t.pkr.hcl");
        packer.setSensitiveVarsFromEnv(Map.of("build_password", "PW"));
        VaultAnsibleProvisionStep ansible = new VaultAnsibleProvisionStep("p.yml", "hosts,");
        ansible.setCredentialsId("ssh-key-id");
        ansible.setSensitiveExtraVarsFromFile(Map.of("api_token", "/agent/secretFiles/token"));
        VaultStressTestStep stress = new VaultStressTestStep("24h");
        stress.setCommand(List.of("burn"));
        VaultBenchmarkStep bench = new VaultBenchmarkStep("ddp");
        bench.setCommand(List.of("run"));
        VaultPromoteStep promote = new VaultPromoteStep("r", "i", "1");
        VaultInventoryStep inventory = new VaultInventoryStep();
        inventory.setInventory("hosts,");
        inventory.setCredentialsId("ssh-key-id");
        for (VaultStep step : List.of(packer, ansible, new VaultGpuValidateStep(), bench, stress, inventory,
                new VaultGateStep("policy.yaml"), promote)) {
            StepExecution execution = step.start(context);
            assertThat(Serialized.roundTrip(execution)).as(step.functionName()).isInstanceOf(execution.getClass());
            assertThat(Serialized.bytesOf(execution)).as(step.functionName()).doesNotContain(SECRET);
        }
    }

    private static VaultStressTestStep stress() {
        VaultStressTestStep stress = new VaultStressTestStep("24h");
        stress.setCommand(List.of("burn"));
        return stress;
    }

    @Test
    void everyCallableSurvivesSerializationWithoutSecrets() throws Exception {
        TestListener listener = new TestListener();
        VaultPackerBuildStep packer = new VaultPackerBuildStep("t.pkr.hcl");
        packer.setSensitiveVarsFromEnv(Map.of("build_password", "PW"));
        StagedSecrets staged = new StagedSecrets("/ws@tmp/vault-secrets1", Map.of("build_password",
                "/ws@tmp/vault-secrets1/value-0"), null, null);
        VaultPromoteStep promote = new VaultPromoteStep("r", "i", "1");
        promote.setFiles(List.of("out/a.qcow2"));
        promote.setChannel("candidate");
        for (Object callable : List.of(new RunnerCallable(packer.request("e", null), staged, listener),
                new GateCallable("p.yaml", null, "e", "gate", listener),
                new PromoteCallable(promote.request("e"), listener),
                new DetachedStressCallables.Start(stress().request("e", null), SupervisorJars.ofThisJvm()),
                new DetachedStressCallables.Follow("/ws/e/stress", listener, false))) {
            assertThat(Serialized.roundTrip(callable)).isInstanceOf(callable.getClass());
            assertThat(Serialized.bytesOf(callable)).doesNotContain(SECRET);
        }
    }
}
