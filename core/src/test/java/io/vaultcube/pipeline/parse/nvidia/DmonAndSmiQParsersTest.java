package io.vaultcube.pipeline.parse.nvidia;

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
import org.junit.jupiter.api.io.TempDir;

class DmonAndSmiQParsersTest {
    @TempDir
    Path tmp;

    @Test
    void dmonPerGpuColumnsWithDashesAsMissing() throws Exception {
        DmonParser p = new DmonParser();
        MetricSet m = p.parse(Fixtures.input("dmon/reference-5090-pucm.log"));
        assertThat(value(m, "dmon.gpus")).isEqualTo(4L);
        assertThat(value(m, "dmon.gpu[0].pwr_w.max")).isEqualTo(294L);
        assertThat(value(m, "dmon.gpu[0].gtemp_c.max")).isEqualTo(81L);
        assertThat(value(m, "dmon.gpu[2].sm_pct.max")).isEqualTo(100L);
        assertThat(m.contains("dmon.gpu[0].mtemp_c.max")).as("'-': not measured").isFalse();
        assertThat(line(m, "dmon.gpu[3].fb_mb.max")).isEqualTo(6L);
        MetricSet td = p.parse(Fixtures.input("dmon/reference-o-TD-blank-line.log"));
        assertThat(value(td, "dmon.samples")).isEqualTo(3L);
        assertThat(value(td, "dmon.gpu[0].rxpci_mb_s.max")).isEqualTo(217L);
        assertThat(value(td, "dmon.gpu[0].fb_mb.mean")).isEqualTo(320.0 / 3 == 106.666667 ? 106.666667 : Math.round(320.0 / 3 * 1e6) / 1e6);
        String log = read("dmon/reference-5090-pucm.log");
        MetricSet repeated = p.parse(write(tmp, "r.log", log + log));
        assertThat(value(repeated, "dmon.samples")).isEqualTo(8L);
        assertThatThrownBy(() -> p.parse(write(tmp, "c.log", log.substring(0, log.length() - 20))))
                .isInstanceOf(ParseException.class).hasMessageContaining("columns where the header has 15");
        assertThatThrownBy(() -> p.parse(write(tmp, "n.log", "    0    294     81\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("before the dmon header");
        assertThatThrownBy(() -> p.parse(write(tmp, "e.log", log.replace("  294 ", " ERR! "))))
                .isInstanceOf(ParseException.class).hasMessageContaining("GPU fault");
    }

    @Test
    void smiQReadsTheBlackwellMargins() throws Exception {
        NvidiaSmiQParser p = new NvidiaSmiQParser();
        MetricSet m = p.parse(Fixtures.input("nvidia-smi-q/assembled-5090-excerpts.log"));
        assertThat(value(m, "nvsmi.attached_gpus")).isEqualTo(1L);
        assertThat(value(m, "nvsmi.driver_version")).isEqualTo("570.124.06");
        assertThat(value(m, "gpu[0].pci_bus_id")).isEqualTo("00000000:02:00.0");
        assertThat(value(m, "gpu[0].name")).isEqualTo("NVIDIA GeForce RTX 5090");
        assertThat(value(m, "gpu[0].pcie_gen_max")).isEqualTo(5L);
        assertThat(value(m, "gpu[0].pcie_gen_current")).isEqualTo(1L);
        assertThat(value(m, "gpu[0].pcie_gen_hostmax")).isEqualTo(5L);
        assertThat(value(m, "gpu[0].pcie_width_max")).isEqualTo(16L);
        assertThat(value(m, "gpu[0].pcie_width_current")).isEqualTo(8L);
        assertThat(value(m, "gpu[0].bar1_total_mib")).isEqualTo(32768L);
        assertThat(value(m, "gpu.bar1_total_mib.min")).isEqualTo(32768L);
        assertThat(value(m, "gpu[0].memory_total_mib")).isEqualTo(32607L);
        assertThat(value(m, "gpu[0].tlimit_c")).isEqualTo(65L);
        assertThat(value(m, "gpu[0].tlimit_shutdown_c")).isEqualTo(-5L);
        assertThat(value(m, "gpu[0].power_limit_w")).isEqualTo(575L);
        assertThat(value(m, "gpu[0].power_min_limit_w")).isEqualTo(400L);
        assertThat(value(m, "gpu[0].clock_event.sw_power_cap")).isEqualTo(true);
        assertThat(value(m, "gpu[0].clock_event.hw_thermal_slowdown")).isEqualTo(false);
        assertThat(value(m, "gpu[0].throttled")).as("SW power cap is not throttling").isEqualTo(false);
        assertThat(m.contains("gpu[0].ecc_mode")).as("N/A on GeForce").isFalse();
        assertThat(m.contains("gpu[0].remapped_rows_pending")).isFalse();
        String q = read("nvidia-smi-q/assembled-5090-excerpts.log");
        MetricSet hot = p.parse(write(tmp, "h.log", q.replace("SW Thermal Slowdown               : Not Active",
                "SW Thermal Slowdown               : Active")));
        assertThat(value(hot, "gpu[0].throttled")).isEqualTo(true);
    }

    @Test
    void smiQRefusesCutShortAndFaultyOutput() throws Exception {
        NvidiaSmiQParser p = new NvidiaSmiQParser();
        assertThatThrownBy(() -> p.parse(Fixtures.input("nvidia-smi-q/reference-4090-excerpts-8-attached.log")))
                .isInstanceOf(ParseException.class).hasMessageContaining("Attached GPUs says 8 but the output has 1 GPU blocks");
        String q = read("nvidia-smi-q/assembled-5090-excerpts.log");
        assertThatThrownBy(() -> p.parse(write(tmp, "r.log", q.replace(": 32768 MiB", ": [GPU requires reset]"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("GPU fault");
        assertThatThrownBy(() -> p.parse(write(tmp, "w.log", q.replace("Current                   : 8x", "Current                   : eight"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a number for Current");
        assertThatThrownBy(() -> p.parse(write(tmp, "n.log", "hello world\n")))
                .isInstanceOf(ParseException.class);
        String two = q.replace("Attached GPUs                             : 1", "Attached GPUs                             : 2")
                + q.substring(q.indexOf("GPU 00000000")).replace("00000000:02:00.0", "00000000:21:00.0");
        MetricSet m = p.parse(write(tmp, "two.log", two));
        assertThat(value(m, "gpu[1].pci_bus_id")).isEqualTo("00000000:21:00.0");
    }
}
