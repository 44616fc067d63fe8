package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.GpuSeries;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Measure;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Plot;
import io.vaultcube.pipeline.gate.report.TelemetryPlotReader.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plot reader over SYNTHETIC sampler logs in sample-telemetry.sh's format (see ReportFixture). */
class TelemetryPlotReaderTest {
    @TempDir
    Path tmp;

    static final String HEADER = "timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], "
            + "utilization.gpu [%], clocks.sm [MHz], clocks_event_reasons.active\n";

    @Test
    void readsTheSamplersCsvPerGpuByUuidAndReportsByIndex() throws Exception {
        Path csv = tmp.resolve("telemetry.csv");
        Files.writeString(csv, HEADER
                + "2026/11/28 10:00:00.123, 1, GPU-bbbb, P1, 71, 512.33, 575.00, 100, 2745, 0x0000000000000004\n"
                + "2026/11/28 10:00:00.124, 0, GPU-aaaa, P1, 70, 510.00, 575.00, 100, 2740, 0x0000000000000004\n"
                + "2026/11/28 10:00:05.123, 1, GPU-bbbb, P1, 72 C, 513.00 W, 575.00 W, 100 %, 2700 MHz, 0x40\r\n"
                + "2026/11/28 10:00:05.124, 0, GPU-aaaa, P1, [N/A], 511.00, 575.00, 100, 2741, 0x0000000000000000\n");
        Plot plot = TelemetryPlotReader.read(csv);
        assertThat(plot.rows()).isEqualTo(4);
        assertThat(plot.skipped()).isZero();
        assertThat(plot.durationS()).isCloseTo(5.001, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plot.start()).isEqualTo("2026/11/28 10:00:00.123");
        assertThat(plot.measures()).containsExactly(Measure.TEMPERATURE, Measure.POWER, Measure.SM_CLOCK);
        assertThat(plot.gpus()).extracting(GpuSeries::index).containsExactly("0", "1");
        assertThat(plot.gpus()).extracting(GpuSeries::uuid).containsExactly("GPU-aaaa", "GPU-bbbb");
        GpuSeries gpu0 = plot.gpus().get(0);
        assertThat(gpu0.samples()).isEqualTo(2);
        assertThat(points(gpu0, Measure.TEMPERATURE)).containsExactly(new Point(0.001, 70)); // [N/A] is no point
        assertThat(gpu0.maxima().get(Measure.POWER)).isEqualTo(511.0);
        GpuSeries gpu1 = plot.gpus().get(1);
        assertThat(points(gpu1, Measure.TEMPERATURE)).extracting(Point::value).containsExactly(71.0, 72.0);
        assertThat(gpu1.throttledSamples()).isEqualTo(1); // 0x40 HW thermal; 0x04 SW power cap is not throttling
        assertThat(gpu0.throttledSamples()).isZero();
    }

    @Test
    void readsTimestampsByTheParsersRuleOnly() throws Exception {
        // One rule for the gates and the plots (issue 17): the plot reader used to accept day 31 of
        // any month and ISO forms the parser refuses.
        Path csv = tmp.resolve("telemetry.csv");
        Files.writeString(csv, HEADER
                + "2026/11/28 10:00:00.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "2026/11/31 10:00:01.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "2026-11-28T10:00:02.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "2026/11/28 10:00:03, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n");
        Plot plot = TelemetryPlotReader.read(csv);
        assertThat(plot.rows()).isEqualTo(2);
        assertThat(plot.skipped()).isEqualTo(2);
        assertThat(plot.problems()).containsExactly(
                "line 3: not an nvidia-smi timestamp (YYYY/MM/DD HH:MM:SS.mmm): '2026/11/31 10:00:01.000'",
                "line 4: not an nvidia-smi timestamp (YYYY/MM/DD HH:MM:SS.mmm): '2026-11-28T10:00:02.000'");
        assertThat(plot.durationS()).isEqualTo(3.0);
    }

    @Test
    void skipsWhatItCannotReadAndSaysWhere() throws Exception {
        Path csv = tmp.resolve("telemetry.csv");
        Files.writeString(csv, "2026/11/28 09:59:59.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + HEADER
                + "2026/11/28 10:00:00.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "garbage\u0000\u0001, 1\n"
                + "yesterday, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "2026/11/28 10:00:01.000, x, [N/A], P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "2026/11/28 10:00:02.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4\n"
                + "x".repeat(100_000) + "\n"
                + HEADER
                + "2026/11/28 10:00:03.000, 0, GPU-aaaa, P1, 71, 510, 575, 100, 2740, 0x4");
        Plot plot = TelemetryPlotReader.read(csv);
        assertThat(plot.rows()).isEqualTo(3);
        assertThat(plot.skipped()).isEqualTo(5);
        // The parser's own words (one reader, TelemetryRows), where the parser would fail the log.
        assertThat(plot.problems()).containsExactly(
                "line 1: data before the header line: the columns are unknown (no header line and no fields option)",
                "line 4: 2 values where the header has 10: wrong columns or a cut line",
                "line 5: not an nvidia-smi timestamp (YYYY/MM/DD HH:MM:SS.mmm): 'yesterday'",
                "line 6: neither a GPU uuid nor an index", "line 8: line longer than 65536 bytes");
        assertThat(plot.durationS()).isEqualTo(3.0);
    }

    @Test
    void aGapInSamplingBreaksTheLineButRegularSamplingDoesNot() throws Exception {
        Path csv = tmp.resolve("telemetry.csv");
        StringBuilder text = new StringBuilder(HEADER);
        for (int s = 0; s < 600; s += 30) { // every 30 s, then nothing for 90 s (3 intervals and more than 60 s)
            int t = s < 300 ? s : s + 90;
            text.append(String.format("2026/11/28 10:%02d:%02d.000, 0, GPU-aaaa, P1, 70, 510, 575, 100, 2740, 0x4%n",
                    t / 60, t % 60));
        }
        Files.writeString(csv, text);
        GpuSeries g = TelemetryPlotReader.read(csv).gpus().get(0);
        assertThat(g.segments().get(Measure.TEMPERATURE)).hasSize(2);
        assertThat(g.segments().get(Measure.TEMPERATURE).get(0)).last().extracting(Point::t).isEqualTo(270.0);
        assertThat(g.segments().get(Measure.TEMPERATURE).get(1)).first().extracting(Point::t).isEqualTo(390.0);
    }

    @Test
    void aDayOfFourGpusBecomesABoundedPlotThatKeepsTheExtremes() throws Exception {
        Path csv = tmp.resolve("telemetry.csv");
        ReportFixture.telemetry(csv, 86_400, 5);
        Plot plot = TelemetryPlotReader.read(csv);
        assertThat(plot.gpus()).hasSize(4);
        assertThat(plot.rows()).isEqualTo(4L * (86_400 - 600) / 5);
        for (GpuSeries g : plot.gpus()) {
            for (Measure m : Measure.values()) {
                assertThat(g.segments().get(m)).as("the 10-minute gap splits the line").hasSize(2);
                assertThat(points(g, m).size()).isLessThanOrEqualTo(2 * TelemetryPlotReader.DEFAULT_BUCKETS);
            }
        }
        // GPU 2 ran 20 C hotter and throttled (0x44) for a while: both survive downsampling.
        GpuSeries hot = plot.gpus().get(2);
        double plottedMax = points(hot, Measure.TEMPERATURE).stream().mapToDouble(Point::value).max().orElseThrow();
        assertThat(plottedMax).isEqualTo(hot.maxima().get(Measure.TEMPERATURE)).isGreaterThan(90);
        double plottedMin = points(hot, Measure.SM_CLOCK).stream().mapToDouble(Point::value).min().orElseThrow();
        assertThat(plottedMin).isEqualTo(1800);
        assertThat(hot.throttledSamples()).isGreaterThan(0);
        assertThat(hot.throttleSpans()).hasSize(1);
        assertThat(hot.throttleSpans().get(0)[0]).isBetween(86_400 / 4.0 - 600, 86_400 / 4.0 + 600);
        assertThat(plot.gpus().get(0).throttledSamples()).isZero();
        assertThat(plot.gpus().get(0).throttleSpans()).isEmpty();
        assertThat(plot.problems()).isEmpty();
    }

    @Test
    void keysGpusByIndexWhenTheUuidIsMissing() throws Exception {
        Path csv = tmp.resolve("telemetry.csv");
        Files.writeString(csv, "timestamp, index, temperature.gpu\n2026/11/28 10:00:00.000, 3, 50\n"
                + "2026/11/28 10:00:01.000, 3, 51\n");
        Plot plot = TelemetryPlotReader.read(csv);
        assertThat(plot.gpus()).singleElement().satisfies(g -> {
            assertThat(g.index()).isEqualTo("3");
            assertThat(g.uuid()).isNull();
        });
        assertThat(plot.measures()).containsExactly(Measure.TEMPERATURE);
    }

    static List<Point> points(GpuSeries g, Measure m) {
        return g.segments().get(m).stream().flatMap(List::stream).toList();
    }
}
