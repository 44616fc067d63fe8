package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.StressCommandTest.assertRow;
import static io.vaultcube.pipeline.cli.StressCommandTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault bench ddp} with the real scripts/test-pytorch-ddp.py on CPU (gloo, 2 processes, a tiny
 * ResNet-18 configuration; Debian's python3-torch) and the SYNTHETIC stand-in sampler of
 * core/src/test/resources/run/stress (made-up telemetry rows at the real interval).
 */
@Timeout(value = 400, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class BenchCommandTest {
    static final Path ROOT = StressCommandTest.ROOT;

    @TempDir
    Path tmp;

    @Test
    void ddpOnCpuWritesTheBenchmarkAndTheTelemetryDuringIt() throws Exception {
        Path evidence = tmp.resolve("evidence");
        MainTest.Run run = MainTest.vault("bench", "ddp", "--interval", "1s", "--evidence", evidence.toString(),
                "--sampler", StressCommandTest.STANDINS.resolve("fake-sampler.sh").toString(), "--",
                "/usr/bin/python3", ROOT.resolve("scripts/test-pytorch-ddp.py").toString(), "--device", "cpu",
                "--nproc", "2", "--model", "resnet18", "--per-device-batch", "2", "--image-size", "32",
                "--warmup-steps", "1", "--timed-steps", "2", "--repeats", "3", "--num-classes", "10",
                "--phase-timeout-s", "300");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("ddp: scaling efficiency", "vault: bench ddp: ddp.world_size 2",
                "vault bench ddp: SUCCEEDED", "evidence: " + evidence.resolve("bench-ddp"));

        // The script wrote its result where VAULT_RESULT_JSON said; the metrics follow it exactly.
        JsonNode doc = new ObjectMapper().readTree(evidence.resolve("bench-ddp/result.json").toFile());
        Map<String, Object> m = EvidenceDir.open(evidence).readAllMetrics().values();
        double single = doc.get("single").get("median_samples_per_s").asDouble();
        double multi = doc.get("multi").get("median_samples_per_s").asDouble();
        assertThat(m).containsEntry("ddp.world_size", 2L)
                .containsEntry("ddp.telemetry.gpus", 4L).containsEntry("ddp.telemetry.utilization_pct.median", 100L);
        assertThat(((Number) m.get("ddp.single_gpu_throughput_samples_per_s")).doubleValue()).isEqualTo(single);
        assertThat(((Number) m.get("ddp.throughput_samples_per_s")).doubleValue()).isEqualTo(multi);
        assertThat(((Number) m.get("ddp.scaling_efficiency")).doubleValue())
                .isCloseTo(multi / (2 * single), org.assertj.core.data.Percentage.withPercentage(1e-4));
        assertThat(m.keySet()).noneMatch(k -> k.startsWith("telemetry."));

        MainTest.Run gate = MainTest.vault("gate", "--policy", ROOT.resolve("policies/demo-box.yaml").toString(),
                "--evidence", evidence.toString(), "--json", tmp.resolve("report.json").toString());
        assertThat(gate.code()).isEqualTo(ExitCodes.FAILURE);
        Map<String, JsonNode> rows = rows(tmp.resolve("report.json"));
        assertRow(rows, "ddp-world-size", "FAILED", "2");
        assertRow(rows, "ddp-utilization", "PASSED", null);
        assertRow(rows, "vllm-throughput", "FAILED", "the evidence has no stage bench-vllm");
    }

    @Test
    void badUsageExitsTwo() {
        MainTest.Run kind = MainTest.vault("bench", "nccl", "--no-telemetry", "--", "/bin/true");
        assertThat(kind.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(kind.err()).contains("there are ddp, tensorflow and vllm");

        MainTest.Run noCommand = MainTest.vault("bench", "ddp");
        assertThat(noCommand.code()).isEqualTo(ExitCodes.USAGE);

        MainTest.Run interval = MainTest.vault("bench", "ddp", "--interval", "1", "--", "/bin/true");
        assertThat(interval.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(interval.err()).contains("needs a unit");
    }
}
