package io.vaultcube.pipeline.parse.nvidia;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The telemetry summary computed the naive way (whole file in memory, lists sorted), as an
 * independent check of the streaming parser. Only for the well-formed logs the tests make.
 */
final class TelemetryOracle {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS");

    static final class Gpu {
        String uuid;
        List<Long> ts = new ArrayList<>();
        List<Double> temp = new ArrayList<>();
        List<Double> util = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        List<Integer> loadedGen = new ArrayList<>();
        List<Integer> loadedWidth = new ArrayList<>();
        List<Long> masks = new ArrayList<>();
    }

    static Map<String, Double> summary(String text, Double intervalOption) {
        Map<Integer, Gpu> gpus = new TreeMap<>();
        List<String> header = null;
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(",");
            List<String> v = new ArrayList<>();
            for (String p : parts) {
                v.add(p.trim());
            }
            if (v.get(0).startsWith("timestamp")) {
                header = new ArrayList<>();
                for (String h : v) {
                    header.add(h.replaceAll(" \\[.*\\]$", ""));
                }
                continue;
            }
            int idx = Integer.parseInt(v.get(header.indexOf("index")));
            Gpu g = gpus.computeIfAbsent(idx, k -> new Gpu());
            g.uuid = v.get(header.indexOf("uuid"));
            g.ts.add(LocalDateTime.parse(v.get(header.indexOf("timestamp")), TS).toInstant(ZoneOffset.UTC).toEpochMilli());
            double t = Double.parseDouble(v.get(header.indexOf("temperature.gpu")));
            double u = Double.parseDouble(v.get(header.indexOf("utilization.gpu")));
            g.temp.add(t);
            g.util.add(u);
            g.ratio.add(Double.parseDouble(v.get(header.indexOf("power.draw"))) / Double.parseDouble(v.get(header.indexOf("power.limit"))));
            if (u >= 50) {
                g.loadedGen.add(Integer.parseInt(v.get(header.indexOf("pcie.link.gen.current"))));
                g.loadedWidth.add(Integer.parseInt(v.get(header.indexOf("pcie.link.width.current"))));
            }
            g.masks.add(Long.decode(v.get(header.indexOf("clocks_event_reasons.active"))));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        List<Long> steps = new ArrayList<>();
        long samples = 0;
        List<Double> allTemp = new ArrayList<>();
        List<Double> allUtil = new ArrayList<>();
        List<Double> allRatio = new ArrayList<>();
        for (Gpu g : gpus.values()) {
            start = Math.min(start, g.ts.get(0));
            end = Math.max(end, g.ts.get(g.ts.size() - 1));
            for (int i = 1; i < g.ts.size(); i++) {
                steps.add((g.ts.get(i) - g.ts.get(i - 1) + 5) / 10 * 10);
            }
            samples += g.ts.size();
            allTemp.addAll(g.temp);
            allUtil.addAll(g.util);
            allRatio.addAll(g.ratio);
        }
        double duration = (end - start) / 1000.0;
        out.put("telemetry.gpus", (double) gpus.size());
        out.put("telemetry.samples", (double) samples);
        out.put("telemetry.duration_s", duration);
        // One sample per GPU and no interval given: no step to infer the interval from, so no
        // coverage either (the parser leaves both out rather than guess).
        double expected = Double.NaN;
        if (intervalOption != null || !steps.isEmpty()) {
            double interval = intervalOption != null ? intervalOption : rank(toDoubles(steps), 0.5) / 1000.0;
            expected = Math.floor(duration / interval + 1e-9) + 1;
            out.put("telemetry.interval_s", interval);
            out.put("telemetry.coverage", samples / (gpus.size() * expected));
        }
        long maxGap = 0;
        long events = 0;
        double genMin = Double.MAX_VALUE;
        double widthMin = Double.MAX_VALUE;
        for (Map.Entry<Integer, Gpu> e : gpus.entrySet()) {
            Gpu g = e.getValue();
            String p = "telemetry.gpu[" + e.getKey() + "].";
            long gap = Math.max(g.ts.get(0) - start, end - g.ts.get(g.ts.size() - 1));
            for (int i = 1; i < g.ts.size(); i++) {
                gap = Math.max(gap, g.ts.get(i) - g.ts.get(i - 1));
            }
            maxGap = Math.max(maxGap, gap);
            long ev = 0;
            int run = 0;
            for (long m : g.masks) {
                run = (m & 0xE8) != 0 ? run + 1 : 0;
                if (run == 2) {
                    ev++;
                }
            }
            events += ev;
            out.put(p + "samples", (double) g.ts.size());
            if (!Double.isNaN(expected)) {
                out.put(p + "coverage", g.ts.size() / expected);
            }
            out.put(p + "max_gap_s", gap / 1000.0);
            out.put(p + "temperature_c.max", Collections.max(g.temp));
            out.put(p + "temperature_c.p99", rank(g.temp, 0.99));
            out.put(p + "utilization_pct.median", rank(g.util, 0.5));
            out.put(p + "power_ratio.median", bin(rank(g.ratio, 0.5)));
            out.put(p + "throttle_events", (double) ev);
            if (!g.loadedGen.isEmpty()) {
                double gm = Collections.min(g.loadedGen);
                double wm = Collections.min(g.loadedWidth);
                out.put(p + "pcie_gen_loaded.min", gm);
                out.put(p + "pcie_width_loaded.min", wm);
                genMin = Math.min(genMin, gm);
                widthMin = Math.min(widthMin, wm);
            }
        }
        out.put("telemetry.max_gap_s", maxGap / 1000.0);
        out.put("telemetry.temperature_c.max", Collections.max(allTemp));
        out.put("telemetry.temperature_c.p99", rank(allTemp, 0.99));
        out.put("telemetry.utilization_pct.median", rank(allUtil, 0.5));
        out.put("telemetry.power_ratio.median", bin(rank(allRatio, 0.5)));
        out.put("telemetry.throttle_events", (double) events);
        // Overall only when every GPU was seen loaded: a GPU never loaded has no loaded link to judge,
        // so the minimum over the machine is unknown (the parser leaves it out; its gate fails).
        boolean everyGpuLoaded = gpus.values().stream().noneMatch(g -> g.loadedGen.isEmpty());
        if (everyGpuLoaded && genMin != Double.MAX_VALUE) {
            out.put("telemetry.pcie_gen_loaded.min", genMin);
            out.put("telemetry.pcie_width_loaded.min", widthMin);
        }
        return out;
    }

    private static List<Double> toDoubles(List<Long> l) {
        List<Double> d = new ArrayList<>();
        l.forEach(x -> d.add((double) x));
        return d;
    }

    /** Nearest-rank quantile. */
    static double rank(List<Double> values, double q) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int r = (int) Math.max(1, Math.ceil(q * s.size()));
        return s.get(r - 1);
    }

    private static double bin(double ratio) {
        return Math.round(Math.round(ratio / 0.0005) * 0.0005 * 1e6) / 1e6;
    }
}
