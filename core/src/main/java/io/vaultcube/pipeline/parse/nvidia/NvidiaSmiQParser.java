package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code nvidia-smi -q} text (kind {@code nvidia-smi-q}): per GPU block ({@code GPU 00000000:02:00.0},
 * in index order) the T.Limit temperatures (margins on newer drivers, absolutes on older ones),
 * BAR1 and FB totals, PCIe generation and width (max, current, device, host), ECC mode, remapped
 * rows, power limits and clock event (throttle) reasons. Keys are found by their section path,
 * matched on its last parts, so renamed parent sections (Power Readings → GPU Power Readings, Clocks
 * Throttle Reasons → Clocks Event Reasons) do not matter. {@code N/A} and "Requested functionality
 * has been deprecated" leave a metric out; {@code [GPU requires reset]} and {@code ERR!} are refused.
 * The number of GPU blocks must equal {@code Attached GPUs}, or the output is refused as cut short.
 * Names differ from the {@code nvidia-smi} CSV kind's (the gpu stage holds both): e.g.
 * {@code gpu[i].pcie.gen_current}, {@code gpu[i].temperature.current_c}.
 */
public final class NvidiaSmiQParser implements EvidenceParser {
    /** Section-path suffix → metric (after gpu[i].) and unit; numbers. */
    private static final String[][] NUMBERS = {
        {"PCIe Generation/Max", "pcie.gen_max", null},
        {"PCIe Generation/Current", "pcie.gen_current", null},
        {"PCIe Generation/Device Current", "pcie.gen_device_current", null},
        {"PCIe Generation/Device Max", "pcie.gen_device_max", null},
        {"PCIe Generation/Host Max", "pcie.gen_host_max", null},
        {"Link Width/Max", "pcie.width_max", null},
        {"Link Width/Current", "pcie.width_current", null},
        {"BAR1 Memory Usage/Total", "bar1_total_mib", "MiB"},
        {"FB Memory Usage/Total", "fb_total_mib", "MiB"},
        {"Temperature/GPU Current Temp", "temperature.current_c", "C"},
        {"Temperature/GPU T.Limit Temp", "temperature.tlimit_c", "C"},
        {"Temperature/GPU Shutdown T.Limit Temp", "temperature.shutdown_tlimit_c", "C"},
        {"Temperature/GPU Slowdown T.Limit Temp", "temperature.slowdown_tlimit_c", "C"},
        {"Temperature/GPU Max Operating T.Limit Temp", "temperature.max_operating_tlimit_c", "C"},
        {"Temperature/GPU Shutdown Temp", "temperature.shutdown_c", "C"},
        {"Temperature/GPU Slowdown Temp", "temperature.slowdown_c", "C"},
        {"Temperature/GPU Max Operating Temp", "temperature.max_operating_c", "C"},
        {"Power Readings/Current Power Limit", "power.limit_w", "W"},
        {"Power Readings/Power Limit", "power.limit_w", "W"},
        {"Power Readings/Default Power Limit", "power.default_limit_w", "W"},
        {"Power Readings/Min Power Limit", "power.min_limit_w", "W"},
        {"Power Readings/Max Power Limit", "power.max_limit_w", "W"},
        {"Remapped Rows/Correctable Error", "remapped_rows.correctable", null},
        {"Remapped Rows/Uncorrectable Error", "remapped_rows.uncorrectable", null},
    };
    private static final String[][] TEXTS = {
        {"Product Name", "name"},
        {"GPU UUID", "uuid"},
        {"ECC Mode/Current", "ecc_mode"},
        {"Remapped Rows/Pending", "remapped_rows.pending"},
        {"Remapped Rows/Remapping Failure Occurred", "remapped_rows.failure"},
        {"Performance State", "pstate"},
    };

    @Override
    public String kind() {
        return "nvidia-smi-q";
    }

    @Override
    public String description() {
        return "nvidia-smi -q text: T.Limit temperatures, BAR1, PCIe gen/width, ECC, remapped rows, power limits, clock events";
    }

    private static final class Gpu {
        final String busId;
        final long line;
        final Map<String, Metric> metrics = new LinkedHashMap<>();
        final Map<String, Boolean> events = new LinkedHashMap<>();
        long eventsLine;

        Gpu(String busId, long line) {
            this.busId = busId;
            this.line = line;
        }
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        List<Gpu> gpus = new ArrayList<>();
        long attached = -1;
        long attachedLine = 0;
        String driver = null;
        long driverLine = 0;
        String cuda = null;
        long cudaLine = 0;
        boolean sawLog = false;
        List<String> path = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        try (LineReader lines = LineReader.open(input)) {
            Gpu gpu = null;
            while (lines.next()) {
                String raw = lines.text();
                if (raw.isBlank()) {
                    continue;
                }
                long n = lines.lineNumber();
                if (raw.contains("NVSMI LOG")) {
                    sawLog = true;
                    continue;
                }
                int indent = 0;
                while (indent < raw.length() && raw.charAt(indent) == ' ') {
                    indent++;
                }
                String text = raw.trim();
                int colon = text.indexOf(" : ");
                String key = colon < 0 ? (text.endsWith(":") ? text.substring(0, text.length() - 1).trim() : text)
                        : text.substring(0, colon).trim();
                String value = colon < 0 ? null : text.substring(colon + 3).trim();
                if (indent == 0) {
                    path.clear();
                    indents.clear();
                    if (key.startsWith("GPU ") && value == null) {
                        gpu = new Gpu(key.substring(4).trim(), n);
                        gpus.add(gpu);
                    } else if (value != null) {
                        gpu = null;
                        switch (key) {
                            case "Attached GPUs":
                                attached = Numbers.parseLong(value);
                                if (attached < 0) {
                                    throw lines.error("Attached GPUs is not a count: " + value);
                                }
                                attachedLine = n;
                                break;
                            case "Driver Version":
                                driver = value;
                                driverLine = n;
                                break;
                            case "CUDA Version":
                                cuda = value;
                                cudaLine = n;
                                break;
                            default:
                                break;
                        }
                    } else {
                        throw lines.error("not an nvidia-smi -q line: " + abbreviate(text));
                    }
                    continue;
                }
                if (gpu == null) {
                    throw lines.error("an indented line outside any GPU block: " + abbreviate(text));
                }
                while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                    indents.remove(indents.size() - 1);
                    path.remove(path.size() - 1);
                }
                String full = String.join("/", path) + (path.isEmpty() ? "" : "/") + key;
                if (value == null) {
                    path.add(key);
                    indents.add(indent);
                    continue;
                }
                if (value.isEmpty()) {
                    throw lines.error("no value for " + key);
                }
                value(lines, gpu, full, key, value, n);
            }
            if (gpus.isEmpty()) {
                throw lines.errorAtEnd(sawLog ? "no GPU block in the NVSMI log" : "not nvidia-smi -q output: no NVSMI LOG and no GPU block");
            }
        }
        if (attached >= 0 && attached != gpus.size()) {
            throw new ParseException(input.sourceName(), attachedLine, "Attached GPUs says " + attached + " but the output has "
                    + gpus.size() + " GPU blocks: cut short?");
        }
        MetricSet m = new MetricSet();
        if (attached >= 0) {
            m.add(Metric.number("nvsmi.attached_gpus", attached, null, input.at(attachedLine)));
        }
        if (driver != null) {
            m.add(Metric.text("nvsmi.driver_version", driver, input.at(driverLine)));
        }
        if (cuda != null) {
            m.add(Metric.text("nvsmi.cuda_version", cuda, input.at(cudaLine)));
        }
        double bar1Min = Double.NaN;
        boolean bar1All = true;
        for (int i = 0; i < gpus.size(); i++) {
            Gpu g = gpus.get(i);
            MetricName base = MetricName.root("gpu").at(i);
            m.add(Metric.text(base.child("bus_id"), g.busId, input.at(g.line)));
            for (Metric x : g.metrics.values()) {
                m.add(new Metric(child(base, x.name().toString()), x.value(), x.unit(), x.source()));
            }
            if (!g.events.isEmpty()) {
                boolean throttled = false;
                for (Map.Entry<String, Boolean> e : g.events.entrySet()) {
                    m.add(Metric.bool(base.child("clock_event").child(e.getKey()), e.getValue(), input.at(g.eventsLine)));
                }
                for (String t : NvidiaCodes.THROTTLE_REASON_NAMES) {
                    throttled |= Boolean.TRUE.equals(g.events.get(t));
                }
                m.add(Metric.bool(base.child("clock_event").child("throttled"), throttled, input.at(g.eventsLine)));
            }
            Metric bar1 = g.metrics.get("bar1_total_mib");
            if (bar1 == null) {
                bar1All = false;
            } else {
                double v = bar1.number().orElseThrow();
                bar1Min = Double.isNaN(bar1Min) ? v : Math.min(bar1Min, v);
            }
        }
        if (bar1All && !Double.isNaN(bar1Min)) {
            m.add(Metric.number("gpu.bar1_total_mib.min", bar1Min, "MiB", input.whole()));
        }
        return m;
    }

    private static MetricName child(MetricName base, String dotted) {
        MetricName n = base;
        for (String part : dotted.split("\\.")) {
            n = n.child(part);
        }
        return n;
    }

    private static void value(LineReader lines, Gpu gpu, String full, String key, String value, long n) throws ParseException {
        Sentinels.Kind kind = Sentinels.classify(value);
        if (kind == Sentinels.Kind.FAULT) {
            throw lines.error("GPU fault: nvidia-smi reports " + value + " for " + key);
        }
        if (full.contains("Clocks Event Reasons/") || full.contains("Clocks Throttle Reasons/")) {
            if (kind == Sentinels.Kind.MISSING) {
                return;
            }
            boolean active;
            if (value.equals("Active")) {
                active = true;
            } else if (value.equals("Not Active")) {
                active = false;
            } else {
                throw lines.error("a clock event reason that is neither Active nor Not Active: " + value);
            }
            String id = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
            if (id.isEmpty() || !Character.isLetter(id.charAt(0))) {
                throw lines.error("a clock event reason without a name");
            }
            if (gpu.events.put(id, active) != null) {
                throw lines.error("clock event reason " + key + " twice");
            }
            gpu.eventsLine = n;
            return;
        }
        for (String[] t : TEXTS) {
            if (matches(full, t[0])) {
                if (kind != Sentinels.Kind.MISSING) {
                    put(lines, gpu, Metric.text(t[1], value, io.vaultcube.pipeline.evidence.EvidenceSource.line(lines.sourceName(), n)));
                }
                return;
            }
        }
        for (String[] num : NUMBERS) {
            if (matches(full, num[0])) {
                if (kind == Sentinels.Kind.MISSING) {
                    return;
                }
                String v = value;
                int space = v.indexOf(' ');
                String number = space < 0 ? v : v.substring(0, space);
                if (number.endsWith("x")) {
                    number = number.substring(0, number.length() - 1); // link width "16x"
                }
                double d = Numbers.parseDouble(number);
                if (Double.isNaN(d)) {
                    throw lines.error("not a number for " + key + ": " + value);
                }
                put(lines, gpu, Metric.number(num[1], d, num[2], io.vaultcube.pipeline.evidence.EvidenceSource.line(lines.sourceName(), n)));
                return;
            }
        }
    }

    /** The path ends with the suffix at a section or word boundary ("GPU Power Readings/..." matches "Power Readings/..."). */
    private static boolean matches(String path, String suffix) {
        if (!path.endsWith(suffix)) {
            return false;
        }
        int before = path.length() - suffix.length() - 1;
        return before < 0 || path.charAt(before) == '/' || path.charAt(before) == ' ';
    }

    private static void put(LineReader lines, Gpu gpu, Metric metric) throws ParseException {
        String name = metric.name().toString();
        if (gpu.metrics.containsKey(name)) {
            throw lines.error(name + " twice in the block of GPU " + gpu.busId);
        }
        gpu.metrics.put(name, metric);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
