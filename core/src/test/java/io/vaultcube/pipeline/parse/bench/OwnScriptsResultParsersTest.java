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
import org.junit.jupiter.api.io.TempDir;

/** ddp, tensorflow and stress-gpus: the JSON of our own scripts (schemas in docs/gpu-validation.md). */
class OwnScriptsResultParsersTest {
    @TempDir
    Path tmp;

    @Test
    void ddpReportsTheRecomputedEfficiency() throws Exception {
        MetricSet m = new DdpResultParser().parse(Fixtures.input("ddp/synthetic-4gpu.json"));
        assertThat(value(m, "ddp.world_size")).isEqualTo(4L);
        assertThat(value(m, "ddp.throughput_samples_per_s")).isEqualTo(4196.1);
        assertThat(value(m, "ddp.single_gpu_throughput_samples_per_s")).isEqualTo(1128.6);
        assertThat((double) value(m, "ddp.scaling_efficiency")).isEqualTo(4196.1 / (4 * 1128.6));
        assertThat(value(m, "ddp.per_device_batch")).isEqualTo(64L);
        assertThat(value(m, "ddp.amp")).isEqualTo(false);
        assertThat(value(m, "ddp.version.nccl")).isEqualTo("2.26.2");
        assertThat(line(m, "ddp.throughput_samples_per_s")).isEqualTo(21L);
        MetricSet cpu = new DdpResultParser().parse(Fixtures.input("ddp/synthetic-cpu-gloo.json"));
        assertThat(value(cpu, "ddp.device")).isEqualTo("cpu");
    }

    @Test
    void ddpRefusesAnEfficiencyThatDividesANumberByItself() throws Exception {
        assertThatThrownBy(() -> new DdpResultParser().parse(Fixtures.input("ddp/synthetic-divides-by-itself.json")))
                .isInstanceOf(ParseException.class).hasMessageContaining("scaling_efficiency 1.0 disagrees");
        String doc = read("ddp/synthetic-4gpu.json");
        DdpResultParser p = new DdpResultParser();
        assertThatThrownBy(() -> p.parse(write(tmp, "m.json", doc.replace("\"median_samples_per_s\": 4196.1", "\"median_samples_per_s\": 4203.7"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("is not the median");
        assertThatThrownBy(() -> p.parse(write(tmp, "b.json", doc.replace("\"per_device_batch\": 64",
                "\"per_device_batch\": -64")))).isInstanceOf(ParseException.class)
                .hasMessageContaining("per_device_batch must be a whole number of at least 1, not -64");
        assertThatThrownBy(() -> p.parse(write(tmp, "s.json", doc.replace("vault-ddp/1", "vault-ddp/2"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("unknown schema \"vault-ddp/2\"");
        assertThatThrownBy(() -> p.parse(write(tmp, "w.json", doc.replace("\"world_size\": 4,\n    \"throughputs", "\"world_size\": 2,\n    \"throughputs"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("differs from world_size");
        assertThatThrownBy(() -> p.parse(write(tmp, "n.json", doc.replace("[1128.6, 1120.2, 1131.9]", "[]"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> p.parse(write(tmp, "nan.json", doc.replace("1128.6, 1120.2", "NaN, 1120.2"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> p.parse(write(tmp, "t.json", doc.substring(0, 200))))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> p.parse(write(tmp, "null.json", doc.replace("\"world_size\": 4,\n  \"per", "\"world_size\": null,\n  \"per"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("is null");
    }

    @Test
    void tensorflowResults() throws Exception {
        TensorflowResultParser p = new TensorflowResultParser();
        MetricSet ok = p.parse(Fixtures.input("tensorflow/synthetic-4gpu-ok.json"));
        assertThat(value(ok, "tensorflow.gpus")).isEqualTo(4L);
        assertThat(value(ok, "tensorflow.ok")).isEqualTo(true);
        assertThat(value(ok, "tensorflow.gpu[3].matmul_ok")).isEqualTo(true);
        assertThat(value(ok, "tensorflow.version")).isEqualTo("2.17.0");
        MetricSet bad = p.parse(Fixtures.input("tensorflow/synthetic-invalid-ptx.json"));
        assertThat(value(bad, "tensorflow.ok")).isEqualTo(false);
        assertThat(value(bad, "tensorflow.gpu[0].matmul_ok")).isEqualTo(false);
        String lying = read("tensorflow/synthetic-invalid-ptx.json").replace("\"ok\": false", "\"ok\": true");
        assertThatThrownBy(() -> p.parse(write(tmp, "l.json", lying)))
                .isInstanceOf(ParseException.class).hasMessageContaining("ok is true but a GPU check failed");
        String missing = read("tensorflow/synthetic-4gpu-ok.json").replace("\"gpus_visible\": 4", "\"gpus_visible\": 5");
        assertThatThrownBy(() -> p.parse(write(tmp, "m.json", missing)))
                .isInstanceOf(ParseException.class).hasMessageContaining("gpus lists 4 GPUs but gpus_visible says 5");
    }

    @Test
    void stressGpusResults() throws Exception {
        StressGpusResultParser p = new StressGpusResultParser();
        MetricSet m = p.parse(Fixtures.input("stress-gpus/synthetic-4gpu-one-faulty.json"));
        assertThat(value(m, "stress_gpus.gpus")).isEqualTo(4L);
        assertThat(value(m, "stress_gpus.faulty")).isEqualTo(1L);
        assertThat(value(m, "stress_gpus.ok")).isEqualTo(false);
        assertThat(value(m, "stress_gpus.gpu[1].errors")).isEqualTo(3L);
        assertThat(value(m, "stress_gpus.gpu[0].iterations")).isEqualTo(1250331L);
        assertThat(value(m, "stress_gpus.duration_s")).isEqualTo(86400.4);
        MetricSet cpu = p.parse(Fixtures.input("stress-gpus/synthetic-cpu-short-ok.json"));
        assertThat(value(cpu, "stress_gpus.ok")).isEqualTo(true);
        assertThat(cpu.contains("stress_gpus.gpu[0].uuid")).as("null uuid: not measured").isFalse();
        String doc = read("stress-gpus/synthetic-4gpu-one-faulty.json");
        assertThatThrownBy(() -> p.parse(write(tmp, "a.json", doc.replace("\"faulty_gpus\": 1", "\"faulty_gpus\": 0"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("faulty_gpus says 0 but 1 GPUs are faulty");
        // A soak that ended before any result was checked: not faulty, not ok, said as such.
        MetricSet none = p.parse(Fixtures.input("stress-gpus/synthetic-cpu-no-result-verified.json"));
        assertThat(value(none, "stress_gpus.ok")).isEqualTo(false);
        assertThat(value(none, "stress_gpus.faulty")).isEqualTo(0L);
        assertThat(value(none, "stress_gpus.unverified")).isEqualTo(2L);
        assertThat(value(m, "stress_gpus.unverified")).isEqualTo(0L);
        String noneDoc = read("stress-gpus/synthetic-cpu-no-result-verified.json");
        assertThatThrownBy(() -> p.parse(write(tmp, "n.json", noneDoc.replace("\"ok\":false,\"interrupted\"", "\"ok\":true,\"interrupted\""))))
                .isInstanceOf(ParseException.class).hasMessageContaining("ok is true but the GPUs say false");
        assertThatThrownBy(() -> p.parse(write(tmp, "b.json", doc.replace("\"errors\": 3, \"max_abs_error\": 0.125, \"ok\": false",
                "\"errors\": 3, \"max_abs_error\": 0.125, \"ok\": true").replace("\"faulty_gpus\": 1", "\"faulty_gpus\": 0"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("says ok with 3 errors");
        // Stopped with SIGINT (as the stress runner does at the planned end): the results were right, the run is
        // not complete. ok=false with every GPU right contradicts the GPUs.
        String interrupted = read("stress-gpus/synthetic-cpu-short-ok.json").replace("\"interrupted\":false", "\"interrupted\":true");
        MetricSet stopped = p.parse(write(tmp, "c.json", interrupted));
        assertThat(value(stopped, "stress_gpus.ok")).isEqualTo(true);
        assertThat(value(stopped, "stress_gpus.complete")).isEqualTo(false);
        assertThatThrownBy(() -> p.parse(write(tmp, "d.json", interrupted.replace("\"ok\":true,\"interrupted\"", "\"ok\":false,\"interrupted\""))))
                .isInstanceOf(ParseException.class).hasMessageContaining("ok is false but the GPUs say true");
    }
}
