package io.vaultcube.pipeline.parse.nvidia;

import static io.vaultcube.pipeline.parse.ParseTesting.crlf;
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

class NvidiaSmiQueryParserTest {
    private final NvidiaSmiQueryParser parser = new NvidiaSmiQueryParser();

    @TempDir
    Path tmp;

    @Test
    void readsAnInventoryWithUnits() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("nvidia-smi/synthetic-4x5090-inventory.csv"));
        assertThat(value(m, "gpu.count")).isEqualTo(4L);
        assertThat(value(m, "gpu[0].name")).isEqualTo("NVIDIA GeForce RTX 5090");
        assertThat(value(m, "gpu[2].uuid")).isEqualTo("GPU-5090cccc-0000-1111-2222-000000000002");
        assertThat(value(m, "gpu[1].memory_total_mib")).isEqualTo(32607L);
        assertThat(value(m, "gpu.memory_total_mib.min")).isEqualTo(32607L);
        assertThat(value(m, "gpu.memory_total_mib.max")).isEqualTo(32607L);
        assertThat(value(m, "gpu.temperature_c.max")).isEqualTo(31L);
        assertThat(value(m, "gpu.pcie_gen_max.min")).isEqualTo(5L);
        assertThat(value(m, "gpu.pcie_gen_current.min")).isEqualTo(1L);
        assertThat(value(m, "gpu.pcie_width_current.min")).isEqualTo(8L);
        assertThat(value(m, "gpu[0].power_limit_w")).isEqualTo(575L);
        // 0x4 (SW power cap) is not throttling; 0x24 (SW thermal) is.
        assertThat(value(m, "gpu[0].throttled")).isEqualTo(false);
        assertThat(value(m, "gpu[3].throttled")).isEqualTo(true);
        assertThat(value(m, "gpu.throttled.count")).isEqualTo(1L);
        assertThat(m.get("gpu[3].temperature_c").orElseThrow().source().line()).isEqualTo(5L);
    }

    @Test
    void readsHeaderlessCsvWithTheFieldsOptionAndLeavesMissingValuesOut() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("nvidia-smi/synthetic-noheader-nounits.csv"));
        assertThat(value(m, "gpu.count")).isEqualTo(2L);
        assertThat(value(m, "gpu[1].uuid")).isEqualTo("GPU-5090bbbb-0000-1111-2222-000000000001");
        assertThat(m.contains("gpu[0].temperature_memory_c")).isFalse();
        assertThat(value(m, "gpu.pcie_gen_max.min")).isEqualTo(5L);
        assertThatThrownBy(() -> parser.parse(new io.vaultcube.pipeline.parse.ParseInput(
                Fixtures.path("nvidia-smi/synthetic-noheader-nounits.csv"), "x.csv", null)))
                .isInstanceOf(ParseException.class).hasMessageContaining("no header line and no fields option");
    }

    @Test
    void anAggregateNeedsEveryGpu() throws Exception {
        String csv = read("nvidia-smi/synthetic-4x5090-inventory.csv").replaceFirst(", 27, 575.00 W", ", [N/A], 575.00 W");
        MetricSet m = parser.parse(write(tmp, "a.csv", csv));
        assertThat(m.contains("gpu[1].temperature_c")).isFalse();
        assertThat(m.contains("gpu.temperature_c.max")).as("no max over three of four GPUs").isFalse();
        assertThat(value(m, "gpu.memory_total_mib.min")).isEqualTo(32607L);
    }

    @Test
    void refusesFaultsLoopsAndWrongColumns() throws Exception {
        assertThatThrownBy(() -> parser.parse(Fixtures.input("nvidia-smi/synthetic-gpu-requires-reset.csv")))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("nvidia-smi/synthetic-gpu-requires-reset.csv:3: GPU fault");
        assertThatThrownBy(() -> parser.parse(Fixtures.input("nvidia-smi/reference-a10-looped-no-index.csv")))
                .isInstanceOf(ParseException.class).hasMessageContaining("neither index nor uuid");
        String csv = read("nvidia-smi/synthetic-4x5090-inventory.csv");
        String[] lines = csv.split("\n");
        assertThatThrownBy(() -> parser.parse(write(tmp, "loop.csv", csv + lines[1] + "\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("appears twice: a looped query");
        assertThatThrownBy(() -> parser.parse(write(tmp, "cols.csv", csv.replace(", P8, 0x0000000000000000", ", 0x0000000000000000"))))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("cols.csv:3: 17 values where the field list has 18");
        assertThatThrownBy(() -> parser.parse(write(tmp, "err.csv", csv.replace("32607 MiB, 26", "ERR!, 26"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("GPU fault");
        assertThatThrownBy(() -> parser.parse(write(tmp, "txt.csv", csv.replace("32607 MiB, 26", "lots, 26"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a number for memory.total");
        assertThatThrownBy(() -> parser.parse(write(tmp, "nodev.csv", "No devices were found\n")))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> parser.parse(write(tmp, "h.csv", lines[0] + "\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no GPU row");
        assertThat(parser.parse(write(tmp, "crlf.csv", crlf(csv))).values())
                .isEqualTo(parser.parse(Fixtures.input("nvidia-smi/synthetic-4x5090-inventory.csv")).values());
    }
}
