package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.Quantity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code nvidia-smi -q} text (kind {@code nvidia-smi-q}): per GPU block ({@code GPU 00000000:02:00.0},
 * in index order) the T.Limit temperatures (margins on newer drivers, absolutes on older ones),
 * BAR1 and FB totals, PCIe generation and width (max, current, device, host), ECC mode, remapped
 * rows, power limits, clock event (throttle) reasons and MIG devices. Keys are found by their
 * section path, matched on its last sections; renamed sections (Power Readings → GPU Power Readings,
 * Clocks Throttle Reasons → Clocks Event Reasons) are read as one. Names are those of the
 * {@code nvidia-smi} CSV kind for the same quantity ({@code gpu[i].temperature_c},
 * {@code gpu[i].pcie_gen_current}), so the gpu stage, which reads both, has one name per quantity.
 *
 * <p>What the layouts of different drivers change: 600-series drivers mark {@code Driver Version}
 * and {@code CUDA Version} "[Deprecated; ... Use KMD Version instead]" and add {@code KMD Version}
 * and {@code CUDA UMD Version}: the clean value is read (the new key first; both must agree), never
 * one with the note attached. A power limit is read wherever its key says what it is ("Current Power
 * Limit", or "Current" under a "Power Limit" heading) in the GPU's power section, not the module's or
 * the memory's. With MIG on, each {@code MIG Device} block has its own (Shared) FB and BAR1 sizes:
 * they are the MIG device's ({@code gpu[i].mig[j].memory_total_mib}), never the GPU's.
 *
 * <p>{@code N/A} and "Requested functionality has been deprecated" leave a metric out;
 * {@code [GPU requires reset]} and {@code ERR!} are refused, as are values outside their physical
 * range ({@link Quantity}). The output is refused as cut short when the number of GPU blocks is not
 * {@code Attached GPUs}, when its last line has no newline, or when the last GPU block lacks
 * sections the first one has.
 */
public final class NvidiaSmiQParser implements EvidenceParser {
    /** Section-path suffix → metric (after gpu[i].), unit and range; numbers. */
    private static final Object[][] NUMBERS = {
        {"PCIe Generation/Max", "pcie_gen_max", null, Quantity.PCIE_GENERATION},
        {"PCIe Generation/Current", "pcie_gen_current", null, Quantity.PCIE_GENERATION},
        {"PCIe Generation/Device Current", "pcie_gen_device_current", null, Quantity.PCIE_GENERATION},
        {"PCIe Generation/Device Max", "pcie_gen_gpumax", null, Quantity.PCIE_GENERATION},
        {"PCIe Generation/Host Max", "pcie_gen_hostmax", null, Quantity.PCIE_GENERATION},
        {"Link Width/Max", "pcie_width_max", null, Quantity.PCIE_WIDTH},
        {"Link Width/Current", "pcie_width_current", null, Quantity.PCIE_WIDTH},
        {"BAR1 Memory Usage/Total", "bar1_total_mib", "MiB", Quantity.MEMORY_MIB},
        {"FB Memory Usage/Total", "memory_total_mib", "MiB", Quantity.MEMORY_MIB},
        {"Temperature/GPU Current Temp", "temperature_c", "C", Quantity.TEMPERATURE_C},
        {"Temperature/GPU T.Limit Temp", "tlimit_c", "C", Quantity.TEMPERATURE_MARGIN_C},
        {"Temperature/GPU Current T.Limit Temp", "tlimit_c", "C", Quantity.TEMPERATURE_MARGIN_C},
        {"Temperature/GPU Shutdown T.Limit Temp", "tlimit_shutdown_c", "C", Quantity.TEMPERATURE_MARGIN_C},
        {"Temperature/GPU Slowdown T.Limit Temp", "tlimit_slowdown_c", "C", Quantity.TEMPERATURE_MARGIN_C},
        {"Temperature/GPU Max Operating T.Limit Temp", "tlimit_max_operating_c", "C", Quantity.TEMPERATURE_MARGIN_C},
        {"Temperature/GPU Shutdown Temp", "temperature_shutdown_c", "C", Quantity.TEMPERATURE_C},
        {"Temperature/GPU Slowdown Temp", "temperature_slowdown_c", "C", Quantity.TEMPERATURE_C},
        {"Temperature/GPU Max Operating Temp", "temperature_max_operating_c", "C", Quantity.TEMPERATURE_C},
        {"Remapped Rows/Correctable Error", "remapped_rows_correctable", null, Quantity.COUNT},
        {"Remapped Rows/Uncorrectable Error", "remapped_rows_uncorrectable", null, Quantity.COUNT},
    };
    private static final String[][] TEXTS = {
        {"Product Name", "name"},
        {"GPU UUID", "uuid"},
        {"ECC Mode/Current", "ecc_mode"},
        {"MIG Mode/Current", "mig_mode"},
        {"Remapped Rows/Pending", "remapped_rows_pending"},
        {"Remapped Rows/Remapping Failure Occurred", "remapped_rows_failure"},
        {"Performance State", "pstate"},
    };
    /** Sections renamed across drivers → the name the tables above use. */
    private static final Map<String, String> SECTION_NAMES = Map.of(
            "GPU Power Readings", "Power Readings",
            "Clocks Throttle Reasons", "Clocks Event Reasons");
    private static final String DEPRECATED = "Deprecated";

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
        /** The sections directly under the GPU line, in order. */
        final Set<String> sections = new LinkedHashSet<>();
        /** MIG devices in order; each one's metrics. */
        final List<Map<String, Metric>> mig = new ArrayList<>();
        final List<Long> migLines = new ArrayList<>();

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
        Version driver = new Version("driver");
        Version cuda = new Version("CUDA");
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
                            case "Attached GPUs" -> {
                                attached = Numbers.parseLong(value);
                                if (attached < 0) {
                                    throw lines.error("Attached GPUs is not a count: " + value);
                                }
                                attachedLine = n;
                            }
                            case "Driver Version" -> driver.legacy(value, lines);
                            case "KMD Version" -> driver.current(value, lines);
                            case "CUDA Version" -> cuda.legacy(value, lines);
                            case "CUDA UMD Version" -> cuda.current(value, lines);
                            default -> {
                            }
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
                String section = SECTION_NAMES.getOrDefault(key, key);
                if (path.isEmpty()) {
                    gpu.sections.add(section);
                }
                String full = String.join("/", path) + (path.isEmpty() ? "" : "/") + section;
                if (value == null) {
                    path.add(section);
                    indents.add(indent);
                    if (key.equals("MIG Device")) {
                        gpu.mig.add(new LinkedHashMap<>());
                        gpu.migLines.add(n);
                    }
                    continue;
                }
                if (value.isEmpty()) {
                    throw lines.error("no value for " + key);
                }
                if (path.contains("MIG Device")) {
                    migValue(lines, gpu, full, key, value, n);
                } else {
                    value(lines, gpu, full, key, value, n);
                }
            }
            if (gpus.isEmpty()) {
                throw lines.errorAtEnd(sawLog ? "no GPU block in the NVSMI log" : "not nvidia-smi -q output: no NVSMI LOG and no GPU block");
            }
            lines.requireNewlineAtEnd("nvidia-smi -q");
            Gpu last = gpus.get(gpus.size() - 1);
            if (gpus.size() > 1) {
                List<String> missing = new ArrayList<>(gpus.get(0).sections);
                missing.removeAll(last.sections);
                if (!missing.isEmpty()) {
                    throw lines.errorAtEnd("cut short: the last GPU block (" + last.busId + ") lacks " + missing
                            + ", which the first has");
                }
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
        driver.add(m, "nvsmi.driver_version", input);
        cuda.add(m, "nvsmi.cuda_version", input);
        double bar1Min = Double.NaN;
        boolean bar1All = true;
        for (int i = 0; i < gpus.size(); i++) {
            Gpu g = gpus.get(i);
            MetricName base = MetricName.root("gpu").at(i);
            m.add(Metric.text(base.child("pci_bus_id"), g.busId, input.at(g.line)));
            for (Metric x : g.metrics.values()) {
                m.add(new Metric(child(base, x.name().toString()), x.value(), x.unit(), x.source()));
            }
            if (!g.mig.isEmpty()) {
                m.add(Metric.number(base.child("mig_devices"), g.mig.size(), null, input.whole()));
                for (int j = 0; j < g.mig.size(); j++) {
                    for (Metric x : g.mig.get(j).values()) {
                        m.add(new Metric(child(base.child("mig").at(j), x.name().toString()), x.value(), x.unit(), x.source()));
                    }
                }
            }
            if (!g.events.isEmpty()) {
                boolean throttled = false;
                for (Map.Entry<String, Boolean> e : g.events.entrySet()) {
                    m.add(Metric.bool(base.child("clock_event").child(e.getKey()), e.getValue(), input.at(g.eventsLine)));
                }
                for (String t : NvidiaCodes.THROTTLE_REASON_NAMES) {
                    throttled |= Boolean.TRUE.equals(g.events.get(t));
                }
                m.add(Metric.bool(base.child("throttled"), throttled, input.at(g.eventsLine)));
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
                    put(lines, gpu.metrics, gpu.busId, Metric.text(t[1], value,
                            io.vaultcube.pipeline.evidence.EvidenceSource.line(lines.sourceName(), n)));
                }
                return;
            }
        }
        for (Object[] num : NUMBERS) {
            if (matches(full, (String) num[0])) {
                if (kind != Sentinels.Kind.MISSING) {
                    double d = number(lines, key, value, (Quantity) num[3]);
                    put(lines, gpu.metrics, gpu.busId, Metric.number((String) num[1], d, (String) num[2],
                            io.vaultcube.pipeline.evidence.EvidenceSource.line(lines.sourceName(), n)));
                }
                return;
            }
        }
        String limit = powerLimit(full);
        if (limit != null && kind != Sentinels.Kind.MISSING) {
            double d = number(lines, key, value, Quantity.POWER_W);
            put(lines, gpu.metrics, gpu.busId, Metric.number(limit, d, "W", io.vaultcube.pipeline.evidence.EvidenceSource.line(lines.sourceName(), n)));
        }
    }

    /**
     * The metric of a power limit at this path, or null: "Current Power Limit" (535+) and "Power
     * Limit" (older) are the limit in force; "X Power Limit" or "X" under a "Power Limit(s)" heading
     * for the default, min and max; only in the GPU's own power section (any heading with "Power"
     * in it, for the layouts that moved the limits), never a module's or the memory's.
     */
    private static String powerLimit(String full) {
        String[] parts = full.split("/");
        String key = parts[parts.length - 1];
        String parent = parts.length > 1 ? parts[parts.length - 2] : "";
        for (String p : parts) {
            if (p.contains("Module") || p.contains("Memory")) {
                return null;
            }
        }
        String role;
        if (key.endsWith("Power Limit") && (parts.length == 1 || full.contains("Power"))) {
            role = key.substring(0, key.length() - "Power Limit".length()).trim();
        } else if (parent.endsWith("Power Limit") || parent.endsWith("Power Limits")) {
            role = key;
        } else {
            return null;
        }
        return switch (role) {
            case "", "Current" -> "power_limit_w";
            case "Default" -> "power_default_limit_w";
            case "Min" -> "power_min_limit_w";
            case "Max" -> "power_max_limit_w";
            default -> null; // Requested, Enforced: not reported
        };
    }

    /** A value of a MIG device block: its index and its own memory sizes. */
    private static void migValue(LineReader lines, Gpu gpu, String full, String key, String value, long n) throws ParseException {
        Sentinels.Kind kind = Sentinels.classify(value);
        if (kind == Sentinels.Kind.FAULT) {
            throw lines.error("GPU fault: nvidia-smi reports " + value + " for " + key);
        }
        if (gpu.mig.isEmpty() || kind == Sentinels.Kind.MISSING) {
            return;
        }
        String metric;
        Quantity q;
        String unit = "MiB";
        if (full.endsWith("MIG Device/Index")) {
            metric = "index";
            q = Quantity.COUNT;
            unit = null;
        } else if (full.endsWith("MIG Device/FB Memory Usage/Total") || full.endsWith("MIG Device/Shared FB Memory Usage/Total")) {
            metric = "memory_total_mib";
            q = Quantity.MEMORY_MIB;
        } else if (full.endsWith("MIG Device/BAR1 Memory Usage/Total") || full.endsWith("MIG Device/Shared BAR1 Memory/Total")
                || full.endsWith("MIG Device/Shared BAR1 Usage/Total")) {
            metric = "bar1_total_mib";
            q = Quantity.MEMORY_MIB;
        } else {
            return;
        }
        double d = number(lines, key, value, q);
        put(lines, gpu.mig.get(gpu.mig.size() - 1), gpu.busId + "'s MIG device " + gpu.mig.size(),
                Metric.number(metric, d, unit, io.vaultcube.pipeline.evidence.EvidenceSource.line(lines.sourceName(), n)));
    }

    /** "575.00 W", "16x", "3": the number, checked against its physical range. */
    private static double number(LineReader lines, String key, String value, Quantity q) throws ParseException {
        int space = value.indexOf(' ');
        String number = space < 0 ? value : value.substring(0, space);
        if (number.endsWith("x")) {
            number = number.substring(0, number.length() - 1); // link width "16x"
        }
        double d = Numbers.parseDouble(number);
        if (Double.isNaN(d)) {
            throw lines.error("not a number for " + key + ": " + value);
        }
        return q.require(d, lines, key);
    }

    /**
     * The path ends with the suffix at a section boundary: "Shared FB Memory Usage/Total" is not
     * "FB Memory Usage/Total" (renamed sections are normalised before, see SECTION_NAMES).
     */
    private static boolean matches(String path, String suffix) {
        if (!path.endsWith(suffix)) {
            return false;
        }
        int before = path.length() - suffix.length() - 1;
        return before < 0 || path.charAt(before) == '/';
    }

    /** Adds a metric; the same quantity twice must have the same value (layouts that print a limit twice). */
    private static void put(LineReader lines, Map<String, Metric> metrics, String where, Metric metric) throws ParseException {
        String name = metric.name().toString();
        Metric before = metrics.get(name);
        if (before != null) {
            if (before.value().equals(metric.value())) {
                return;
            }
            throw lines.error(name + " twice in the block of GPU " + where + " (line " + before.source().line() + " says "
                    + before.value().raw() + ")");
        }
        metrics.put(name, metric);
    }

    /**
     * A version from the header: the legacy key ("Driver Version", "CUDA Version"), which 600-series
     * drivers print with a "[Deprecated; ...]" note, and the current one ("KMD Version", "CUDA UMD
     * Version"). The clean value is reported; both must agree when both are present.
     */
    private static final class Version {
        private final String what;
        private String value;
        private long line;
        private boolean fromCurrentKey;

        Version(String what) {
            this.what = what;
        }

        void legacy(String raw, LineReader lines) throws ParseException {
            set(clean(raw, lines), false, lines);
        }

        void current(String raw, LineReader lines) throws ParseException {
            set(clean(raw, lines), true, lines);
        }

        private void set(String v, boolean current, LineReader lines) throws ParseException {
            if (v == null) {
                return;
            }
            if (value != null && !value.equals(v)) {
                throw lines.error("the " + what + " version is " + v + " here but " + value + " at line " + line);
            }
            if (value == null || current && !fromCurrentKey) {
                value = v;
                line = lines.lineNumber();
                fromCurrentKey = current;
            }
        }

        /** The version without a trailing "[Deprecated; ...]" note; null when there is none to read. */
        private String clean(String raw, LineReader lines) throws ParseException {
            String v = raw.trim();
            if (v.startsWith(DEPRECATED) || Sentinels.classify(v) == Sentinels.Kind.MISSING) {
                return null; // "Deprecated, see KMD Version instead": the value is on another line
            }
            int note = v.indexOf(" [");
            if (note > 0 && v.endsWith("]") && v.substring(note + 2).startsWith(DEPRECATED)) {
                v = v.substring(0, note).trim();
            }
            if (!v.matches("[0-9][0-9A-Za-z.\\-]*")) {
                throw lines.error("not a " + what + " version: '" + raw + "'");
            }
            return v;
        }

        void add(MetricSet m, String name, ParseInput input) {
            if (value != null) {
                m.add(Metric.text(name, value, input.at(line)));
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
