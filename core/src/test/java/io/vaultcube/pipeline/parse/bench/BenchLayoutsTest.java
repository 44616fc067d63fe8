package io.vaultcube.pipeline.parse.bench;

import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Layouts of benchmark output seen on real machines: mpirun --tag-output, runs from 1 byte, broken GPUs. */
class BenchLayoutsTest {
    private final NcclTestsParser nccl = new NcclTestsParser();
    private final GpuBurnParser burn = new GpuBurnParser();

    private static Path tmp() throws IOException {
        Path d = Files.createTempDirectory("bench-layouts");
        d.toFile().deleteOnExit();
        return d;
    }

    @Example
    void ncclUnderTagOutputFromOneByteIsRead() throws Exception {
        MetricSet m = nccl.parse(Fixtures.input("nccl/reference-2xT4-efa-tag-output-from-1-byte.log"));
        assertThat(value(m, "nccl.ok")).isEqualTo(true);
        assertThat(value(m, "nccl.ranks")).isEqualTo(2L);
        assertThat(value(m, "nccl.sizes")).as("29 sizes from 4 B, the two size-0 rows give no bandwidth").isEqualTo(29L);
        assertThat(m.contains("nccl.size[0].busbw_gbps")).isFalse();
        assertThat(value(m, "nccl.wrong")).isEqualTo(0L);
        assertThat(value(m, "nccl.size[1073741824].busbw_gbps")).isEqualTo(3.11);
        assertThat(value(m, "nccl.busbw_inplace_gbps.largest")).isEqualTo(3.12);
        assertThat(value(m, "nccl.busbw_outofplace_gbps.max")).isEqualTo(3.15);
        assertThat(value(m, "nccl.busbw_inplace_gbps.max")).isEqualTo(3.15);
        assertThat(value(m, "nccl.busbw_gbps.max")).isEqualTo(3.15);
        String log = read("nccl/reference-2xT4-efa-tag-output-from-1-byte.log");
        // #wrong on a size-0 row still counts.
        MetricSet wrong = nccl.parse(write(tmp(), "w.log", log.replaceFirst("6\\.40    0\\.00    0\\.00      0", "6.40    0.00    0.00      3")));
        assertThat(value(wrong, "nccl.wrong")).isEqualTo(3L);
        assertThat(value(wrong, "nccl.ok")).isEqualTo(false);
        assertThatThrownBy(() -> nccl.parse(write(tmp(), "cut.log", log.substring(0, log.indexOf("# Avg bus") + 10))))
                .isInstanceOf(ParseException.class).hasMessageContaining("cut short: the last line has no newline");
        assertThatThrownBy(() -> nccl.parse(write(tmp(), "neg.log", log.replace("171351    3.13    3.13", "171351    3.13   -3.13"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("impossible bandwidth for column 8: -3.13 GB/s");
    }

    /** Any valid all_reduce_perf output, prefixed line by line with Open MPI's tags, gives the same metrics. */
    @Property(tries = 60)
    void tagOutputPrefixesChangeNothing(@ForAll("ncclFixtures") String fixture, @ForAll("tags") String tag,
            @ForAll("tags") String other) throws Exception {
        MetricSet plain = nccl.parse(Fixtures.input(fixture));
        String text = read(fixture).replaceAll("(?m)^\\[[0-9]+,[0-9]+\\]<std(out|err)>:", "");
        StringBuilder tagged = new StringBuilder();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            if (n++ > 0) {
                tagged.append('\n');
            }
            if (!line.isEmpty() || n < text.split("\n", -1).length) {
                tagged.append(n % 3 == 0 ? other : tag).append(line);
            }
        }
        MetricSet t = nccl.parse(write(tmp(), "t.log", tagged.toString()));
        assertThat(values(t)).isEqualTo(values(plain));
    }

    private static Map<String, Object> values(MetricSet m) {
        Map<String, Object> out = new TreeMap<>();
        for (Metric x : m) {
            out.put(x.name().toString(), x.value().raw());
        }
        return out;
    }

    @Provide
    Arbitrary<String> ncclFixtures() {
        return Arbitraries.of("nccl/reference-2xT4-efa-tag-output-from-1-byte.log", "nccl/synthetic-4x5090-current-format.log",
                "nccl/reference-8xA100-old-format-excerpts.log");
    }

    @Provide
    Arbitrary<String> tags() {
        return Arbitraries.integers().between(0, 3).flatMap(job -> Arbitraries.integers().between(0, 511)
                .flatMap(rank -> Arbitraries.of("stdout", "stderr").map(s -> "[" + job + "," + rank + "]<" + s + ">:")));
    }

    @Example
    void gpuBurnWithNegativeErrorCountsIsFaultyOnEveryGpu() throws Exception {
        MetricSet m = burn.parse(Fixtures.input("gpu-burn/reference-16gpu-negative-errors-issue-12.log"));
        assertThat(value(m, "gpu_burn.gpus")).isEqualTo(16L);
        assertThat(value(m, "gpu_burn.faulty")).isEqualTo(16L);
        assertThat(value(m, "gpu_burn.ok")).isEqualTo(false);
        assertThat(value(m, "gpu_burn.gpu[0].errors")).isEqualTo(0L);
        assertThat(m.contains("gpu_burn.gpu[1].errors")).as("a garbage counter is no count").isFalse();
        assertThat(m.contains("gpu_burn.errors")).isFalse();
        assertThat(value(m, "gpu_burn.gpu[15].gflops")).isEqualTo(6439L);
        String log = read("gpu-burn/reference-16gpu-negative-errors-issue-12.log");
        assertThatThrownBy(() -> burn.parse(write(tmp(), "bad.log", log.replace("errors: 0 - -524288000", "errors: 0 - - 5"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("not an error list");
        assertThatThrownBy(() -> burn.parse(write(tmp(), "few.log", log.replace("errors: 0 - -524288000  (WARNING!)-", "errors: 0 -"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("16 GPUs processed but 15 error counts");
        assertThatThrownBy(() -> burn.parse(write(tmp(), "cut.log", log.substring(0, log.length() - 1))))
                .isInstanceOf(ParseException.class).hasMessageContaining("cut short");
    }
}
