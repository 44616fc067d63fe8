package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress reader over a growing telemetry file (rows: SYNTHETIC, in sample-telemetry.sh's format). */
class TelemetryFollowerTest {
    static final String HEADER = "timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W],"
            + " utilization.gpu [%], utilization.memory [%], memory.used [MiB], clocks.sm [MHz], clocks.mem [MHz],"
            + " pcie.link.gen.current, pcie.link.width.current, fan.speed [%], clocks_event_reasons.active\n";

    @TempDir
    Path tmp;

    static String row(int second, int gpu, int temp, String mask) {
        return String.format("2026/11/28 10:00:%02d.000, %d, GPU-%d, P1, %d, 512.33, 575.00, 100, 35, 30521, 2745,"
                + " 14001, 5, 16, 68, %s%n", second, gpu, gpu, temp, mask);
    }

    void append(Path f, String text) throws Exception {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsOnlyWhatWasAppendedAndWaitsForWholeLines() throws Exception {
        Path f = tmp.resolve("telemetry.csv");
        TelemetryFollower follower = new TelemetryFollower(f);
        follower.poll(); // no file yet
        assertThat(follower.snapshot().describe()).isEqualTo("no telemetry sample yet");

        append(f, HEADER + row(0, 0, 60, "0x0000000000000004") + row(0, 1, 65, "0x0000000000000004"));
        String half = row(1, 0, 70, "0x0000000000000044");
        append(f, half.substring(0, 20));
        follower.poll();
        assertThat(follower.snapshot().rows()).isEqualTo(2);
        assertThat(follower.snapshot().hottest().index()).isEqualTo("1");

        append(f, half.substring(20) + row(1, 1, 66, "0x0000000000000004"));
        follower.poll();
        TelemetryFollower.Snapshot s = follower.snapshot();
        assertThat(s.rows()).isEqualTo(4);
        assertThat(s.hottest().index()).isEqualTo("0");
        assertThat(s.hottest().temperatureC()).isEqualTo(70.0);
        assertThat(s.throttleEvents()).as("one throttled sample is not yet an event").isZero();

        // A second throttled sample in a row is an event; more of the same run is the same event.
        append(f, row(2, 0, 69, "0x0000000000000044") + row(2, 1, 66, "0x0000000000000004")
                + row(3, 0, 68, "0x0000000000000020") + row(3, 1, 66, "0x0000000000000004"));
        follower.poll();
        s = follower.snapshot();
        assertThat(s.throttleEvents()).isEqualTo(1);
        assertThat(s.maxTemperatureC()).isEqualTo(70.0);
        assertThat(s.hottest().temperatureC()).isEqualTo(68.0);

        // The run ends and a new one starts: a second event. 0x04 alone is no throttle.
        append(f, row(4, 0, 60, "0x0000000000000004") + row(5, 0, 60, "0x0000000000000008")
                + row(6, 0, 60, "0x0000000000000080") + "garbage line\n" + HEADER);
        follower.poll();
        s = follower.snapshot();
        assertThat(s.throttleEvents()).isEqualTo(2);
        assertThat(s.unreadable()).isEqualTo(1);
        assertThat(s.describe()).isEqualTo("2 GPUs, hottest GPU 1 at 66 C (max so far 70 C), throttle events so far: 2,"
                + " unreadable lines: 1");
    }

    @Test
    void countsThrottleEventsAsTheTelemetryParserDoes() throws Exception {
        // The class promises the parser's rule (two consecutive samples with a throttle bit of
        // NvidiaCodes); checked here on random logs with long throttle runs, fed in pieces.
        for (long seed = 1; seed <= 20; seed++) {
            java.util.Random r = new java.util.Random(seed);
            StringBuilder log = new StringBuilder(HEADER);
            boolean[] on = new boolean[3];
            for (int k = 0; k < 300; k++) {
                for (int g = 0; g < 3; g++) {
                    if (r.nextInt(6) == 0) {
                        on[g] = !on[g];
                    }
                    String mask = r.nextInt(25) == 0 ? "[N/A]" : on[g] ? (r.nextBoolean() ? "0x0000000000000008" : "0x00000000000000A4")
                            : "0x0000000000000004";
                    log.append(String.format("2026/11/28 %02d:%02d:%02d.%03d, %d, GPU-%d, P1, 70, 512.33, 575.00, 100, 35,"
                            + " 30521, 2745, 14001, 5, 16, 68, %s%n", 10 + k / 3600, k / 60 % 60, k % 60, g, g, g, mask));
                }
            }
            Path f = tmp.resolve("t" + seed + ".csv");
            TelemetryFollower follower = new TelemetryFollower(f);
            String text = log.toString();
            for (int from = 0; from < text.length(); ) {
                int to = Math.min(text.length(), from + 1 + r.nextInt(5000));
                append(f, text.substring(from, to));
                follower.poll();
                from = to;
            }
            io.vaultcube.pipeline.evidence.MetricSet m = new io.vaultcube.pipeline.parse.nvidia.TelemetryParser()
                    .parse(io.vaultcube.pipeline.parse.ParseInput.of(f));
            for (TelemetryFollower.GpuState g : follower.snapshot().gpus()) {
                assertThat((double) g.throttleEvents()).as("seed " + seed + ", GPU " + g.index())
                        .isEqualTo(m.get("telemetry.gpu[" + g.index() + "].throttle_events").orElseThrow().number()
                                .orElseThrow());
            }
        }
    }
}
