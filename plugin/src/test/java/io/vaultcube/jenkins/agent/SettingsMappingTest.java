package io.vaultcube.jenkins.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.jenkins.steps.VaultAnsibleProvisionStep;
import io.vaultcube.jenkins.steps.VaultBenchmarkStep;
import io.vaultcube.jenkins.steps.VaultGpuValidateStep;
import io.vaultcube.jenkins.steps.VaultInventoryStep;
import io.vaultcube.jenkins.steps.VaultPackerBuildStep;
import io.vaultcube.jenkins.steps.VaultStressTestStep;
import io.vaultcube.pipeline.cli.CliSettings;
import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import io.vaultcube.pipeline.run.inventory.InventorySettings;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /**
     * A secret named by file ({@code withCredentials([file(...)])}): the request holds the path, the
     * agent reads the file and the value is a sensitive variable, as the CLI's --sensitive-var-file.
     */
    @Test
    void packerBuildReadsASecretFileOnTheAgentAsTheCliDoes(@TempDir Path tmp) throws Exception {
        Path pwFile = Files.writeString(tmp.resolve("pw"), "pw-from-a-secret-file\n");
        VaultPackerBuildStep step = new VaultPackerBuildStep(WS + "/packer/cube.pkr.hcl");
        step.setSensitiveVarsFromEnv(Map.of("build_password", "BUILD_PASSWORD"));
        step.setSensitiveVarsFromFile(Map.of("api_token", pwFile.toString()));
        StageRequest request = step.request(EVIDENCE, null);
        assertThat(request.map("sensitiveVarsFromFile")).isEqualTo(Map.of("api_token", pwFile.toString()));
        assertThat(request.toString()).doesNotContain("pw-from-a-secret-file");

        PackerSettings plugin = RequestSettings.packer(request, WS,
                new AgentSecrets(Map.of("build_password", "pw-from-credentials"), null, null));

        assertThat(plugin.sensitiveVars()).containsEntry("api_token", "pw-from-a-secret-file")
                .containsEntry("build_password", "pw-from-credentials");
        assertThat(plugin.vars()).isEmpty();
        assertSameExceptBinding(plugin, CliSettings.packerBuild(WS + "/packer/cube.pkr.hcl", "--sensitive-var",
                "build_password=pw-from-credentials", "--sensitive-var-file", "api_token=" + pwFile));
    }

    @Test
    void provisionReadsASecretFileRelativeToTheWorkspace(@TempDir Path ws) throws Exception {
        Path tokenFile = Files.writeString(Files.createDirectories(ws.resolve("secrets")).resolve("token"),
                "token-from-a-secret-file");
        VaultAnsibleProvisionStep step = new VaultAnsibleProvisionStep("site.yml", "hosts,");
        step.setSensitiveExtraVarsFromFile(Map.of("api_token", "secrets/token"));

        AnsibleSettings plugin = RequestSettings.provision(step.request(EVIDENCE, null), ws, null, null, Map.of());

        // a sensitive extra variable: in the private variables file with the others, and masked
        assertThat(plugin.extraVars()).isEqualTo(Map.of("api_token", "token-from-a-secret-file"));
        assertThat(plugin.process().secrets()).containsExactly("token-from-a-secret-file");
        AnsibleSettings cli = (AnsibleSettings) CliSettings.provision(ws + "/site.yml", "-i", "hosts,",
                "--sensitive-extra-var-file", "api_token=" + tokenFile);
        assertThat(plugin.extraVars()).isEqualTo(cli.extraVars());
        assertThat(plugin.process().secrets()).isEqualTo(cli.process().secrets());
    }

    /** SecretFile's refusals, with what the value is for: the variable and the file, never content. */
    @Test
    void aMissingOrEmptySecretFileIsRefusedNamingTheVariableAndTheFile(@TempDir Path ws) throws Exception {
        VaultPackerBuildStep packer = new VaultPackerBuildStep("t.pkr.hcl");
        packer.setSensitiveVarsFromFile(Map.of("build_password", "missing/pw"));
        assertThatThrownBy(() -> RequestSettings.packer(packer.request(EVIDENCE, null), ws, AgentSecrets.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sensitive variable build_password: no readable file at " + ws.resolve("missing/pw"));
        Files.writeString(ws.resolve("empty"), "\n");
        VaultAnsibleProvisionStep ansible = new VaultAnsibleProvisionStep("site.yml", "hosts,");
        ansible.setSensitiveExtraVarsFromFile(Map.of("api_token", "empty"));
        assertThatThrownBy(() -> RequestSettings.provision(ansible.request(EVIDENCE, null), ws, null, null, Map.of()))
                .hasMessage("sensitive extra variable api_token: " + ws.resolve("empty") + " is empty");
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

    @Test
    void inventoryOfAnImageRoot() throws Exception {
        VaultInventoryStep step = new VaultInventoryStep();
        step.setRoot(WS + "/mnt/image");
        step.setPythonEnvs(List.of("pytorch=/opt/vault/venvs/pytorch/lib/python3.12/site-packages"));
        step.setTimeout("10m");
        Object plugin = RequestSettings.inventory(step.request(EVIDENCE, null), WS, null, null);
        Object cli = CliSettings.inventory("--root", WS + "/mnt/image", "--python-env",
                "pytorch=/opt/vault/venvs/pytorch/lib/python3.12/site-packages", "--timeout", "10m", "--scripts",
                WS + "/scripts");
        assertSameExceptBinding(plugin, cli);
    }

    @Test
    void inventoryOverAnsibleTakesProvisionsConnection() throws Exception {
        VaultInventoryStep step = new VaultInventoryStep();
        step.setInventory("hosts,");
        step.setLimit("cube1");
        step.setUser("builder");
        step.setBecome(true);
        step.setExtraVars(Map.of("ansible_port", "2222"));
        step.setAnsiblePlaybook("/opt/ansible/bin/ansible-playbook");
        InventorySettings plugin = RequestSettings.inventory(step.request(EVIDENCE, null), WS, null, null);
        InventorySettings cli = (InventorySettings) CliSettings.inventory("-i", "hosts,", "--limit", "cube1", "--user",
                "builder", "--become", "-e", "ansible_port=2222", "--ansible-playbook",
                "/opt/ansible/bin/ansible-playbook", "--scripts", WS + "/scripts");
        assertThat(plugin.ansible()).isNotNull();
        assertSameExceptBinding(plugin.ansible(), cli.ansible());
        assertThat(plugin.collectPlaybookPath()).isEqualTo(cli.collectPlaybookPath());
        assertThat(plugin.scriptPath()).isEqualTo(cli.scriptPath());
        assertThat(plugin.rootPath()).isNull();
    }

    @Test
    void inventoryRefusesARootAndAnInventoryTogether() {
        VaultInventoryStep step = new VaultInventoryStep();
        step.setRoot("mnt/image");
        step.setInventory("hosts,");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> step.request(EVIDENCE, null))
                .hasMessageContaining("not both");
        VaultInventoryStep alone = new VaultInventoryStep();
        alone.setLimit("cube1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> alone.request(EVIDENCE, null))
                .hasMessageContaining("they need inventory");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new VaultInventoryStep().setPythonEnvs(
                List.of("bad name=/x"))).hasMessageContaining("NAME=/ABSOLUTE/SITE_DIR");
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
