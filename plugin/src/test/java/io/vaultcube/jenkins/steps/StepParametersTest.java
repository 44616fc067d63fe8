package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.util.FormValidation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameters are checked when the step is made (a wrong Jenkinsfile fails naming the parameter) and in the form. */
class StepParametersTest {

    @Test
    void requiredParametersAreRequired() {
        assertThatThrownBy(() -> new VaultPackerBuildStep(" ")).hasMessage("template is required");
        assertThatThrownBy(() -> new VaultAnsibleProvisionStep("site.yml", null)).hasMessage("inventory is required");
        assertThatThrownBy(() -> new VaultGateStep("")).hasMessage("policy is required");
        assertThatThrownBy(() -> new VaultPromoteStep("repo", "img", null)).hasMessage("version is required");
        assertThatThrownBy(() -> new VaultStressTestStep(null)).hasMessage("duration is required");
        assertThatThrownBy(() -> new VaultBenchmarkStep("resnet")).hasMessageContaining("ddp, tensorflow, vllm");
    }

    @Test
    void wrongValuesNameTheParameter() {
        assertThatThrownBy(() -> new VaultStressTestStep("soon")).hasMessageStartingWith("duration");
        assertThatThrownBy(() -> new VaultPackerBuildStep("t").setOnError("retry")).hasMessageContaining("onError");
        assertThatThrownBy(() -> new VaultPackerBuildStep("t").setTimeout("0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> new VaultAnsibleProvisionStep("p", "i").setIdempotencyRuns(11))
                .hasMessage("idempotencyRuns must be 1 to 10, found 11");
        assertThatThrownBy(() -> new VaultGateStep("p").setStage("Gate 1")).hasMessageContaining("stage is a-z");
        assertThatThrownBy(() -> new VaultPackerBuildStep("t").setVars(Map.of("a b", "c")))
                .hasMessageContaining("not a variable name");
        assertThatThrownBy(() -> new VaultGpuValidateStep().setExpectCount(0)).hasMessageContaining("expectCount");
        assertThatThrownBy(() -> new VaultPackerBuildStep("t").setSensitiveVarsFromFile(Map.of("pw", " ")))
                .hasMessage("sensitiveVarsFromFile: the value for pw must be the path of the file that holds it");
        assertThatThrownBy(() -> new VaultAnsibleProvisionStep("p", "i")
                .setSensitiveExtraVarsFromFile(Map.of("a token", "/run/token")))
                .hasMessageContaining("not a variable name");
    }

    /** One variable from the environment and from a file: refused whichever is set first. */
    @Test
    void aSensitiveVariableComesFromTheEnvironmentOrAFileNotBoth() {
        VaultPackerBuildStep packer = new VaultPackerBuildStep("t");
        packer.setSensitiveVarsFromEnv(Map.of("pw", "PW"));
        assertThatThrownBy(() -> packer.setSensitiveVarsFromFile(Map.of("pw", "/run/pw")))
                .hasMessage("variable pw is given in both sensitiveVarsFromEnv and sensitiveVarsFromFile;"
                        + " give it in one");
        packer.setSensitiveVarsFromFile(Map.of("other", "/run/other"));
        assertThatThrownBy(() -> packer.setSensitiveVarsFromEnv(Map.of("other", "OTHER")))
                .hasMessageContaining("variable other is given in both");
        VaultAnsibleProvisionStep ansible = new VaultAnsibleProvisionStep("p", "i");
        ansible.setSensitiveExtraVarsFromFile(Map.of("api_token", "token.txt"));
        assertThatThrownBy(() -> ansible.setSensitiveExtraVarsFromEnv(Map.of("api_token", "API_TOKEN")))
                .hasMessage("variable api_token is given in both sensitiveExtraVarsFromEnv and"
                        + " sensitiveExtraVarsFromFile; give it in one");
    }

    @Test
    void defaultsAreTheClis() {
        assertThat(new VaultAnsibleProvisionStep("p", "i").getIdempotencyRuns()).isEqualTo(1);
        assertThat(new VaultGateStep("p").isStopOnFailure()).isTrue();
        assertThat(new VaultBenchmarkStep("vllm").isTelemetry()).isTrue();
        assertThat(new VaultBenchmarkStep("vllm").stageName()).isEqualTo("bench-vllm");
        assertThat(new VaultPackerBuildStep("t").stageName()).isEqualTo("packer");
        assertThat(new VaultAnsibleProvisionStep("p", "i").stageName()).isEqualTo("ansible");
        assertThat(new VaultGpuValidateStep().stageName()).isEqualTo("gpu");
        assertThat(new VaultStressTestStep("1h").stageName()).isEqualTo("stress");
        assertThat(new VaultPromoteStep("r", "i", "1").stageName()).isEqualTo("promote");
    }

    @Test
    void theEvidenceDirectoryIsThisBuildsUnlessGiven() throws Exception {
        VaultGateStep gate = new VaultGateStep("p");
        assertThat(gate.evidenceDirectory(new hudson.EnvVars(Map.of("BUILD_NUMBER", "12")))).isEqualTo("vault-runs/build-12");
        assertThatThrownBy(() -> gate.evidenceDirectory(new hudson.EnvVars())).hasMessageContaining("BUILD_NUMBER");
        gate.setEvidence("runs/x");
        assertThat(gate.evidenceDirectory(new hudson.EnvVars())).isEqualTo("runs/x");
    }

    @Test
    void aRunnerStepWithoutCommandOrRecordingIsRefused() {
        assertThatThrownBy(() -> new VaultStressTestStep("1h").request("e", null)).hasMessageContaining("command");
        assertThatThrownBy(() -> new VaultBenchmarkStep("ddp").request("e", null)).hasMessageContaining("command");
        assertThatThrownBy(() -> new VaultPromoteStep("r", "i", "1").request("e")).hasMessageContaining("files");
    }

    @Test
    void theFormChecksSayTheSame() {
        assertThat(new VaultStressTestStep.DescriptorImpl().doCheckDuration("").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new VaultStressTestStep.DescriptorImpl().doCheckDuration("24h").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(new VaultPackerBuildStep.DescriptorImpl().doCheckOnError("retry").getMessage()).contains("onError");
        assertThat(new VaultPackerBuildStep.DescriptorImpl().doCheckSensitiveVarsFromEnv("pw=hunter2 x").kind)
                .isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new VaultPackerBuildStep.DescriptorImpl().doCheckSensitiveVarsFromFile("pw=").kind)
                .isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new VaultAnsibleProvisionStep.DescriptorImpl()
                .doCheckSensitiveExtraVarsFromFile("api_token=/run/token").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(new VaultAnsibleProvisionStep.DescriptorImpl().doCheckIdempotencyRuns("three").getMessage())
                .contains("whole number");
        assertThat(new VaultGateStep.DescriptorImpl().doCheckStage("gate-2").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(new VaultGpuValidateStep.DescriptorImpl().doCheckExpectCount("65").kind)
                .isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void theFormBindsListsAndMapsOnePerLine() {
        VaultPackerBuildStep step = FormBinding.bind(VaultPackerBuildStep.class, Map.of("template", "t.pkr.hcl",
                "vars", "a=1\nb=x=y\n", "only", "qemu.a\n\nqemu.b", "force", true, "timeout", "", "stage", "packer-2"));
        assertThat(step.getVars()).containsExactly(Map.entry("a", "1"), Map.entry("b", "x=y"));
        assertThat(step.getOnly()).containsExactly("qemu.a", "qemu.b");
        assertThat(step.isForce()).isTrue();
        assertThat(step.getTimeout()).isNull();
        assertThat(step.getStage()).isEqualTo("packer-2");
        VaultAnsibleProvisionStep a = FormBinding.bind(VaultAnsibleProvisionStep.class,
                Map.of("playbook", "p", "inventory", "i", "idempotencyRuns", "3"));
        assertThat(a.getIdempotencyRuns()).isEqualTo(3);
        assertThat(new VaultPackerBuildStep.DescriptorImpl().lines(List.of("a", "b"))).isEqualTo("a\nb\n");
    }
}
