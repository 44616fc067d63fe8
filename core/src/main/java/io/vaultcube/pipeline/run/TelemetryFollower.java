package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.parse.nvidia.NvidiaCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Follows a growing telemetry CSV (sample-telemetry.sh's format) for progress lines: reads only what was
 * appended since the last {@link #poll()}, line by line, and keeps a fixed amount of state per GPU
 * (latest and highest temperature, throttle events so far), so memory stays flat over a 24-hour
 * run. It is for the person watching; the stage's metrics come from the telemetry parser at the
 * end. Lines it cannot read are counted, never fatal.
 *
 * <p>A throttle event is counted as the telemetry parser counts it: two or more consecutive samples
 * of one GPU with any of the clock event bits 0x08 (HW slowdown), 0x20 (SW thermal), 0x40 (HW
 * thermal), 0x80 (HW power brake); 0x04 (SW power cap) is normal under load.
 */
public final class TelemetryFollower {
    private static final int MAX_LINE = 1 << 16;
    private static final int MAX_GPUS = 64;

    private final Path file;
    private long offset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private boolean skipping;
    private Map<String, Integer> columns;
    private final Map<String, Gpu> gpus = new LinkedHashMap<>();
    private long rows;
    private long unreadable;
    private String lastTimestamp;

    private static final class Gpu {
        final String index;
        double temp = Double.NaN;
        double maxTemp = Double.NaN;
        int throttleRun;
        long throttleEvents;

        Gpu(String index) {
            this.index = index;
        }
    }

    public TelemetryFollower(Path file) {
        this.file = file;
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
                partial.reset();
            }
            in.seek(offset);
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                offset += n;
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        append(buf, start, i - start);
                        if (!skipping) {
                            line(partial.toString(StandardCharsets.UTF_8));
                        } else {
                            unreadable++;
                        }
                        partial.reset();
                        skipping = false;
                        start = i + 1;
                    }
                }
                append(buf, start, n - start);
            }
        } catch (IOException e) {
            // The next poll tries again; progress is informational.
        }
    }

    private void append(byte[] buf, int start, int len) {
        if (skipping || len <= 0) {
            return;
        }
        if (partial.size() + len > MAX_LINE) {
            skipping = true; // not a telemetry line; drop it up to its newline
            partial.reset();
            return;
        }
        partial.write(buf, start, len);
    }

    private void line(String raw) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return;
        }
        String[] parts = line.split(",", -1);
        if (Character.isLetter(line.charAt(0))) {
            Map<String, Integer> cols = new HashMap<>();
            for (int i = 0; i < parts.length; i++) {
                String name = parts[i].strip();
                int bracket = name.indexOf(" [");
                cols.put(bracket > 0 ? name.substring(0, bracket) : name, i);
            }
            if (cols.containsKey("uuid") && cols.containsKey("index")) {
                columns = cols;
            } else {
                unreadable++;
            }
            return;
        }
        if (columns == null || parts.length != columns.size()) {
            unreadable++;
            return;
        }
        String uuid = value(parts, "uuid");
        String index = value(parts, "index");
        if (uuid == null || index == null) {
            unreadable++;
            return;
        }
        Gpu g = gpus.get(uuid);
        if (g == null) {
            if (gpus.size() >= MAX_GPUS) {
                unreadable++;
                return;
            }
            g = new Gpu(index);
            gpus.put(uuid, g);
        }
        rows++;
        String ts = value(parts, "timestamp");
        if (ts != null) {
            lastTimestamp = ts;
        }
        double t = number(value(parts, "temperature.gpu"));
        g.temp = t;
        if (!Double.isNaN(t) && (Double.isNaN(g.maxTemp) || t > g.maxTemp)) {
            g.maxTemp = t;
        }
        String mask = value(parts, "clocks_event_reasons.active");
        if (mask == null) {
            mask = value(parts, "clocks_throttle_reasons.active");
        }
        long bits = hex(mask);
        if (bits >= 0 && NvidiaCodes.throttling(bits)) {
            if (++g.throttleRun == 2) {
                g.throttleEvents++;
            }
        } else {
            g.throttleRun = 0;
        }
    }

    private String value(String[] parts, String column) {
        Integer i = columns.get(column);
        if (i == null) {
            return null;
        }
        String v = parts[i].strip();
        return v.isEmpty() ? null : v;
    }

    private static double number(String v) {
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN; // [N/A] and friends
        }
    }

    private static long hex(String v) {
        if (v == null || !v.regionMatches(true, 0, "0x", 0, 2) || v.length() > 18) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(v.substring(2), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** What was read so far. */
    public synchronized Snapshot snapshot() {
        List<GpuState> list = new ArrayList<>();
        for (Gpu g : gpus.values()) {
            list.add(new GpuState(g.index, g.temp, g.maxTemp, g.throttleEvents));
        }
        return new Snapshot(rows, unreadable, lastTimestamp, list);
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
