package io.vaultcube.pipeline.run.bench;

import static io.vaultcube.pipeline.run.GpuRunTestSupport.await;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.batsFixtures;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.fakeSampler;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.lines;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.repositoryRoot;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.TelemetrySampler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark runner with real processes. Telemetry comes from the SYNTHETIC stand-in sampler
 * (run/stress/fake-sampler.sh) or from the real scripts/sample-telemetry.sh driving the
 * RECORDED-OUTPUT nvidia-smi stand-in of tests/bats/fixtures/bin. The DDP run with the real
 * test-pytorch-ddp.py on CPU is in the CLI's BenchCommandTest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class BenchRunnerTest {
    static final Path SAMPLER = repositoryRoot().resolve("scripts/sample-telemetry.sh");

    @TempDir
    Path tmp;

    StageEvidence stage(String name) throws Exception {
        return EvidenceDir.create(tmp.resolve("evidence")).stage(name);
    }

    static Path fixture(String path) throws Exception {
        return Path.of(BenchRunnerTest.class.getResource("/parse/" + path).toURI());
    }

    @Test
    void vllmsOwnOutputIsReadAndTheRealSamplerRecordsTelemetryUnderAStageName() throws Exception {
        // The "benchmark" prints a real vLLM throughput line (parse/vllm/reference-offline-throughput.log).
        StageEvidence stage = stage("bench-vllm-8b");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new BenchRunner().run(BenchSettings.builder(BenchKind.VLLM,
                List.of("/bin/cat", fixture("vllm/reference-offline-throughput.log").toString()))
                .sampler(SAMPLER).stageName("bench-vllm-8b").workingDirectory(tmp)
                .env("PATH", batsFixtures().resolve("bin") + ":" + System.getenv("PATH"))
                .env("FAKE_GPU_SCENARIO", batsFixtures().resolve("rtx5090-4gpu").toString()).build(), console, stage);
        String out = console.toString(StandardCharsets.UTF_8);

        assertThat(result.status()).as(out).isEqualTo(StageStatus.SUCCEEDED);
        MetricSet m = stage.readMetrics();
        assertThat(m.asList()).allSatisfy(x -> assertThat(x.name().toString()).startsWith("bench_vllm_8b.vllm."));
        assertThat(value(m, "bench_vllm_8b.vllm.output_tokens_per_s")).isEqualTo(18116.77);
        assertThat(value(m, "bench_vllm_8b.vllm.requests_per_s")).isEqualTo(70.77);
        assertThat(m.get("bench_vllm_8b.vllm.output_tokens_per_s").orElseThrow().source().toString())
                .isEqualTo("bench-vllm-8b/bench.log:1");
        // The recorded telemetry (one idle and three loaded samples per GPU) through the real sampler.
        assertThat(value(m, "bench_vllm_8b.vllm.telemetry.gpus")).isEqualTo(4L);
        assertThat(value(m, "bench_vllm_8b.vllm.telemetry.utilization_pct.median")).isEqualTo(100L);
        assertThat(stage.file(TelemetrySampler.FILE)).hasSameTextualContentAs(
                batsFixtures().resolve("rtx5090-4gpu/load.csv"));
        assertThat(out).contains("Throughput: 70.77 requests/s",
                "vault: bench vllm: vllm.output_tokens_per_s 1.812e+04 tokens/s");
        assertThat(stage.readRecord().commands()).hasSize(2);

        // Replayed elsewhere: the same raw files give the same metrics, recorded as such.
        StageEvidence replayed = EvidenceDir.create(tmp.resolve("replayed")).stage("bench-vllm-8b");
        RunResult again = new BenchRunner().replay(BenchKind.VLLM, BenchSettings.DEFAULT_INTERVAL, stage.dir(), null,
                replayed);
        assertThat(again.status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(replayed.readMetrics().values()).isEqualTo(m.values());
        assertThat(replayed.readRecord().status()).isEqualTo(StageStatus.RECORDED);
        assertThat(replayed.readRecord().messages()).anySatisfy(msg -> assertThat(msg).contains(
                "copied from " + stage.dir(), "nothing was run on this host"));
    }

    @Test
    void tensorflowMissingFailsWithTheReasonAndKeepsTheTelemetry() throws Exception {
        StageEvidence stage = stage("bench-tensorflow");
        RunResult result = new BenchRunner().run(BenchSettings.builder(BenchKind.TENSORFLOW,
                List.of("/usr/bin/python3", repositoryRoot().resolve("scripts/test-tensorflow.py").toString()))
                .sampler(fakeSampler()).interval(Duration.ofMillis(500)).workingDirectory(tmp)
                .env("PYTHONPATH", tmp.resolve("no-tensorflow-here").toString()).build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).startsWith(
                "the benchmark failed (exit 3: TensorFlow cannot be imported; see bench-tensorflow/bench.log)"));
        // The script's result for a missing TensorFlow measures nothing; the parser refuses it (fail closed).
        assertThat(stage.file(BenchRunner.RESULT_FILE)).content().contains("\"ok\": false");
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).startsWith(
                "the benchmark's result cannot be read: bench-tensorflow/result.json"));
        MetricSet m = stage.readMetrics();
        assertThat(m.contains("tensorflow.ok")).isFalse();
        assertThat(value(m, "tensorflow.telemetry.gpus")).isEqualTo(4L);
    }

    @Test
    void aResultFileTheCommandNamesIsCopiedIn() throws Exception {
        Path script = Files.writeString(tmp.resolve("bench.sh"), "#!/bin/sh\n# test stand-in: writes a recorded"
                + " DDP result where --json-out says, ignoring VAULT_RESULT_JSON\nwhile [ $# -gt 0 ]; do\n"
                + "  if [ \"$1\" = --json-out ]; then cp '" + fixture("ddp/synthetic-cpu-gloo.json") + "' \"$2\"; fi\n"
                + "  shift\ndone\n");
        script.toFile().setExecutable(true);
        StageEvidence stage = stage("bench-ddp");
        RunResult result = new BenchRunner().run(BenchSettings.builder(BenchKind.DDP,
                List.of(script.toString(), "--json-out", "out/ddp.json")).telemetry(false).workingDirectory(tmp)
                .build(), null, mkdirs(stage, tmp.resolve("out")));
        assertThat(result.status()).as(result.messages().toString()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(stage.file(BenchRunner.RESULT_FILE)).hasSameTextualContentAs(tmp.resolve("out/ddp.json"));
        MetricSet m = stage.readMetrics();
        assertThat(value(m, "ddp.world_size")).isEqualTo(2L);
        assertThat(m.contains("ddp.telemetry.gpus")).isFalse();
        assertThat(result.messages()).anySatisfy(x -> assertThat(x).contains("is a copy of " + tmp.resolve("out/ddp.json")))
                .anySatisfy(x -> assertThat(x).contains("telemetry was off"));
    }

    private static StageEvidence mkdirs(StageEvidence stage, Path dir) throws Exception {
        Files.createDirectories(dir);
        return stage;
    }

    @Test
    void aSecretOfTheRunIsMaskedInTheConsoleTheLogAndTheRecordedCommand() throws Exception {
        String token = "hf_s3cr3t-Token";
        Path script = Files.writeString(tmp.resolve("bench.sh"), "#!/bin/sh\n# test stand-in: a benchmark that"
                + " prints the token it was given, as a careless one would\necho \"token: $1 env: $HF_TOKEN\"\n");
        script.toFile().setExecutable(true);
        StageEvidence stage = stage("bench-vllm");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        new BenchRunner().run(BenchSettings.builder(BenchKind.VLLM, List.of(script.toString(), token))
                .telemetry(false).workingDirectory(tmp).env("HF_TOKEN", token).secret(token).build(), console, stage);
        String shown = console.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("token: **** env: ****").doesNotContain(token);
        try (var files = Files.walk(stage.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(token);
            }
        }
        assertThat(Files.readString(stage.file(BenchRunner.LOG))).contains("token: **** env: ****");
    }

    @Test
    void aSecretThatIsAWordOfVllmsOutputIsMaskedButDoesNotChangeWhatIsRead() throws Exception {
        // The secret "Throughput" is the word vLLM's result line starts with: the evidence and the
        // console mask it, the result is read from the unmasked copy (ToolLog), and the metric cites
        // the evidence file's line.
        String secret = "Throughput";
        StageEvidence stage = stage("bench-vllm");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new BenchRunner().run(BenchSettings.builder(BenchKind.VLLM,
                List.of("/bin/cat", fixture("vllm/reference-offline-throughput.log").toString()))
                .telemetry(false).workingDirectory(tmp).secret(secret).build(), console, stage);
        String shown = console.toString(StandardCharsets.UTF_8);

        assertThat(result.status()).as(shown).isEqualTo(StageStatus.SUCCEEDED);
        MetricSet m = stage.readMetrics();
        assertThat(value(m, "vllm.output_tokens_per_s")).isEqualTo(18116.77);
        assertThat(value(m, "vllm.requests_per_s")).isEqualTo(70.77);
        assertThat(m.get("vllm.requests_per_s").orElseThrow().source().toString()).isEqualTo("bench-vllm/bench.log:1");
        assertThat(shown).contains("****: 70.77 requests/s").doesNotContain(secret);
        assertThat(Files.readString(stage.file(BenchRunner.LOG))).startsWith("****: 70.77 requests/s");
        try (var files = Files.walk(stage.dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void noResultIsAFailure() throws Exception {
        StageEvidence stage = stage("bench-ddp");
        RunResult result = new BenchRunner().run(BenchSettings.builder(BenchKind.DDP, List.of("/bin/true"))
                .sampler(fakeSampler()).interval(Duration.ofMillis(500)).workingDirectory(tmp).build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).startsWith(
                "the benchmark left no result: no bench-ddp/result.json ($VAULT_RESULT_JSON)"));
        assertThat(value(stage.readMetrics(), "ddp.telemetry.gpus")).isEqualTo(4L);
    }

    @Test
    void aSamplerThatCannotSampleStopsBeforeTheBenchmarkStarts() throws Exception {
        // The real sampler on a PATH without nvidia-smi exits 3 at once.
        StageEvidence stage = stage("bench-ddp");
        Path marker = tmp.resolve("benchmark-ran");
        RunResult result = new BenchRunner().run(BenchSettings.builder(BenchKind.DDP,
                List.of("/usr/bin/touch", marker.toString())).sampler(SAMPLER).workingDirectory(tmp)
                .env("PATH", "/usr/bin:/bin").build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).singleElement().satisfies(m -> assertThat(m).startsWith(
                "the telemetry sampler ended by itself after").contains(
                "nvidia-smi not found: no NVIDIA driver on this host (exit 3)", "before its first sample",
                "the benchmark was not started").doesNotContain("wrote no sample within"));
        assertThat(marker).doesNotExist();
        assertThat(stage.hasMetrics()).isFalse();
    }

    @Test
    void anAbortStopsTheBenchmarkAndTheSamplerAndWritesNoMetrics() throws Exception {
        StageEvidence stage = stage("bench-ddp");
        AtomicReference<RunResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                result.set(new BenchRunner().run(BenchSettings.builder(BenchKind.DDP, List.of("/bin/sleep", "300"))
                        .sampler(fakeSampler()).interval(Duration.ofMillis(500)).workingDirectory(tmp).build(), null,
                        stage));
                interruptKept.set(Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        await("the sampler samples", () -> lines(stage.file(TelemetrySampler.FILE)) >= 9);
        t.interrupt();
        t.join(600_000); // a guard only: the event is the run returning, however long a busy machine takes
        assertThat(t.isAlive()).as("the run returned after the interrupt").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(result.get().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(interruptKept).isTrue();
        assertThat(stage.hasMetrics()).isFalse();
        assertThat(stage.file(TelemetrySampler.FILE)).exists();
        assertThat(io.vaultcube.pipeline.run.RunTestSupport.processesIn(tmp)).isEmpty();
    }

    @Test
    void settingsThatCannotWorkStartNothing() throws Exception {
        StageEvidence stage = stage("bench-ddp");
        BenchRunner runner = new BenchRunner();
        assertThatThrownBy(() -> runner.run(BenchSettings.builder(BenchKind.DDP, List.of("/bin/true"))
                .sampler(tmp.resolve("none.sh")).build(), null, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no telemetry sampler at");
        assertThatThrownBy(() -> runner.run(BenchSettings.builder(BenchKind.DDP, List.of("no-such-bench-xyz"))
                .telemetry(false).build(), null, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no-such-bench-xyz is not installed");
        assertThatThrownBy(() -> BenchSettings.builder(BenchKind.DDP, List.of("/bin/true")).build())
                .hasMessageContaining("a telemetry sampler is required");
        assertThatThrownBy(() -> BenchKind.of("nccl")).hasMessageContaining("there are ddp, tensorflow and vllm");
    }
}
