package io.vaultcube.jenkins.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.jenkins.steps.VaultAnsibleProvisionStep;
import io.vaultcube.jenkins.steps.VaultBenchmarkStep;
import io.vaultcube.jenkins.steps.VaultGpuValidateStep;
import io.vaultcube.jenkins.steps.VaultPackerBuildStep;
import io.vaultcube.jenkins.steps.VaultStressTestStep;
import io.vaultcube.pipeline.cli.CliSettings;
import io.vaultcube.pipeline.run.ProcessControl;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A step's parameters become the same core settings as the {@code vault} command line with the
 * same inputs. Two differences are the binding's own and are asserted separately: the tools run in
 * the workspace (the CLI: the current directory), and Packer's and Ansible's private directories go
 * to {@code WORKSPACE@tmp} (the CLI: the system's temp directory).
 */
class SettingsMappingTest {
    private static final Path WS = Path.of("/srv/jenkins/workspace/vault-cube");
    private static final String EVIDENCE = "vault-runs/build-9";

    @Test
    void packerBuild() throws Exception {
        VaultPackerBuildStep step = new VaultPackerBuildStep(WS + "/packer/cube.pkr.hcl");
        step.setVars(Map.of("image_version", "1.4.0", "region", "lab a"));
        step.setVarFiles(List.of(WS + "/packer/common.pkrvars.hcl"));
        step.setSensitiveVarsFromEnv(Map.of("build_password", "BUILD_PASSWORD"));
        step.setOnly(List.of("qemu.cube"));
        step.setOnError("abort");
        step.setForce(true);
        step.setPacker("/opt/packer/bin/packer");
        AgentSecrets secrets = new AgentSecrets(Map.of("build_password", "pw-from-credentials"), null, null);
        Object plugin = RequestSettings.packer(step.request(EVIDENCE, null), WS, secrets);
        Object cli = CliSettings.packerBuild(WS + "/packer/cube.pkr.hcl", "--var", "image_version=1.4.0",
                "--var", "region=lab a", "--var-file", WS + "/packer/common.pkrvars.hcl",
                "--sensitive-var", "build_password=pw-from-credentials", "--only", "qemu.cube", "--on-error", "abort",
                "--force", "--packer", "/opt/packer/bin/packer");
        assertSameExceptBinding(plugin, cli);
    }

    @Test
    void provision() throws Exception {
        VaultAnsibleProvisionStep step = new VaultAnsibleProvisionStep(WS + "/ansible/site.yml", "hosts,");
        step.setLimit("cube1");
        step.setTags("base,nvidia");
        step.setSkipTags("slow");
        step.setUser("builder");
        step.setExtraVars(Map.of("payload", "a b=c"));
        step.setSensitiveExtraVarsFromEnv(Map.of("api_token", "API_TOKEN"));
        step.setExtraVarsFiles(List.of(WS + "/ansible/vars.yml"));
        step.setBecome(true);
        step.setCheck(true);
        step.setDiff(true);
        step.setIdempotencyRuns(3);
        Object plugin = RequestSettings.provision(step.request(EVIDENCE, null), WS, null, null,
                Map.of("api_token", "token-from-credentials"));
        Path tokenFile = Files.writeString(Files.createTempFile("api-token", ".txt"), "token-from-credentials\n");
        Object cli;
        try {
            cli = CliSettings.provision(WS + "/ansible/site.yml", "-i", "hosts,", "--limit", "cube1", "--tags",
                "base,nvidia", "--skip-tags", "slow", "--user", "builder", "-e", "payload=a b=c",
                "--sensitive-extra-var-file", "api_token=" + tokenFile, "--extra-vars-file",
                WS + "/ansible/vars.yml", "--become", "--check", "--diff", "--idempotency-runs", "3");
        } finally {
            Files.delete(tokenFile);
        }
        assertSameExceptBinding(plugin, cli);
    }

    @Test
    void theCredentialsUserIsTheDefaultUser() {
        VaultAnsibleProvisionStep step = new VaultAnsibleProvisionStep("site.yml", "hosts,");
        assertThat(step.request(EVIDENCE, "cube-admin").text("user")).isEqualTo("cube-admin");
        step.setUser("other");
        assertThat(step.request(EVIDENCE, "cube-admin").text("user")).isEqualTo("other");
    }

    @Test
    void gpuValidateLive() throws Exception {
        VaultGpuValidateStep step = new VaultGpuValidateStep();
        step.setScript(WS + "/scripts/validate-gpus.sh");
        step.setExpectCount(4);
        step.setExpectModel("NVIDIA GeForce RTX 5090");
        step.setExpectMemoryMib(32000);
        step.setExpectPcieGen(5);
        step.setExpectPcieWidth(16);
        step.setExpectDriverMin("570.0");
        step.setMaxIdleTemp(60);
        step.setLoadSeconds(30);
        step.setLoadWarmup(5);
        step.setPython("/opt/venv/bin/python3");
        Object plugin = RequestSettings.gpu(step.request(EVIDENCE, null), WS);
        Object cli = CliSettings.gpuValidate("--scripts", WS + "/scripts", "--expect-count", "4", "--expect-model",
                "NVIDIA GeForce RTX 5090", "--expect-memory-mib", "32000", "--expect-pcie-gen", "5",
                "--expect-pcie-width", "16", "--expect-driver-min", "570.0", "--max-idle-temp", "60",
                "--load-seconds", "30", "--load-warmup", "5", "--python", "/opt/venv/bin/python3");
        assertSameExceptBinding(plugin, cli);
    }

    @Test
    void gpuValidateRecorded() throws Exception {
        VaultGpuValidateStep step = new VaultGpuValidateStep();
        step.setRecorded(WS + "/recorded/gpu");
        step.setExpectCount(4);
        Object plugin = RequestSettings.gpu(step.request(EVIDENCE, null), WS);
        Object cli = CliSettings.gpuValidate("--from", WS + "/recorded/gpu", "--expect-count", "4");
        assertSameExceptBinding(plugin, cli);
    }

    @Test
    void bench() throws Exception {
        VaultBenchmarkStep step = new VaultBenchmarkStep("ddp");
        step.setCommand(List.of("python3", "scripts/test-pytorch-ddp.py", "--nproc", "4"));
        step.setInterval("2s");
        step.setSampler(WS + "/scripts/sample-telemetry.sh");
        step.setTimeout("1h");
        Object plugin = RequestSettings.bench(step.request(EVIDENCE, null), WS);
        Object cli = CliSettings.bench("--interval", "2s", "--sampler", WS + "/scripts/sample-telemetry.sh",
                "--timeout", "1h", "ddp", "--", "python3", "scripts/test-pytorch-ddp.py", "--nproc", "4");
        assertSameExceptBinding(plugin, cli);
    }

    @Test
    void stress() throws Exception {
        VaultStressTestStep step = new VaultStressTestStep("24h");
        step.setCommand(List.of("python3", "scripts/stress-gpus.py", "--duration", "25h"));
        step.setInterval("10s");
        step.setSampler(WS + "/scripts/sample-telemetry.sh");
        step.setProgressEvery("5m");
        step.setEndGrace("30s");
        step.setStopGrace("120s");
        step.setStage("stress-24h");
        Object plugin = RequestSettings.stress(step.request(EVIDENCE, null), WS);
        Object cli = CliSettings.stress("--duration", "24h", "--interval", "10s", "--sampler",
                WS + "/scripts/sample-telemetry.sh", "--progress-every", "5m", "--end-grace", "30s", "--stop-grace",
                "120s", "--stage-name", "stress-24h", "--", "python3", "scripts/stress-gpus.py", "--duration", "25h");
        assertSameExceptBinding(plugin, cli);
    }

    /** Every component equal, but where the tool runs and where its private directory goes. */
    private static void assertSameExceptBinding(Object plugin, Object cli) throws Exception {
        assertThat(plugin.getClass()).isEqualTo(cli.getClass());
        Set<String> binding = Set.of("process", "tempRootPath");
        for (RecordComponent c : plugin.getClass().getRecordComponents()) {
            Object p = c.getAccessor().invoke(plugin);
            Object q = c.getAccessor().invoke(cli);
            if (!binding.contains(c.getName())) {
                assertThat(p).as(c.getName()).isEqualTo(q);
            } else if (c.getName().equals("tempRootPath")) {
                assertThat(p).as("tempRootPath").isEqualTo(WS.resolveSibling("vault-cube@tmp").toString());
            } else {
                ProcessControl pp = (ProcessControl) p;
                ProcessControl qq = (ProcessControl) q;
                assertThat(pp.workingDirectory()).isEqualTo(WS);
                assertThat(pp.environment()).isEqualTo(qq.environment());
                assertThat(pp.timeout()).isEqualTo(qq.timeout());
                assertThat(pp.interruptGrace()).isEqualTo(qq.interruptGrace());
                assertThat(pp.terminateGrace()).isEqualTo(qq.terminateGrace());
                assertThat(pp.secrets()).isEqualTo(qq.secrets());
            }
        }
    }
}
