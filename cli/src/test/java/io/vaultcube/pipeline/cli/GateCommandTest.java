package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.MainTest.vault;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.cli.MainTest.Run;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vault gate} over SYNTHETIC evidence: exit codes 0, 3, 1 and 2, and the report files. */
class GateCommandTest {
    @TempDir
    Path tmp;

    Path policy;

    @BeforeEach
    void policy() throws Exception {
        policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, """
                schema: vault-policy/1
                name: cli-test
                gates:
                  - id: gpu-count
                    metric: gpu.count
                    eq: 4
                  - id: vllm-vs-baseline
                    metric: vllm.output_tokens_per_s
                    min_ratio: 0.9
                    severity: unstable
                    optional: true
                """);
    }

    Path evidence(String name, int gpus, double tokens) throws Exception {
        EvidenceDir ev = EvidenceDir.create(tmp.resolve(name));
        var gpu = ev.stage("gpu");
        gpu.writeMetrics(new MetricSet().add(Metric.number("gpu.count", gpus, null, gpu.source("q.csv", 1L))));
        var vllm = ev.stage("bench-vllm");
        vllm.writeMetrics(new MetricSet().add(Metric.number("vllm.output_tokens_per_s", tokens, "tokens/s",
                vllm.source("vllm.json", null))));
        return ev.root();
    }

    @Test
    void successExitsZeroAndWritesEveryReport() throws Exception {
        Path ev = evidence("ev", 4, 3500);
        Path base = evidence("base", 4, 3600);
        Path reports = tmp.resolve("reports");
        Run run = vault("gate", "--policy", policy.toString(), "--evidence", ev.toString(), "--baseline",
                base.toString(), "--json", reports.resolve("gate.json").toString(), "--junit",
                reports.resolve("junit/gate.xml").toString(), "--html", reports.resolve("gate.html").toString(),
                "--markdown", reports.resolve("gate.md").toString());
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("## Gate SUCCESS: policy cli-test (0 failed, 0 unstable, 0 skipped, 2 passed)")
                .contains("| ok | gpu-count | 4 | eq 4 |");
        JsonNode json = new ObjectMapper().readTree(reports.resolve("gate.json").toFile());
        assertThat(json.get("schema").asText()).isEqualTo("vault-gate-report/1");
        assertThat(json.get("verdict").asText()).isEqualTo("SUCCESS");
        assertThat(json.get("policy").get("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(Files.readString(reports.resolve("junit/gate.xml"))).contains("<testcase", "name=\"gpu-count\"");
        assertThat(Files.readString(reports.resolve("gate.html"))).startsWith("<!DOCTYPE html>").contains("SUCCESS");
        assertThat(Files.readString(reports.resolve("gate.md"))).isEqualTo(run.out());
        try (var files = Files.list(reports)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".gate.json.tmp");
        }
    }

    @Test
    void unstableExitsThree() throws Exception {
        Run run = vault("gate", "--policy", policy.toString(), "--evidence", evidence("ev", 4, 3000).toString(),
                "--baseline", evidence("base", 4, 3600).toString());
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.UNSTABLE);
        assertThat(run.out()).startsWith("## Gate UNSTABLE").contains("| **UNSTABLE** | vllm-vs-baseline");
    }

    @Test
    void failureExitsOne() throws Exception {
        Run run = vault("gate", "--policy", policy.toString(), "--evidence", evidence("ev", 3, 3500).toString());
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).startsWith("## Gate FAILURE").contains("| **FAIL** | gpu-count | 3 | eq 4 |")
                .contains("observed 3, expected 4", "gpu/q.csv:1");
        assertThat(run.err()).contains("no --baseline");
    }

    @Test
    void aMalformedPolicyExitsTwoWithFileAndLineBeforeReadingEvidence() throws Exception {
        Files.writeString(policy, "schema: vault-policy/1\nname: x\ngates:\n  - metric: gpu.count\n    eqq: 4\n");
        Path json = tmp.resolve("gate.json");
        Run run = vault("gate", "--policy", policy.toString(), "--evidence", tmp.resolve("nowhere").toString(),
                "--json", json.toString());
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(policy + ":5:5: unknown gate key or condition 'eqq' (did you mean 'eq'?)");
        assertThat(run.out()).isEmpty();
        assertThat(json).doesNotExist();
        assertThat(vault("gate", "--policy", policy.toString(), "--check").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aReportThatCannotBeWrittenIsNamedAsGiven() throws Exception {
        Path ev = evidence("ev", 4, 3500);
        Path html = policy.resolve("gate.html");
        Run run = vault("gate", "--policy", policy.toString(), "--evidence", ev.toString(), "--html", html.toString());
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).doesNotContain(".tmp")
                .endsWith("\nvault gate: cannot write " + html + ": a file is in the way (" + policy + ")\n");
    }

    @Test
    void aPolicyFileThatCannotBeReadIsNamedWithASpaceBeforeTheMessage() {
        Path missing = tmp.resolve("nonexist.yaml");
        Run run = vault("gate", "--policy", missing.toString(), "--check");
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("vault gate: " + missing + ": no such policy file\n");
        assertThat(vault("gate", "--policy", tmp.toString(), "--check").err())
                .startsWith("vault gate: " + tmp + ": cannot read the policy: ");
    }

    @Test
    void aHugePolicyIsRefusedByItsSizeInOneLine() throws Exception {
        Path huge = tmp.resolve("huge.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(4L << 30); // sparse: reading it whole was an OutOfMemoryError with a stack trace
        }
        Run run = vault("gate", "--policy", huge.toString(), "--check");
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("vault gate: " + huge
                + ": the policy is 4294967296 bytes; a policy is at most 256 KiB\n");
        Run zero = vault("gate", "--policy", "/dev/zero", "--check");
        assertThat(zero.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).isEqualTo(
                "vault gate: /dev/zero: the policy is more than 262144 bytes; a policy is at most 256 KiB\n");
    }

    @Test
    void unreadableEvidenceExitsTwo() throws Exception {
        Run missing = vault("gate", "--policy", policy.toString(), "--evidence", tmp.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("does not exist");

        Path ev = evidence("ev", 4, 3500);
        Files.writeString(ev.resolve("gpu/metrics.json"), "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"gpu.count\"");
        Run garbled = vault("gate", "--policy", policy.toString(), "--evidence", ev.toString());
        assertThat(garbled.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbled.err()).contains("gpu/metrics.json", "not valid JSON");

        Run noEvidence = vault("gate", "--policy", policy.toString());
        assertThat(noEvidence.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noEvidence.err()).contains("--evidence DIR is required");
        assertThat(vault("gate", "--evidence", ev.toString()).code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void checkValidatesThePolicyAlone() throws Exception {
        Run run = vault("gate", "--policy", policy.toString(), "--check");
        assertThat(run.code()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("(cli-test): 2 gates, 1 against a baseline; valid");
        Path demo = Path.of("..", "policies", "demo-box.yaml");
        assertThat(vault("gate", "--policy", demo.toString(), "--check").code()).isEqualTo(ExitCodes.OK);
    }
}
