package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.Quantity;
import io.vaultcube.pipeline.parse.nvidia.TelemetryRows;
import io.vaultcube.pipeline.parse.nvidia.ThrottleEvents;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a growing telemetry CSV (sample-telemetry.sh's format) for progress lines: reads only what was
 * appended since the last {@link #poll()}, line by line, and keeps a fixed amount of state per GPU
 * (latest and highest temperature, throttle events so far), so memory stays flat over a 24-hour
 * run. It is for the person watching; the stage's metrics come from the telemetry parser at the
 * end. It reads rows with the parser's reader ({@link TelemetryRows}: one timestamp rule, one value
 * rule) and counts throttle events with the parser's counter ({@link ThrottleEvents}); a line the
 * parser would refuse is counted as unreadable here, never fatal.
 */
public final class TelemetryFollower {
    private static final int MAX_GPUS = 64;

    private final Path file;
    private long offset;
    private final TelemetryRows.Lines lines = new TelemetryRows.Lines();
    private TelemetryRows rows;
    private final Map<String, Gpu> gpus = new LinkedHashMap<>();
    private long count;
    private long unreadable;
    private String lastTimestamp;
    private final TelemetryRows.Lines.Sink sink = new TelemetryRows.Lines.Sink() {
        @Override
        public void line(byte[] b, int s, int e, long number) {
            read(b, s, e, number);
        }

        @Override
        public void tooLong(long number) {
            unreadable++;
        }
    };

    private static final class Gpu {
        final String index;
        double temp = Double.NaN;
        double maxTemp = Double.NaN;
        final ThrottleEvents throttle = new ThrottleEvents();

        Gpu(String index) {
            this.index = index;
        }
    }

    public TelemetryFollower(Path file) {
        this.file = file;
        this.rows = new TelemetryRows(file.toString());
    }

    /** Reads what was appended since the last call; a file that is not there yet is no error. */
    public synchronized void poll() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        // RandomAccessFile, not a channel: an interrupt (an abort) must not close the file under us.
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length < offset) {
                offset = 0; // the file was replaced (a sampler restarted without appending)
                lines.reset();
                rows = new TelemetryRows(file.toString());
            }
            in.seek(offset);
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                offset += n;
                lines.feed(buf, 0, n, sink); // a line without its newline yet waits for the next poll
            }
        } catch (IOException e) {
            // The next poll tries again; progress is informational.
        }
    }

    private void read(byte[] b, int s, int e, long number) {
        try {
            if (rows.line(b, s, e, number) != TelemetryRows.Kind.ROW) {
                return;
            }
            TelemetryRows.Columns c = rows.columns();
            String uuid = c.uuid < 0 ? null : rows.text(c.uuid);
            String index = c.index < 0 ? null : rows.text(c.index);
            if (uuid == null || index == null) {
                unreadable++;
                return;
            }
            rows.millis(); // a row with no readable time is unreadable: the parser's clock rule
            double t = c.temperature < 0 ? Double.NaN : rows.number(c.temperature, Quantity.TEMPERATURE_C);
            long mask = rows.throttleMask();
            Gpu g = gpus.get(uuid);
            if (g == null) {
                if (gpus.size() >= MAX_GPUS) {
                    unreadable++;
                    return;
                }
                g = new Gpu(index);
                gpus.put(uuid, g);
            }
            count++;
            lastTimestamp = rows.raw(c.timestamp);
            g.temp = t;
            if (!Double.isNaN(t) && (Double.isNaN(g.maxTemp) || t > g.maxTemp)) {
                g.maxTemp = t;
            }
            g.throttle.sample(mask);
        } catch (ParseException refused) {
            unreadable++;
        }
    }

    /** What was read so far. */
    public synchronized Snapshot snapshot() {
        List<GpuState> list = new ArrayList<>();
        for (Gpu g : gpus.values()) {
            list.add(new GpuState(g.index, g.temp, g.maxTemp, g.throttle.events()));
        }
        return new Snapshot(count, unreadable, lastTimestamp, list);
    }

    /**
     * One GPU's state.
     *
     * @param index its nvidia-smi index
     * @param temperatureC its latest temperature (NaN when unknown)
     * @param maxTemperatureC its highest so far (NaN when unknown)
     * @param throttleEvents throttle events so far
     */
    public record GpuState(String index, double temperatureC, double maxTemperatureC, long throttleEvents) {
    }

    /**
     * The telemetry read so far.
     *
     * @param rows rows read (one per GPU per sample)
     * @param unreadable lines that were neither a header nor a row
     * @param lastTimestamp the latest row's timestamp, or null
     * @param gpus per GPU, in order of appearance
     */
    public record Snapshot(long rows, long unreadable, String lastTimestamp, List<GpuState> gpus) {
        public long throttleEvents() {
            return gpus.stream().mapToLong(GpuState::throttleEvents).sum();
        }

        /** The GPU with the highest latest temperature, or null when none has one. */
        public GpuState hottest() {
            GpuState hot = null;
            for (GpuState g : gpus) {
                if (!Double.isNaN(g.temperatureC()) && (hot == null || g.temperatureC() > hot.temperatureC())) {
                    hot = g;
                }
            }
            return hot;
        }

        /** The highest temperature of any GPU so far, NaN when none. */
        public double maxTemperatureC() {
            return gpus.stream().mapToDouble(GpuState::maxTemperatureC).filter(d -> !Double.isNaN(d)).max()
                    .orElse(Double.NaN);
        }

        /** One line for the console. */
        public String describe() {
            if (rows == 0) {
                return "no telemetry sample yet";
            }
            GpuState hot = hottest();
            StringBuilder s = new StringBuilder();
            s.append(gpus.size()).append(gpus.size() == 1 ? " GPU" : " GPUs");
            if (hot != null) {
                s.append(String.format(Locale.ROOT, ", hottest GPU %s at %.0f C (max so far %.0f C)", hot.index(),
                        hot.temperatureC(), maxTemperatureC()));
            } else {
                s.append(", temperature unknown");
            }
            s.append(", throttle events so far: ").append(throttleEvents());
            if (unreadable > 0) {
                s.append(", unreadable lines: ").append(unreadable);
            }
            return s.toString();
        }
    }
}
