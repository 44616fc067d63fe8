package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.pipeline.StageOutcome.Result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceException;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.run.GpuRunTestSupport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline runner over recorded stages (the demo's stand-in set), a gate and a promotion; the
 * demo pipeline itself, with real Packer and Ansible, is tests/suites/50-demo-pipeline.sh.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class PipelineRunnerTest {
    static final Path STAND_IN = GpuRunTestSupport.repositoryRoot().resolve("examples/evidence/demo-box-stand-in");

    @TempDir
    Path work;

    String pipeline(String policy, String extraStage) throws Exception {
        Files.writeString(work.resolve("policy.yaml"), policy);
        Files.writeString(work.resolve("image.raw"), "an image\n");
        return """
                schema: vault-pipeline/1
                name: t
                stages:
                """ + extraStage + """
                  - {name: gpu, run: gpu-validate, recorded: %s/gpu}
                  - {name: stress, run: stress, recorded: %s/stress, duration: 24h, interval: 30s}
                  - {name: gate, run: gate, policy: policy.yaml}
                  - {name: promote, run: promote, repo: images, image: demo, version: "1", channel: candidate,
                     files: [image.raw]}
                """.formatted(STAND_IN, STAND_IN);
    }

    static final String GPU_AND_STRESS = """
            schema: vault-policy/1
            name: t
            gates:
              - {metric: gpu.count, eq: 4}
              - {metric: stress.complete, is: true}
              - {metric: telemetry.coverage, min: 0.99}
            """;

    record Run(PipelineResult result, String console) {
    }

    Run run(String yaml, String evidence) throws Exception {
        Path file = Files.writeString(work.resolve("pipeline.yaml"), yaml);
        PipelineFile p = PipelineParser.load(file);
        Preflight.check(p, work);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineResult r = new PipelineRunner(new ProcessRunner(), Clock.systemUTC()).run(p, work,
                Path.of(evidence), out);
        return new Run(r, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void recordedStagesAGateAndAPromotionThatASecondRunLeavesUnchanged() throws Exception {
        Run first = run(pipeline(GPU_AND_STRESS, ""), "ev1");
        assertThat(first.result().failed()).as(first.console()).isFalse();
        assertThat(first.result().verdict()).isEqualTo(Verdict.SUCCESS);
        assertThat(first.result().stages()).extracting(StageOutcome::result)
                .containsExactly(Result.RECORDED, Result.RECORDED, Result.SUCCESS, Result.PROMOTED);
        assertThat(work.resolve("images/demo/1/image.raw")).hasContent("an image");
        assertThat(work.resolve("images/demo/channels/candidate")).exists();
        for (String report : new String[] {"report.json", "junit.xml", "report.html", "summary.md"}) {
            assertThat(work.resolve("ev1/gate").resolve(report)).exists();
        }
        assertThat(EvidenceDir.open(work.resolve("ev1")).stage("gpu").readRecord().status())
                .isEqualTo(StageStatus.RECORDED);
        assertThat(first.console()).contains("== [1/4] gpu (gpu-validate, recorded)",
                "evidence read from " + STAND_IN + "/gpu, not measured now", "verdict: SUCCESS",
                "note: stage(s) gpu, stress read RECORDED evidence", "report (gate): " + work.resolve("ev1/gate/report.html"));

        Run second = run(pipeline(GPU_AND_STRESS, ""), "ev2");
        assertThat(second.result().stages().get(3).result()).isEqualTo(Result.UNCHANGED);
        assertThat(second.result().failed()).isFalse();
    }

    @Test
    void aFailingGateRefusesThePromotionAndFailsThePipeline() throws Exception {
        Run r = run(pipeline(GPU_AND_STRESS.replace("eq: 4", "eq: 8"), ""), "ev");
        assertThat(r.result().verdict()).isEqualTo(Verdict.FAILURE);
        assertThat(r.result().failed()).isTrue();
        assertThat(r.result().stages().get(3)).satisfies(o -> {
            assertThat(o.result()).isEqualTo(Result.REFUSED);
            assertThat(o.failed()).as("the gate's failure is counted once").isFalse();
        });
        assertThat(work.resolve("images/demo/1")).doesNotExist();
        assertThat(r.console()).contains("not promoted: the verdict of stage gate is FAILURE");
    }

    @Test
    void aFailedLiveStageSkipsLaterLiveStagesButTheGateStillJudges() throws Exception {
        Files.writeString(work.resolve("fail.sh"), "#!/bin/sh\necho failing on purpose\nexit 1\n");
        work.resolve("fail.sh").toFile().setExecutable(true);
        String yaml = pipeline(GPU_AND_STRESS, """
                  - {name: bench-ddp, run: bench, benchmark: ddp, command: [./fail.sh], sampler: fail.sh}
                  - {name: bench-vllm, run: bench, benchmark: vllm, command: [./fail.sh]}
                """);
        Run r = run(yaml, "ev");
        assertThat(r.result().stages()).extracting(StageOutcome::name, StageOutcome::result).containsExactly(
                org.assertj.core.groups.Tuple.tuple("bench-ddp", Result.FAILED),
                org.assertj.core.groups.Tuple.tuple("bench-vllm", Result.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("gpu", Result.RECORDED),
                org.assertj.core.groups.Tuple.tuple("stress", Result.RECORDED),
                org.assertj.core.groups.Tuple.tuple("gate", Result.SUCCESS),
                org.assertj.core.groups.Tuple.tuple("promote", Result.PROMOTED));
        assertThat(r.result().failed()).isTrue();
        assertThat(r.console()).contains("== bench-vllm: SKIPPED", "stage bench-ddp failed");
    }

    @Test
    void preflightNamesMissingFilesAndABrokenPolicyWithTheirStagesLine() throws Exception {
        Files.writeString(work.resolve("broken.yaml"), "schema: vault-policy/1\nname: b\ngates:\n  - metric: x\n");
        Path file = Files.writeString(work.resolve("p.yaml"), """
                schema: vault-pipeline/1
                name: t
                stages:
                  - name: packer
                    run: packer-build
                    template: missing.pkr.hcl
                    sensitive_vars_from_env: {build_password: VAULT_TEST_NO_SUCH_VARIABLE}
                  - {name: gpu, run: gpu-validate, recorded: no-such-dir}
                  - {name: gate, run: gate, policy: broken.yaml}
                """);
        PipelineFile p = PipelineParser.load(file);
        assertThatThrownBy(() -> Preflight.check(p, work)).isInstanceOf(PipelineFileException.class)
                .satisfies(e -> assertThat(((PipelineFileException) e).problems())
                        .extracting(io.vaultcube.pipeline.yaml.YamlException.Problem::line).containsExactly(4, 4, 8, 9))
                .hasMessageContaining("the template missing.pkr.hcl does not exist")
                .hasMessageContaining("VAULT_TEST_NO_SUCH_VARIABLE that holds its value is not set")
                .hasMessageContaining("the recorded GPU collection no-such-dir is not a directory")
                .hasMessageContaining("its policy cannot be used")
                .hasMessageContaining("broken.yaml:4");
        assertThat(work.resolve("vault-runs")).doesNotExist();
    }

    @Test
    void anEvidencePathWithGoTemplateMarksNeverReachesALegacyPackerTemplate() throws Exception {
        // Real packer: a legacy JSON template renders a variable's value ({{env `HOME`}} reads the
        // environment, {{"{{"}} is rendered again), so ${evidence} holding '{{' is refused, not escaped.
        Path target = work.resolve("built.txt");
        Files.writeString(work.resolve("t.json"), """
                {"variables": {"out": ""},
                 "builders": [{"type": "file", "content": "{{user `out`}}", "target": "%s"}]}
                """.formatted(target));
        Files.writeString(work.resolve("p.yaml"), """
                schema: vault-pipeline/1
                name: t
                stages:
                  - name: image
                    run: packer-build
                    template: t.json
                    vars: {out: "${evidence}/disk"}
                """);
        Run r = run(Files.readString(work.resolve("p.yaml")), "ev{{ env `HOME` }}");
        assertThat(r.result().stages().get(0).result()).as(r.console()).isEqualTo(StageOutcome.Result.FAILED);
        assertThat(r.console()).contains("contains '{{', which the legacy JSON template");
        assertThat(target).as("packer never ran").doesNotExist();
    }

    @Test
    void aProvisionStageTakesSensitiveExtraVarsFromTheEnvironmentAndPreflightNamesAnUnsetOne() throws Exception {
        Files.writeString(work.resolve("site.yml"), "- hosts: all\n  gather_facts: false\n  tasks: []\n");
        Path file = Files.writeString(work.resolve("p.yaml"), """
                schema: vault-pipeline/1
                name: t
                stages:
                  - name: ansible
                    run: provision
                    playbook: site.yml
                    inventory: localhost,
                    sensitive_extra_vars_from_env: {api_token: VAULT_TEST_NO_SUCH_TOKEN}
                """);
        PipelineFile p = PipelineParser.load(file);
        assertThatThrownBy(() -> Preflight.check(p, work)).isInstanceOf(PipelineFileException.class)
                .hasMessageContaining("sensitive extra variable api_token: the environment variable"
                        + " VAULT_TEST_NO_SUCH_TOKEN that holds its value is not set");
    }

    @Test
    void theDemoBoxPolicyOverRealCapturedOutputsFailsAndExplainsEveryRow() throws Exception {
        Path real = Path.of(PipelineRunnerTest.class.getResource("/pipeline/real-captures").toURI());
        Path policy = GpuRunTestSupport.repositoryRoot().resolve("policies/demo-box.yaml");
        Path file = Files.writeString(work.resolve("real.yaml"), """
                schema: vault-pipeline/1
                name: real-captures
                stages:
                  - {name: gpu, run: gpu-validate, recorded: %1$s/gpu}
                  - {name: bench-vllm, run: bench, benchmark: vllm, recorded: %1$s/bench-vllm}
                  - {name: stress, run: stress, recorded: %1$s/stress, duration: 24h, interval: 5s}
                  - {name: gate, run: gate, policy: %2$s}
                """.formatted(real, policy));
        PipelineFile p = PipelineParser.load(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineResult r = new PipelineRunner().run(p, work, Path.of("ev"), out);
        String console = out.toString(StandardCharsets.UTF_8);

        assertThat(r.verdict()).as(console).isEqualTo(Verdict.FAILURE);
        assertThat(r.stages()).extracting(StageOutcome::result)
                .containsExactly(Result.RECORDED_FAULT, Result.RECORDED, Result.RECORDED_FAULT, Result.FAILURE);
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(work.resolve("ev/gate/report.json").toFile());
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> rows = new java.util.LinkedHashMap<>();
        report.get("gates").forEach(g -> rows.putIfAbsent(g.get("id").asText(), g));
        // What the real outputs show: a fatal Xid in the kernel log, one GPU on the PCI bus, a
        // healthy vLLM run and gpu-burn verdict, a soak that never said it ran to its end.
        assertThat(rows.get("xid-since-boot").get("status").asText()).isEqualTo("FAILED");
        assertThat(rows.get("xid-since-boot").get("observed").asInt()).isEqualTo(1);
        assertThat(rows.get("xid-since-boot").get("source").asText()).startsWith("gpu/kernel.log");
        assertThat(rows.get("gpu-pci-devices").get("message").asText()).contains("1", "4");
        assertThat(rows.get("stress-complete").get("status").asText()).isEqualTo("FAILED");
        assertThat(rows.get("vllm-throughput").get("status").asText()).isEqualTo("PASSED");
        assertThat(rows.get("vllm-failed-requests").get("status").asText()).isEqualTo("PASSED");
        assertThat(rows.get("stress-workload").get("status").asText()).isEqualTo("PASSED");
        // What no real capture shows is missing evidence, never a pass.
        for (String id : new String[] {"gpu-count", "gpu-memory", "ddp-scaling", "stress-coverage", "packer-artifacts",
            "ansible-idempotent"}) {
            assertThat(rows.get(id).get("status").asText()).as(id).isEqualTo("FAILED");
            assertThat(rows.get(id).get("message").asText()).as(id).startsWith("no evidence for");
        }
        rows.values().stream().filter(g -> g.get("status").asText().equals("FAILED"))
                .forEach(g -> assertThat(g.get("message").asText()).as(g.get("id").asText()).isNotBlank());
        assertThat(console).contains("Recorded evidence, not measured in this run: stage gpu");
    }

    @Test
    void stagesReadTheEnvironmentTheRunnerWasGivenNotThisProcesss() throws Exception {
        Files.writeString(work.resolve("site.yml"), "- hosts: all\n  tasks: []\n");
        Files.writeString(work.resolve("hosts"), "localhost ansible_connection=local\n");
        Path file = Files.writeString(work.resolve("env.yaml"), """
                schema: vault-pipeline/1
                name: env
                stages:
                  - {name: provision, run: provision, playbook: site.yml, inventory: hosts,
                     sensitive_extra_vars_from_env: {token: HOME}}
                """);
        // HOME is set in this JVM; the environment the runner is given (a Jenkins build's) lacks it.
        assertThat(System.getenv("HOME")).isNotNull();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PipelineResult r = new PipelineRunner(new ProcessRunner(), Clock.systemUTC(),
                java.util.Map.of("PATH", System.getenv("PATH"))).run(PipelineParser.load(file), work, Path.of("ev"), out);
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(r.failed()).as(console).isTrue();
        assertThat(console).contains("sensitive extra variable token: environment variable HOME is not set");
    }

    @Test
    void anEvidenceDirectoryThatHoldsARunIsNotReused() throws Exception {
        run(pipeline(GPU_AND_STRESS, ""), "ev");
        assertThatThrownBy(() -> run(pipeline(GPU_AND_STRESS, ""), "ev")).isInstanceOf(EvidenceException.class)
                .hasMessageStartingWith("the evidence directory " + work.resolve("ev") + " already holds a run;");
    }
}
