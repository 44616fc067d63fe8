package io.vaultcube.pipeline.run.gpu;

import static io.vaultcube.pipeline.run.GpuRunTestSupport.assertRow;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.await;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.batsFixtures;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.lines;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.repositoryRoot;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.run.GpuRunTestSupport;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.RunTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU validation runner: the real scripts/validate-gpus.sh against the RECORDED-OUTPUT stand-ins
 * for nvidia-smi, lspci, journalctl and dmesg of tests/bats/fixtures/bin (first on the script's PATH;
 * tests/bats/fixtures/SOURCE.md says where every recording comes from), and recorded collections
 * (src/test/resources/run/gpu/SOURCE.md). No GPU, no real nvidia-smi.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class GpuValidateRunnerTest {
    /** A recorded 4-GPU collection (see its SOURCE.md); also the demo pipeline's recorded gpu stage. */
    static final String RECORDED_4GPU = "examples/evidence/demo-box-stand-in/gpu";

    static final String MODEL = "NVIDIA GeForce RTX 5090";
    static final Path SCRIPT = repositoryRoot().resolve("scripts/validate-gpus.sh");
    static final Path DEMO_BOX = repositoryRoot().resolve("policies/demo-box.yaml");

    @TempDir
    Path tmp;

    /** The 4-GPU bats scenario with a -q output the parser reads (run/gpu/nvidia-smi-q-4gpu.txt). */
    Path scenario4gpu() throws IOException {
        Path dir = copyDir(batsFixtures().resolve("rtx5090-4gpu"), tmp.resolve("scenario"));
        Files.copy(RunTestSupport.resource("gpu/nvidia-smi-q-4gpu.txt"), dir.resolve("q.txt"),
                StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    static Path copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    static GpuValidateSettings.Builder live(Path scenario) {
        return GpuValidateSettings.live(SCRIPT)
                .env("PATH", batsFixtures().resolve("bin") + ":" + System.getenv("PATH"))
                .env("FAKE_GPU_SCENARIO", scenario.toString());
    }

    StageEvidence stage() throws IOException {
        return EvidenceDir.create(tmp.resolve("evidence")).stage(GpuValidateRunner.STAGE);
    }

    @Test
    void aLiveCollectionOfFourHealthyGpusGivesTheDocumentedGpuMetrics() throws Exception {
        StageEvidence stage = stage();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new GpuValidateRunner().run(live(scenario4gpu()).expectCount(4).expectModel(MODEL)
                .expectMemoryMib(32000).loadWarmupSeconds(0).loadSeconds(1).loadCommand(List.of("sleep", "2")).build(),
                console, stage);
        String out = console.toString(StandardCharsets.UTF_8);

        assertThat(result.status()).as(out).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(out).contains("RESULT: PASSED", "vault: GPU validation: evidence complete, no fault found (4 GPU(s))");
        MetricSet m = stage.readMetrics();
        assertThat(value(m, "gpu.count")).isEqualTo(4L);
        assertThat(value(m, "gpu.pci_devices")).isEqualTo(4L);
        assertThat(value(m, "gpu[2].name")).isEqualTo(MODEL);
        assertThat(value(m, "gpu[3].uuid")).isEqualTo("GPU-00000000-0000-0000-0000-000000000004");
        assertThat(value(m, "gpu.memory_total_mib.min")).isEqualTo(32607L);
        assertThat(value(m, "gpu.pcie_gen_max.min")).isEqualTo(5L);
        assertThat(value(m, "gpu.pcie_gen_current.min")).as("idle: Gen1").isEqualTo(1L);
        assertThat(value(m, "gpu.temperature_c.max")).isEqualTo(25L);
        assertThat(value(m, "gpu.throttled.count")).isEqualTo(0L);
        assertThat(value(m, "gpu[0].tlimit_c")).as("from the extra query").isEqualTo(65L);
        assertThat(value(m, "gpu[1].bar1_total_mib")).as("from -q").isEqualTo(32768L);
        assertThat(value(m, "gpu[1].tlimit_slowdown_c")).isEqualTo(-2L);
        assertThat(value(m, "xid.count")).isEqualTo(0L);
        assertThat(value(m, "xid.fatal.count")).isEqualTo(0L);
        assertThat(value(m, "xid.codes")).isEqualTo("");
        assertThat(value(m, "gpu.fell_off_bus.count")).isEqualTo(0L);
        assertThat(value(m, "gpu.load.pcie_gen_loaded.min")).as("PCIe under the load").isEqualTo(5L);
        assertThat(value(m, "gpu.load.pcie_width_loaded.min")).isEqualTo(16L);
        assertThat(value(m, "host.driver_version")).isEqualTo("570.124.06");
        assertThat(m.asList()).noneSatisfy(x -> assertThat(x.name().toString()).startsWith("telemetry."))
                .noneSatisfy(x -> assertThat(x.name().toString()).startsWith("stress_gpus."));
        assertThat(m.get("gpu.count").orElseThrow().source().toString()).isEqualTo("gpu/nvidia-smi-query.csv");
        assertThat(m.get("gpu.pci_devices").orElseThrow().source().toString()).isEqualTo("gpu/lspci.txt");
        assertThat(stage.file(GpuValidateRunner.LOG)).content().contains("RESULT: PASSED");
        assertThat(stage.readRecord().commands()).singleElement().satisfies(c -> assertThat(c.commandLine())
                .contains("validate-gpus.sh --evidence " + stage.dir() + " --expect-count 4 --expect-model"));

        Map<String, GateResult> rows = GpuRunTestSupport.gate(DEMO_BOX, stage.evidence().root());
        for (String id : List.of("gpu-count", "gpu-pci-devices", "gpu-model", "gpu-memory", "gpu-pcie-gen-max",
                "gpu-idle-temperature", "gpu-idle-throttle", "xid-since-boot", "fell-off-bus-since-boot")) {
            assertRow(rows, id, GateStatus.PASSED, null);
        }
        assertRow(rows, "stress-complete", GateStatus.FAILED, "no evidence");
    }

    @Test
    void noNvidiaDriverIsAClearFailureNotAnEmptyPass() throws Exception {
        StageEvidence stage = stage();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new GpuValidateRunner().run(live(batsFixtures().resolve("no-driver")).expectCount(4)
                .build(), console, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages().get(0)).startsWith("no NVIDIA driver on this host: nvidia-smi cannot use the"
                + " NVIDIA driver (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver");
        MetricSet m = stage.readMetrics();
        assertThat(m.contains("gpu.count")).as("not measured").isFalse();
        assertThat(value(m, "gpu.pci_devices")).isEqualTo(1L);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("RESULT: NO NVIDIA DRIVER",
                "vault: FAULT: no NVIDIA driver on this host");
        Map<String, GateResult> rows = GpuRunTestSupport.gate(DEMO_BOX, stage.evidence().root());
        assertRow(rows, "gpu-count", GateStatus.FAILED, "no evidence");
        assertRow(rows, "gpu-pci-devices", GateStatus.FAILED, "1");
    }

    @Test
    void noNvidiaSmiAtAllIsTheSameClearFailure() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin-no-nvidia-smi"));
        for (String tool : List.of("lspci", "journalctl", "dmesg")) {
            Files.createSymbolicLink(bin.resolve(tool), batsFixtures().resolve("bin/" + tool));
        }
        assertThat(Stream.of("/usr/local/bin", "/usr/bin", "/bin").map(d -> Path.of(d, "nvidia-smi")))
                .as("this machine has a real nvidia-smi: the case cannot be staged").noneMatch(Files::exists);
        StageEvidence stage = stage();
        RunResult result = new GpuValidateRunner().run(GpuValidateSettings.live(SCRIPT)
                .env("PATH", bin + ":/usr/local/bin:/usr/bin:/bin")
                .env("FAKE_GPU_SCENARIO", batsFixtures().resolve("rtx5090-4gpu").toString()).build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages().get(0)).isEqualTo("no NVIDIA driver on this host: nvidia-smi not found: the"
                + " NVIDIA driver is not installed on this host. There is no GPU evidence to judge (see gpu/summary.txt)");
    }

    @Test
    void anUnreadableFileAFatalXidAndAWrongCountAreFaultsWithTheirEvidence() throws Exception {
        // The bats scenario's own q.txt is excerpts without nvidia-smi's frame: the -q parser refuses it.
        StageEvidence stage = stage();
        RunResult result = new GpuValidateRunner().run(live(batsFixtures().resolve("rtx5090-4gpu")).expectCount(8)
                .noLoad(true).env("FAKE_KERNEL_LOG", batsFixtures().resolve("kernel-logs/xid79.log").toString())
                .build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(msg -> assertThat(msg).startsWith("validate-gpus.sh found")
                        .contains("fatal Xid 79"))
                .anySatisfy(msg -> assertThat(msg).startsWith("cannot read gpu/nvidia-smi-q.txt:1:"))
                .anySatisfy(msg -> assertThat(msg).contains("fatal Xid(s) (codes 79; see gpu/kernel.log)"))
                .anySatisfy(msg -> assertThat(msg).contains("fallen off the bus"))
                .anySatisfy(msg -> assertThat(msg).isEqualTo(
                        "nvidia-smi sees 4 GPU(s), expected 8 (gpu/nvidia-smi-query.csv)"));
        MetricSet m = stage.readMetrics();
        assertThat(value(m, "gpu.count")).as("what could be read is written").isEqualTo(4L);
        assertThat(value(m, "xid.fatal.count")).isEqualTo(2L);
        assertThat(m.contains("gpu[0].bar1_total_mib")).isFalse();
    }

    @Test
    void aRecordedCollectionIsReadAndRecordedAsSuch() throws Exception {
        Path recorded = GpuRunTestSupport.repositoryRoot().resolve(RECORDED_4GPU);
        StageEvidence stage = stage();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = new GpuValidateRunner().run(GpuValidateSettings.recorded(recorded).expectCount(4)
                .expectModel(MODEL).expectMemoryMib(32000).build(), console, stage);
        assertThat(result.status()).as(result.messages().toString()).isEqualTo(StageStatus.SUCCEEDED);
        StageRecord record = stage.readRecord();
        assertThat(record.status()).isEqualTo(StageStatus.RECORDED);
        assertThat(record.recordedFrom()).isEqualTo(recorded.toString());
        assertThat(record.commands()).isEmpty();
        assertThat(record.messages()).anySatisfy(msg -> assertThat(msg).contains("nothing was run on this host"));
        assertThat(stage.file("nvidia-smi-query.csv")).hasSameTextualContentAs(recorded.resolve("nvidia-smi-query.csv"));
        MetricSet m = stage.readMetrics();
        assertThat(value(m, "gpu.count")).isEqualTo(4L);
        assertThat(value(m, "gpu.pci_devices")).isEqualTo(4L);
        assertThat(value(m, "gpu.load.pcie_gen_loaded.min")).isEqualTo(5L);
        assertThat(value(m, "host.os")).isNotNull();

        StageEvidence again = EvidenceDir.create(tmp.resolve("evidence-2")).stage("gpu");
        RunResult eight = new GpuValidateRunner().run(GpuValidateSettings.recorded(recorded).expectCount(8).build(),
                null, again);
        assertThat(eight.status()).isEqualTo(StageStatus.FAILED);
        assertThat(eight.messages()).contains("nvidia-smi sees 4 GPU(s), expected 8 (gpu/nvidia-smi-query.csv)",
                "lspci shows 4 NVIDIA GPU(s), expected 8 (gpu/lspci.txt)");
        assertThat(again.readRecord().status()).isEqualTo(StageStatus.RECORDED);
    }

    @Test
    void aRecordedCollectionWithMissingOrGarbledFilesFailsNamingThem() throws Exception {
        Path dir = copyDir(GpuRunTestSupport.repositoryRoot().resolve(RECORDED_4GPU), tmp.resolve("recorded"));
        Files.delete(dir.resolve("kernel.log"));
        Files.delete(dir.resolve("summary.txt"));
        Files.writeString(dir.resolve("lspci.txt"), "01:00.0 VGA compatible controller [0300]: NVIDIA Corporation"
                + " Device [10de:2b85] (rev a1)\nthis is not lspci\n");
        StageEvidence stage = stage();
        RunResult result = new GpuValidateRunner().run(GpuValidateSettings.recorded(dir).build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(msg -> assertThat(msg).startsWith("gpu/kernel.log is missing"))
                .anySatisfy(msg -> assertThat(msg).isEqualTo(
                        "cannot read gpu/lspci.txt:2: not an 'lspci -nn -d 10de:' line: this is not lspci"))
                .anySatisfy(msg -> assertThat(msg).contains("the recorded run's own verdict is unknown"));
        assertThat(stage.readMetrics().contains("xid.count")).isFalse();
    }

    @Test
    void aRecordedNoDriverCollectionWithoutSummaryIsStillNoDriver() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("recorded-no-driver"));
        Path nd = batsFixtures().resolve("no-driver");
        Files.copy(nd.resolve("nvidia-smi.out"), dir.resolve("nvidia-smi-query.csv"));
        Files.copy(nd.resolve("lspci.txt"), dir.resolve("lspci.txt"));
        Files.copy(nd.resolve("kernel.log"), dir.resolve("kernel.log"));
        Files.writeString(dir.resolve("commands.tsv"), "0\tlspci.txt\tlspci -nn -d 10de:\n"
                + "9\tnvidia-smi-query.csv\tnvidia-smi --query-gpu=index,uuid --format=csv,nounits\n");
        StageEvidence stage = stage();
        RunResult result = new GpuValidateRunner().run(GpuValidateSettings.recorded(dir).build(), null, stage);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(msg -> assertThat(msg).startsWith(
                "no NVIDIA driver on this host: nvidia-smi (exit 9): NVIDIA-SMI has failed"));
    }

    @Test
    void anAbortStopsTheScriptAndItsLoadAndWritesNoMetrics() throws Exception {
        StageEvidence stage = stage();
        AtomicReference<RunResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(new GpuValidateRunner().run(live(scenario4gpu()).workingDirectory(tmp).loadWarmupSeconds(60)
                        .loadCommand(List.of("sleep", "300")).graces(java.time.Duration.ofSeconds(10),
                                java.time.Duration.ofSeconds(5)).build(), null, stage));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        await("the load runs", () -> lines(stage.file(GpuValidateRunner.LOG)) >= 1);
        t.interrupt();
        t.join(600_000); // a guard only: the event is the run returning, however long a busy machine takes
        assertThat(t.isAlive()).as("the run returned after the interrupt").isFalse();
        assertThat(failure.get()).isNull();
        assertThat(result.get().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(stage.hasMetrics()).isFalse();
        assertThat(stage.readRecord().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(RunTestSupport.processesIn(tmp)).isEmpty();
    }

    @Test
    void settingsThatCannotWorkStartNothing() throws Exception {
        StageEvidence stage = stage();
        GpuValidateRunner runner = new GpuValidateRunner();
        assertThatThrownBy(() -> runner.run(GpuValidateSettings.live(tmp.resolve("none.sh")).build(), null, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no validation script at");
        assertThatThrownBy(() -> runner.run(GpuValidateSettings.recorded(tmp.resolve("none")).build(), null, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no recorded GPU collection at");
        assertThatThrownBy(() -> GpuValidateSettings.recorded(tmp).noLoad(true).build())
                .hasMessageContaining("apply to a live run");
        Files.writeString(stage.file("kernel.log"), "old");
        assertThatThrownBy(() -> runner.run(GpuValidateSettings.recorded(tmp).build(), null, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("already holds files");
    }
}
