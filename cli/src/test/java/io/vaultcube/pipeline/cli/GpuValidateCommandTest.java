package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.StressCommandTest.assertRow;
import static io.vaultcube.pipeline.cli.StressCommandTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault gpu-validate}: a recorded collection (examples/evidence/demo-box-stand-in/gpu, the
 * script's output on recorded-output stand-ins, see its SOURCE.md), and the real
 * scripts/validate-gpus.sh in a vault process whose PATH starts with the RECORDED-OUTPUT stand-ins
 * for nvidia-smi, lspci and journalctl (tests/bats/fixtures/bin; no GPU, no real nvidia-smi).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class GpuValidateCommandTest {
    static final Path ROOT = StressCommandTest.ROOT;
    static final Path FIXTURES = ROOT.resolve("tests/bats/fixtures");
    static final Path RECORDED = ROOT.resolve("examples/evidence/demo-box-stand-in/gpu");

    @TempDir
    Path tmp;

    @Test
    void aRecordedCollectionIsReadRecordedAsSuchAndGated() throws Exception {
        Path evidence = tmp.resolve("evidence");
        MainTest.Run run = MainTest.vault("gpu-validate", "--from", RECORDED.toString(), "--expect-count", "4",
                "--expect-model", "NVIDIA GeForce RTX 5090", "--expect-memory-mib", "32000",
                "--evidence", evidence.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("reading the recorded collection " + RECORDED,
                "vault: GPU validation: evidence complete, no fault found (4 GPU(s))",
                "vault gpu-validate: recorded evidence from " + RECORDED, "vault gpu-validate: SUCCEEDED");
        StageRecord record = EvidenceDir.open(evidence).stage("gpu").readRecord();
        assertThat(record.status()).isEqualTo(StageStatus.RECORDED);
        assertThat(record.recordedFrom()).isEqualTo(RECORDED.toString());

        MainTest.Run gate = MainTest.vault("gate", "--policy", ROOT.resolve("policies/demo-box.yaml").toString(),
                "--evidence", evidence.toString(), "--json", tmp.resolve("report.json").toString());
        assertThat(gate.code()).isEqualTo(ExitCodes.FAILURE);
        Map<String, JsonNode> rows = rows(tmp.resolve("report.json"));
        for (String id : new String[] {"gpu-count", "gpu-pci-devices", "gpu-model", "gpu-memory", "gpu-pcie-gen-max",
            "gpu-idle-temperature", "gpu-idle-throttle", "xid-since-boot", "fell-off-bus-since-boot"}) {
            assertRow(rows, id, "PASSED", null);
        }
        assertRow(rows, "stress-complete", "FAILED", "the evidence has no stage stress");
        assertThat(gate.out()).containsIgnoringCase("recorded");

        MainTest.Run wrong = MainTest.vault("gpu-validate", "--from", RECORDED.toString(), "--expect-count", "8",
                "--evidence", tmp.resolve("evidence-2").toString());
        assertThat(wrong.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(wrong.out()).contains("vault: FAULT: nvidia-smi sees 4 GPU(s), expected 8");
    }

    @Test
    void theScriptRunsForRealAgainstTheStandInsAndNoDriverIsAClearFailure() throws Exception {
        // 4 healthy GPUs: the bats scenario with a -q output the parser reads (run/gpu/SOURCE.md).
        Path scenario = Files.createDirectories(tmp.resolve("scenario"));
        try (Stream<Path> files = Files.list(FIXTURES.resolve("rtx5090-4gpu"))) {
            for (Path f : files.toList()) {
                Files.copy(f, scenario.resolve(f.getFileName().toString()));
            }
        }
        Files.copy(ROOT.resolve("core/src/test/resources/run/gpu/nvidia-smi-q-4gpu.txt"), scenario.resolve("q.txt"),
                StandardCopyOption.REPLACE_EXISTING);
        String path = FIXTURES.resolve("bin") + ":" + System.getenv("PATH");
        int code;
        String out;
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), Map.of("PATH", path,
                "FAKE_GPU_SCENARIO", scenario.toString()), "gpu-validate", "--expect-count", "4", "--no-load",
                "--scripts", ROOT.resolve("scripts").toString(), "--evidence", tmp.resolve("ok").toString())) {
            code = vault.waitFor();
            out = vault.output();
        }
        assertThat(code).as(out).isZero();
        assertThat(out).contains("RESULT: PASSED", "vault gpu-validate: SUCCEEDED");
        assertThat(EvidenceDir.open(tmp.resolve("ok")).readAllMetrics().values()).containsEntry("gpu.count", 4L)
                .containsEntry("gpu.pci_devices", 4L).containsEntry("xid.count", 0L);

        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), Map.of("PATH", path,
                "FAKE_GPU_SCENARIO", FIXTURES.resolve("no-driver").toString()), "gpu-validate",
                "--scripts", ROOT.resolve("scripts").toString(), "--evidence", tmp.resolve("no-driver").toString())) {
            code = vault.waitFor();
            out = vault.output();
        }
        assertThat(code).as(out).isEqualTo(ExitCodes.FAILURE);
        assertThat(out).contains("RESULT: NO NVIDIA DRIVER",
                "vault: FAULT: no NVIDIA driver on this host: nvidia-smi cannot use the NVIDIA driver (exit 9)",
                "vault gpu-validate: FAILED");
        assertThat(EvidenceDir.open(tmp.resolve("no-driver")).readAllMetrics().values()).doesNotContainKey("gpu.count");
    }

    @Test
    void badUsageExitsTwo() {
        MainTest.Run liveOnly = MainTest.vault("gpu-validate", "--from", RECORDED.toString(), "--no-load");
        assertThat(liveOnly.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(liveOnly.err()).contains("apply to a live run");

        MainTest.Run noScript = MainTest.vault("gpu-validate", "--scripts", tmp.toString(), "--evidence",
                tmp.resolve("ev").toString());
        assertThat(noScript.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noScript.err()).contains("no validation script at " + tmp.resolve("validate-gpus.sh"));

        MainTest.Run noDir = MainTest.vault("gpu-validate", "--from", tmp.resolve("none").toString(), "--evidence",
                tmp.resolve("ev").toString());
        assertThat(noDir.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noDir.err()).contains("no recorded GPU collection at");
    }
}
