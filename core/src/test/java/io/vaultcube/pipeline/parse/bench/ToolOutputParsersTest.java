package io.vaultcube.pipeline.parse.bench;

import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** gpu-burn, nccl-tests and dcgmi diag. */
class ToolOutputParsersTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"gpu-burn/reference-8xA100-excerpts.log", "gpu-burn/reference-8xA100-excerpts-cr.log"})
    void gpuBurnReadsAHealthyRunWithLfOrCrLines(String fixture) throws Exception {
        MetricSet m = new GpuBurnParser().parse(Fixtures.input(fixture));
        assertThat(value(m, "gpu_burn.gpus")).isEqualTo(8L);
        assertThat(value(m, "gpu_burn.faulty")).isEqualTo(0L);
        assertThat(value(m, "gpu_burn.ok")).isEqualTo(true);
        assertThat(value(m, "gpu_burn.gpu[1].gflops")).isEqualTo(17093L);
        assertThat(value(m, "gpu_burn.gpu[7].uuid")).isEqualTo("GPU-b07c7bf3-4549-25d9-cec2-999db25a20a6");
        assertThat(value(m, "gpu_burn.updates")).isEqualTo(2L);
    }

    @Test
    void gpuBurnVerdictIsTheTruth() throws Exception {
        GpuBurnParser p = new GpuBurnParser();
        MetricSet bad = p.parse(Fixtures.input("gpu-burn/synthetic-4x5090-faulty-and-died.log"));
        assertThat(value(bad, "gpu_burn.faulty")).isEqualTo(2L);
        assertThat(value(bad, "gpu_burn.ok")).isEqualTo(false);
        assertThat(value(bad, "gpu_burn.gpu[1].errors")).as("12 in the first window + 3 in the second").isEqualTo(15L);
        assertThat(value(bad, "gpu_burn.gpu[2].died")).isEqualTo(true);
        assertThat(value(bad, "gpu_burn.gpu[1].ok")).isEqualTo(false);
        assertThat(value(bad, "gpu_burn.gpu[0].ok")).isEqualTo(true);
        assertThat(line(bad, "gpu_burn.gpu[0].gflops")).as("the CR-redrawn update keeps its line").isEqualTo(9L);
    }

    @Test
    void gpuBurnWithoutVerdictIsRefused() throws Exception {
        GpuBurnParser p = new GpuBurnParser();
        String log = read("gpu-burn/synthetic-4x5090-faulty-and-died.log");
        assertThatThrownBy(() -> p.parse(write(tmp, "a.log", log.substring(0, log.indexOf("Tested")))))
                .isInstanceOf(ParseException.class).hasMessageContaining("no final verdict");
        assertThatThrownBy(() -> p.parse(write(tmp, "b.log", log.substring(0, log.indexOf("\tGPU 3: OK")))))
                .isInstanceOf(ParseException.class).hasMessageContaining("'Tested 4 GPUs' but 3 verdict lines");
        assertThatThrownBy(() -> p.parse(write(tmp, "c.log", "GPU 0: X (UUID: GPU-1)\nTested 1 GPUs:\n\tGPU 0: OK\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no progress update");
        assertThatThrownBy(() -> p.parse(write(tmp, "d.log", "Burning for 10 seconds.\nNo clients are alive!  Aborting\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("every worker died");
        assertThatThrownBy(() -> p.parse(write(tmp, "e.log", log.replace("errors: 0 - 0 - 0 - 0", "errors: 0 - 0 - 0"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("4 GPUs processed but 3 error counts");
    }

    @Test
    void ncclBusBandwidthPerSizeNotTheAverage() throws Exception {
        NcclTestsParser p = new NcclTestsParser();
        MetricSet m = p.parse(Fixtures.input("nccl/synthetic-4x5090-current-format.log"));
        assertThat(value(m, "nccl.ranks")).isEqualTo(4L);
        assertThat(value(m, "nccl.sizes")).isEqualTo(5L);
        assertThat(value(m, "nccl.busbw_gbps.largest")).isEqualTo(27.2);
        assertThat(value(m, "nccl.busbw_gbps.max")).isEqualTo(27.21);
        assertThat(value(m, "nccl.size[67108864].busbw_gbps")).isEqualTo(27.12);
        assertThat(value(m, "nccl.wrong")).isEqualTo(0L);
        assertThat(value(m, "nccl.ok")).isEqualTo(true);
        assertThat(m.values().keySet()).noneMatch(k -> k.contains("avg"));
        MetricSet old = p.parse(Fixtures.input("nccl/reference-8xA100-old-format-excerpts.log"));
        assertThat(value(old, "nccl.busbw_gbps.largest")).isEqualTo(235.26);
        assertThat(value(old, "nccl.busbw_gbps.max")).isEqualTo(235.26);
        assertThat(old.contains("nccl.wrong")).as("the old format has no #wrong").isFalse();
        assertThat(value(old, "nccl.ok")).isEqualTo(true);
        MetricSet failed = p.parse(Fixtures.input("nccl/reference-2x5090-nccl-2.25-failure.log"));
        assertThat(value(failed, "nccl.failures")).isEqualTo(6L);
        assertThat(value(failed, "nccl.ok")).isEqualTo(false);
        assertThat(failed.contains("nccl.busbw_gbps.max")).isFalse();
        String log = read("nccl/synthetic-4x5090-current-format.log");
        MetricSet wrong = p.parse(write(tmp, "w.log", log.replace("27.12      0", "27.12      3")));
        assertThat(value(wrong, "nccl.wrong")).isEqualTo(3L);
        assertThat(value(wrong, "nccl.ok")).isEqualTo(false);
        assertThatThrownBy(() -> p.parse(write(tmp, "t.log", log.substring(0, log.indexOf("# Out of bounds")))))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> p.parse(write(tmp, "c.log", log.replace("   7401   18.13", "   7401"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("columns in a result row");
        String oob = log.lines().filter(l -> l.startsWith("# Out of bounds")).findFirst().orElseThrow();
        assertThatThrownBy(() -> p.parse(write(tmp, "d.log", log.replace(oob, oob + "\n" + oob))))
                .isInstanceOf(ParseException.class).hasMessageContaining("a second 'Out of bounds values' line");
    }

    @Test
    void dcgmSkipIsNotAPass() throws Exception {
        DcgmDiagParser p = new DcgmDiagParser();
        MetricSet v3 = p.parse(Fixtures.input("dcgm/reference-dcgm3-issue-139-abbreviated.json"));
        assertThat(value(v3, "dcgm.tests")).isEqualTo(1L);
        assertThat(value(v3, "dcgm.skipped")).isEqualTo(1L);
        assertThat(value(v3, "dcgm.ok")).isEqualTo(false);
        assertThat(value(v3, "dcgm.test[PCIe].gpu[0].status")).isEqualTo("Skip");
        MetricSet v4 = p.parse(Fixtures.input("dcgm/synthetic-dcgm4-r3-4gpu.json"));
        assertThat(value(v4, "dcgm.tests")).isEqualTo(3L);
        assertThat(value(v4, "dcgm.passed")).isEqualTo(1L);
        assertThat(value(v4, "dcgm.failed")).isEqualTo(1L);
        assertThat(value(v4, "dcgm.skipped")).isEqualTo(1L);
        assertThat(value(v4, "dcgm.test[pcie].gpu[1].status")).isEqualTo("Fail");
        assertThat(value(v4, "dcgm.version")).isEqualTo("4.2.3");
        String allPass = "{\"DCGM GPU Diagnostic\":{\"test_categories\":[{\"category\":\"x\",\"tests\":[{\"name\":\"Memtest\","
                + "\"results\":[{\"gpu_id\":\"0\",\"status\":\"Pass\"}]}]}]}}";
        assertThat(value(p.parse(write(tmp, "p.json", allPass)), "dcgm.ok")).isEqualTo(true);
        assertThatThrownBy(() -> p.parse(write(tmp, "u.json", allPass.replace("Pass", "Great"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("unknown test status");
        assertThatThrownBy(() -> p.parse(write(tmp, "n.json", "{\"Overall\": 1}")))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a dcgmi diag -j document");
        assertThatThrownBy(() -> p.parse(write(tmp, "t.json", allPass.substring(0, 60))))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated JSON");
    }
}
