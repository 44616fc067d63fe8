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
}
