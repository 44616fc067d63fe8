package io.vaultcube.pipeline.parse.nvidia;

import static io.vaultcube.pipeline.parse.ParseTesting.crlf;
import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryParserTest {
    private static final String FIXTURE = "telemetry/synthetic-4gpu-features.csv";
    private static final String HEADER = "timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], "
            + "utilization.gpu [%], utilization.memory [%], memory.used [MiB], clocks.sm [MHz], clocks.mem [MHz], "
            + "pcie.link.gen.current, pcie.link.width.current, fan.speed [%], clocks_event_reasons.active\n";
    private final TelemetryParser parser = new TelemetryParser();

    @TempDir
    Path tmp;

    @Test
    void aStatedIntervalLongerThanTheSamplersIsRefusedNotReadAsCoverageAboveOne() throws Exception {
        // 1 s samples read as 5 s would give a coverage near 490 %, and hide every gap in it
        assertThatThrownBy(() -> parser.parse(Fixtures.input(FIXTURE, Map.of("interval_s", "5"))))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("more than an interval of 5 s allows (24)")
                .hasMessageContaining("the stated interval (interval_s) is not the sampler's");
        MetricSet m = parser.parse(Fixtures.input(FIXTURE, Map.of("interval_s", "1")));
        assertThat((double) value(m, "telemetry.coverage")).isCloseTo(470.0 / 480, within(1e-12));
    }

    @Test
    void summarisesTheFeaturesOfTheFixture() throws Exception {
        MetricSet m = parser.parse(Fixtures.input(FIXTURE));
        assertThat(value(m, "telemetry.gpus")).isEqualTo(4L);
        assertThat(value(m, "telemetry.samples")).isEqualTo(470L);
        assertThat(value(m, "telemetry.interval_s")).isEqualTo(1L);
        assertThat(value(m, "telemetry.duration_s")).isEqualTo(119.004);
        assertThat(value(m, "telemetry.gpu[2].samples")).isEqualTo(110L);
        assertThat(value(m, "telemetry.gpu[2].max_gap_s")).isEqualTo(11.002);
        assertThat(value(m, "telemetry.max_gap_s")).isEqualTo(11.002);
        assertThat(value(m, "telemetry.gpu[1].throttle_events")).isEqualTo(2L);
        assertThat(value(m, "telemetry.throttle_events")).isEqualTo(2L);
        assertThat(value(m, "telemetry.gpu[3].pcie_gen_loaded.min")).isEqualTo(4L);
        assertThat(value(m, "telemetry.pcie_gen_loaded.min")).isEqualTo(4L);
        assertThat(value(m, "telemetry.pcie_width_loaded.min")).isEqualTo(16L);
        assertThat(value(m, "telemetry.temperature_c.max")).isEqualTo(72L);
        assertThat(line(m, "telemetry.temperature_c.max")).as("cites the sample").isNotNull();
        assertThat(value(m, "telemetry.utilization_pct.median")).isEqualTo(100L);
        assertThat(value(m, "telemetry.gpu[0].uuid")).isEqualTo("GPU-5090aaaa-0000-1111-2222-000000000000");
        assertThat((double) value(m, "telemetry.coverage")).isCloseTo(470.0 / 480, within(1e-12));
    }

    @Test
    void agreesWithTheNaiveOracleOnTheFixture() throws Exception {
        assertAgreesWithOracle(read(FIXTURE), null);
        // a stated interval wins over the inferred one (shorter than the sampler's: a longer one is refused)
        assertAgreesWithOracle(read(FIXTURE), 0.5);
    }

    @Property(tries = 40)
    void agreesWithTheNaiveOracleOnRandomLogs(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int gpus,
            @ForAll @IntRange(min = 2, max = 300) int steps) throws Exception {
        assertAgreesWithOracle(randomLog(new Random(seed), gpus, steps), null);
    }

    @Test
    void aGpuNeverSeenLoadedLeavesTheMachinesLoadedLinkUnknown() throws Exception {
        // Seed 1, two GPUs, two steps (found by the property below): GPU 1 is sampled once, idle.
        String log = randomLog(new Random(1), 2, 2);
        assertAgreesWithOracle(log, null);
        MetricSet m = parser.parse(write(tmp, "idle-gpu.csv", log, Map.of()));
        assertThat(value(m, "telemetry.gpu[1].loaded_samples")).isEqualTo(0L);
        assertThat(m.contains("telemetry.gpu[0].pcie_gen_loaded.min")).isTrue();
        assertThat(m.contains("telemetry.pcie_gen_loaded.min")).isFalse();
        assertThat(m.contains("telemetry.pcie_width_loaded.min")).isFalse();
    }

    @Test
    void aLogWithOneSamplePerGpuHasNoIntervalToInferAndSoNoCoverage() throws Exception {
        // Seed -156 makes one GPU, two steps, the first sample missed (found by the property below).
        String log = randomLog(new Random(-156), 1, 2);
        assertThat(log.lines().count()).isEqualTo(2);
        assertAgreesWithOracle(log, null);
        MetricSet m = parser.parse(write(tmp, "one.csv", log, Map.of()));
        assertThat(m.contains("telemetry.coverage")).isFalse();
        assertThat(m.contains("telemetry.interval_s")).isFalse();
    }

    private Path propertyDir;

    @BeforeTry
    void makeDir() throws Exception {
        propertyDir = java.nio.file.Files.createTempDirectory("telemetry");
    }

    @AfterTry
    void removeDir() throws Exception {
        try (var s = java.nio.file.Files.list(propertyDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                java.nio.file.Files.delete(p);
            }
        }
        java.nio.file.Files.delete(propertyDir);
    }

    private void assertAgreesWithOracle(String log, Double interval) throws Exception {
        Path dir = propertyDir != null ? propertyDir : tmp;
        MetricSet m = parser.parse(write(dir, "t.csv", log, interval == null ? Map.of() : Map.of("interval_s", interval.toString())));
        Map<String, Double> expected = TelemetryOracle.summary(log, interval);
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            assertThat(m.get(e.getKey())).as(e.getKey()).isPresent();
            assertThat(m.get(e.getKey()).orElseThrow().number().orElseThrow()).as(e.getKey())
                    .isCloseTo(e.getValue(), within(1e-9));
        }
    }

    /** A well-formed log with random gaps, throttling, idle phases and per-GPU jitter. */
    static String randomLog(Random r, int gpus, int steps) {
        StringBuilder sb = new StringBuilder(HEADER);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");
        LocalDateTime start = LocalDateTime.of(2026, 11, 28, 23, 59, 0);
        int intervalMs = 1000 * (1 + r.nextInt(5));
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < gpus; i++) {
                if (r.nextInt(20) == 0) {
                    continue; // a missed sample
                }
                LocalDateTime t = start.plusNanos((long) (k * intervalMs + r.nextInt(4)) * 1_000_000);
                int util = r.nextInt(4) == 0 ? r.nextInt(101) : 100;
                long mask = r.nextInt(6) == 0 ? new long[] {0x8, 0x20, 0x40, 0x80, 0x4, 0x1}[r.nextInt(6)] : 0x4;
                sb.append(String.format("%s, %d, GPU-%08d-0000, P1, %d, %.2f, %.2f, %d, 30, 100, 2700, 14001, %d, %d, 60, 0x%016x%n",
                        f.format(t), i, i, 20 + r.nextInt(80), 100 + r.nextDouble() * 500, 450.0 + r.nextInt(3) * 62.5,
                        util, 1 + r.nextInt(5), r.nextBoolean() ? 16 : 8, mask));
            }
        }
        return sb.toString().replace("\r\n", "\n");
    }

    @Test
    void crlfAndARepeatedHeaderChangeNothing() throws Exception {
        String log = read(FIXTURE);
        assertThat(parser.parse(write(tmp, "crlf.csv", crlf(log))).values()).isEqualTo(parser.parse(Fixtures.input(FIXTURE)).values());
    }

    @Test
    void headerlessLogsTakeTheFieldsOption() throws Exception {
        String log = read(FIXTURE);
        String noHeader = log.replace(HEADER, "");
        assertThatThrownBy(() -> parser.parse(write(tmp, "n.csv", noHeader)))
                .isInstanceOf(ParseException.class).hasMessageContaining("no header");
        String fields = HEADER.trim().replaceAll(" \\[[^]]*\\]", "").replace(" ", "");
        MetricSet m = parser.parse(write(tmp, "n.csv", noHeader, Map.of("fields", fields)));
        assertThat(value(m, "telemetry.samples")).isEqualTo(470L);
    }

    @Test
    void refusesWhatIsNotAUsableLog() throws Exception {
        String log = read(FIXTURE);
        String[] lines = log.split("\n");
        assertThatThrownBy(() -> parser.parse(Fixtures.input("telemetry/reference-a10-looped-no-index.csv")))
                .isInstanceOf(ParseException.class).hasMessageContaining("must include timestamp, index and uuid");
        assertThatThrownBy(() -> parser.parse(write(tmp, "h.csv", HEADER)))
                .isInstanceOf(ParseException.class).hasMessageContaining("only the header");
        // A line cut short: fewer columns.
        String cut = log.substring(0, log.length() - 30);
        assertThatThrownBy(() -> parser.parse(write(tmp, "c.csv", cut)))
                .isInstanceOf(ParseException.class).hasMessageContaining("values where the header has 16");
        String fault = log.replace(lines[5].substring(0, lines[5].indexOf(", P")) + ", P8, 61", lines[5].substring(0, lines[5].indexOf(", P")) + ", P8, [GPU is lost]");
        assertThat(fault).isNotEqualTo(log);
        assertThatThrownBy(() -> parser.parse(write(tmp, "f.csv", fault)))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("f.csv:6: GPU fault");
        String back = log + lines[1] + "\n";
        assertThatThrownBy(() -> parser.parse(write(tmp, "b.csv", back)))
                .isInstanceOf(ParseException.class).hasMessageContaining("goes back");
        String badTs = log.replaceFirst("2026/11/28 10:00:01", "2026/13/28 10:00:01");
        assertThat(badTs).isNotEqualTo(log);
        assertThatThrownBy(() -> parser.parse(write(tmp, "t.csv", badTs)))
                .isInstanceOf(ParseException.class).hasMessageContaining("not an nvidia-smi timestamp");
        String hot = log.replaceFirst("(, P1, )(\\d+)(, )", "$1650$3");
        assertThatThrownBy(() -> parser.parse(write(tmp, "hot.csv", hot)))
                .isInstanceOf(ParseException.class).hasMessageContaining("impossible temperature for temperature.gpu: 650 C");
        // Quantity's physical ranges (issue 17): a negative temperature, power or PCIe generation is garbled.
        String cold = log.replaceFirst("(, P1, )(\\d+)(, )", "$1-40$3");
        assertThatThrownBy(() -> parser.parse(write(tmp, "cold.csv", cold)))
                .isInstanceOf(ParseException.class).hasMessageContaining("impossible temperature for temperature.gpu: -40 C");
        String gen0 = log.replaceFirst("(, )(\\d+)(, )(\\d+)(, \\d+, 0x)", "$10$3$4$5");
        assertThat(gen0).isNotEqualTo(log);
        assertThatThrownBy(() -> parser.parse(write(tmp, "gen0.csv", gen0)))
                .isInstanceOf(ParseException.class).hasMessageContaining("impossible pcie generation for pcie.link.gen.current: 0");
        // A sampler cut mid-line: the last value would read short ("0x0000000000000" is a mask too).
        assertThatThrownBy(() -> parser.parse(write(tmp, "cutmask.csv", log.substring(0, log.length() - 4))))
                .isInstanceOf(ParseException.class).hasMessageContaining("the last line has no newline");
        // A column and its alias (nvidia-smi --help-query-gpu) hold one value.
        String aliased = log.replace("clocks_event_reasons.active", "clocks_event_reasons.active, clocks_throttle_reasons.active")
                .replaceAll("(0x[0-9A-Fa-f]+)\n", "$1, $1\n");
        assertThat(parser.parse(write(tmp, "alias.csv", aliased)).values()).isEqualTo(parser.parse(Fixtures.input(FIXTURE)).values());
        String disagree = aliased.replaceFirst("(0x[0-9A-Fa-f]+), (0x[0-9A-Fa-f]+)\n", "$1, 0x0000000000000040\n");
        assertThatThrownBy(() -> parser.parse(write(tmp, "disagree.csv", disagree)))
                .isInstanceOf(ParseException.class).hasMessageContaining("name one property but read");
        String swapped = log.replace(", 1, GPU-5090bbbb", ", 7, GPU-5090bbbb");
        assertThatThrownBy(() -> parser.parse(write(tmp, "s.csv", swapped.replaceFirst(", 7, GPU-5090bbbb", ", 1, GPU-5090bbbb"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("has index 7 here but 1");
        assertThatThrownBy(() -> parser.parse(write(tmp, "e.csv", "")))
                .isInstanceOf(ParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse(write(tmp, "z.csv", HEADER + "\0\0\0\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> parser.parse(write(tmp, "i.csv", log, Map.of("interval_s", "0"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("interval_s");
    }

    @Test
    void missingValuesAreLeftOutNotZero() throws Exception {
        String log = HEADER
                + "2026/11/28 10:00:00.000, 0, GPU-a, P1, [N/A], [N/A], 575.00, [N/A], 30, 100, 2700, 14001, 5, 16, [N/A], [N/A]\n"
                + "2026/11/28 10:00:01.000, 0, GPU-a, P1, [N/A], [N/A], 575.00, [N/A], 30, 100, 2700, 14001, 5, 16, [N/A], [N/A]\n";
        MetricSet m = parser.parse(write(tmp, "na.csv", log));
        assertThat(value(m, "telemetry.samples")).isEqualTo(2L);
        assertThat(m.contains("telemetry.temperature_c.max")).isFalse();
        assertThat(m.contains("telemetry.utilization_pct.median")).isFalse();
        assertThat(m.contains("telemetry.power_ratio.median")).isFalse();
        assertThat(m.contains("telemetry.throttle_events")).isFalse();
        assertThat(m.contains("telemetry.pcie_gen_loaded.min")).as("never loaded: no evidence").isFalse();
    }

    /** The fixture with GPU 2's temperature and utilization replaced by [N/A] in every row. */
    static String silentGpu2(String log) {
        StringBuilder out = new StringBuilder();
        for (String l : log.split("\n", -1)) {
            String[] f = l.split(", ", -1);
            if (f.length == 16 && f[2].startsWith("GPU-5090cccc")) {
                f[4] = "[N/A]";
                f[7] = "[N/A]";
                l = String.join(", ", f);
            }
            out.append(l).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    @Test
    void aGpuSilentForTheWholeLogLeavesTheFleetAggregatesOutAndIsNamed() throws Exception {
        // issue 19: the fleet's max and median over the three GPUs that reported would pass a gate
        // while telemetry.gpus still says 4
        String log = silentGpu2(read(FIXTURE));
        assertThat(log).contains("GPU-5090cccc-0000-1111-2222-000000000002, P1, [N/A]");
        MetricSet m = parser.parse(write(tmp, "silent.csv", log));
        assertThat(value(m, "telemetry.gpus")).isEqualTo(4L);
        assertThat(m.contains("telemetry.gpu[0].temperature_c.max")).isTrue();
        assertThat(m.contains("telemetry.gpu[2].temperature_c.max")).isFalse();
        assertThat(m.contains("telemetry.temperature_c.max")).isFalse();
        assertThat(m.contains("telemetry.temperature_c.p99")).isFalse();
        assertThat(m.contains("telemetry.utilization_pct.median")).isFalse();
        // never loaded (no utilization): its PCIe link under load is unknown too
        assertThat(m.contains("telemetry.pcie_gen_loaded.min")).isFalse();
        assertThat(m.contains("telemetry.power_ratio.median")).as("GPU 2 reported power").isTrue();
        assertThat((String) value(m, "telemetry.incomplete"))
                .contains("no temperature.gpu from GPU 2 (GPU-5090cccc-0000-1111-2222-000000000002)")
                .contains("no utilization.gpu from GPU 2");
        assertThat(parser.parse(Fixtures.input(FIXTURE)).contains("telemetry.incomplete")).isFalse();
    }

    @Property(tries = 60)
    void chunksReadInParallelGiveTheOnePassMetrics(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int gpus,
            @ForAll @IntRange(min = 2, max = 200) int steps, @ForAll @IntRange(min = 2, max = 7) int chunks)
            throws Exception {
        // Long throttle runs (every sample of a stretch) so that runs cross the seams.
        String log = randomLog(new Random(seed), gpus, steps);
        Random r = new Random(seed + 1);
        StringBuilder throttled = new StringBuilder();
        boolean on = false;
        for (String l : log.split("\n")) {
            if (r.nextInt(15) == 0) {
                on = !on;
            }
            throttled.append(on && l.endsWith("4") ? l.substring(0, l.length() - 1) + "8" : l).append('\n');
        }
        ParseInput in = write(propertyDir, "c.csv", throttled.toString(), Map.of());
        assertThat(parser.parse(in, chunks).values()).isEqualTo(parser.parse(in, 1).values());
    }

    @Test
    void chunksGiveTheOnePassMetricsAndMessagesOnTheFixture() throws Exception {
        String log = read(FIXTURE);
        for (int chunks = 2; chunks <= 9; chunks++) {
            ParseInput in = write(tmp, "f.csv", log, Map.of());
            assertThat(parser.parse(in, chunks).values()).as(chunks + " chunks").isEqualTo(parser.parse(in, 1).values());
            assertThat(parser.parse(in, chunks).asList()).extracting(m -> m.source().toString())
                    .isEqualTo(parser.parse(in, 1).asList().stream().map(m -> m.source().toString()).toList());
            // a clock that goes back near the end, in the last chunk, and a GPU that changes index
            String back = log + log.split("\n")[1] + "\n";
            String swapped = log.substring(0, log.length() / 2) + log.substring(log.length() / 2)
                    .replaceFirst(", 1, GPU-5090bbbb", ", 7, GPU-5090bbbb");
            for (String bad : new String[] {back, swapped}) {
                ParseInput b = write(tmp, "b.csv", bad, Map.of());
                int n = chunks;
                String one = org.assertj.core.api.Assertions.catchThrowable(() -> parser.parse(b, 1)).getMessage();
                assertThat(one).isNotNull();
                assertThatThrownBy(() -> parser.parse(b, n)).isInstanceOf(ParseException.class).hasMessage(one);
            }
        }
    }
}
