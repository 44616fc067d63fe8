package io.vaultcube.pipeline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceDirTest {
    @TempDir
    Path tmp;

    @Test
    void writesAndReadsBackMetricsWithUnitsAndSources() throws Exception {
        EvidenceDir evidence = EvidenceDir.create(tmp.resolve("ev"));
        StageEvidence gpu = evidence.stage("gpu");
        Files.writeString(gpu.file("nvidia-smi-query.csv"), "index, name\n0, NVIDIA GeForce RTX 5090\n");
        MetricSet metrics = new MetricSet()
                .add(Metric.number("gpu.count", 4, null, gpu.source("nvidia-smi-query.csv", null)))
                .add(Metric.number("gpu[0].memory_total_mib", 32607, "MiB", gpu.source("nvidia-smi-query.csv", 2L)))
                .add(Metric.number("gpu[0].power_ratio", 0.875, null, null))
                .add(Metric.text("gpu[0].name", "NVIDIA GeForce RTX 5090", gpu.source("nvidia-smi-query.csv", 2L)))
                .add(Metric.bool("gpu.healthy", true, null));
        gpu.writeMetrics(metrics);

        MetricSet read = EvidenceDir.open(tmp.resolve("ev")).readAllMetrics();
        assertThat(read.asList()).containsExactlyElementsOf(metrics.asList());
        assertThat(read.values()).containsEntry("gpu.count", 4L).containsEntry("gpu[0].power_ratio", 0.875)
                .containsEntry("gpu.healthy", true);
        assertThat(read.get("gpu[0].memory_total_mib").orElseThrow().source())
                .hasToString("gpu/nvidia-smi-query.csv:2");
        assertThat(Files.readString(gpu.dir().resolve("metrics.json")))
                .contains("\"schema\" : \"vault-metrics/1\"", "\"gpu.count\" : {", "\"value\" : 4,");
    }

    @Test
    void aNameReportedByTwoStagesIsAnErrorNamingBothFiles() throws Exception {
        EvidenceDir evidence = EvidenceDir.create(tmp);
        evidence.stage("bench-ddp").writeMetrics(new MetricSet().add(Metric.number("telemetry.gpus", 4, null, null)));
        evidence.stage("stress").writeMetrics(new MetricSet().add(Metric.number("telemetry.gpus", 4, null, null)));

        assertThatThrownBy(evidence::readAllMetrics).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("telemetry.gpus")
                .hasMessageContaining("bench-ddp/metrics.json")
                .hasMessageContaining("stress/metrics.json");
    }

    @Test
    void garbledMetricsFailClosedWithTheFileName() throws Exception {
        EvidenceDir evidence = EvidenceDir.create(tmp);
        Path file = evidence.stage("gpu").dir().resolve("metrics.json");
        for (String garbled : List.of(
                "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"gpu.count\":{\"value\":4}",
                "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"gpu.count\":{\"value\":4},\"gpu.count\":{\"value\":5}}}",
                "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"gpu.count\":{\"value\":null}}}",
                "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"Bad Name\":{\"value\":1}}}",
                "{\"schema\":\"vault-metrics/1\",\"metrics\":{\"gpu.count\":{\"value\":[1]}}}",
                "{\"schema\":\"other/1\",\"metrics\":{}}",
                "\u0000\u0001binary",
                "")) {
            Files.writeString(file, garbled);
            assertThatThrownBy(evidence::readAllMetrics).as(garbled).isInstanceOf(EvidenceException.class)
                    .hasMessageContaining("gpu/metrics.json");
        }
        Files.write(file, new byte[] {'{', (byte) 0xff, '}'});
        assertThatThrownBy(evidence::readAllMetrics).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void stageRecordsRoundTrip() throws Exception {
        StageEvidence stage = EvidenceDir.create(tmp).stage("packer");
        StageRecord record = new StageRecord("packer", StageStatus.ABORTED, Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T10:20:00Z"),
                List.of(new StageRecord.Command("packer build -var password=**** .", 130, "CANCELLED", 1_200_000)),
                List.of("aborted by the user"), null);
        stage.writeRecord(record);
        assertThat(stage.readRecord()).isEqualTo(record);
    }

    @Test
    void rejectsBadStageAndFileNames() throws Exception {
        EvidenceDir evidence = EvidenceDir.create(tmp);
        assertThatThrownBy(() -> evidence.stage("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> evidence.stage("Packer")).isInstanceOf(IllegalArgumentException.class);
        StageEvidence stage = evidence.stage("packer");
        assertThatThrownBy(() -> stage.file("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EvidenceDir.open(tmp.resolve("missing"))).isInstanceOf(EvidenceException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aPrefixKeepsValuesUnitsAndSources() {
        MetricSet set = new MetricSet().add(Metric.number("xid.count", 2, null, EvidenceSource.line("k.log", 7)));
        MetricSet prefixed = set.withPrefix("stress");
        assertThat(prefixed.get("stress.xid.count").orElseThrow().source()).hasToString("k.log:7");
        assertThat(prefixed.contains("xid.count")).isFalse();
        assertThatThrownBy(() -> set.withPrefix("Bad.")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMetricSetRefusesADuplicateName() {
        MetricSet set = new MetricSet().add(Metric.number("gpu.count", 4, null, EvidenceSource.line("a.csv", 1)));
        assertThatThrownBy(() -> set.add(Metric.number("gpu.count", 3, null, EvidenceSource.line("b.csv", 9))))
                .isInstanceOf(MetricSet.DuplicateMetricException.class)
                .hasMessageContaining("a.csv:1").hasMessageContaining("b.csv:9");
        assertThatThrownBy(() -> Metric.number("x", Double.NaN, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
