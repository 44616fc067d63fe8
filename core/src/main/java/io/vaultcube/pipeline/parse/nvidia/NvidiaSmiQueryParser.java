package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.Quantity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code nvidia-smi --query-gpu=... --format=csv[,noheader][,nounits]} snapshot (kind
 * {@code nvidia-smi}): one row per GPU. Fields in any order: read from the header, or from the
 * {@code fields} option when there is none. Values with or without units. GPUs are keyed by the
 * {@code index} field (by row order when only {@code uuid} is queried); a CSV with neither cannot
 * tell GPUs apart and is refused, as is a uuid or index seen twice (a looped query: use
 * {@code telemetry}). Missing values leave their metric out, and an aggregate (min, max) is only
 * given when every GPU has the value. Faults ({@code [GPU requires reset]}, {@code ERR!}) are refused.
 */
public final class NvidiaSmiQueryParser implements EvidenceParser {
    /** A number we report: its metric identifier, unit and physical range. */
    private record Number(String metric, String unit, Quantity quantity) {
    }

    /** nvidia-smi field → the number we report. */
    private static final Map<String, Number> NUMBERS = new LinkedHashMap<>();
    /** nvidia-smi field → metric identifier, for the texts we report. */
    private static final Map<String, String> TEXTS = new LinkedHashMap<>();

    static {
        NUMBERS.put("memory.total", new Number("memory_total_mib", "MiB", Quantity.MEMORY_MIB));
        NUMBERS.put("memory.used", new Number("memory_used_mib", "MiB", Quantity.MEMORY_MIB));
        NUMBERS.put("temperature.gpu", new Number("temperature_c", "C", Quantity.TEMPERATURE_C));
        NUMBERS.put("temperature.gpu.tlimit", new Number("tlimit_c", "C", Quantity.TEMPERATURE_MARGIN_C));
        NUMBERS.put("power.draw", new Number("power_draw_w", "W", Quantity.POWER_W));
        NUMBERS.put("power.limit", new Number("power_limit_w", "W", Quantity.POWER_W));
        NUMBERS.put("power.default_limit", new Number("power_default_limit_w", "W", Quantity.POWER_W));
        NUMBERS.put("power.min_limit", new Number("power_min_limit_w", "W", Quantity.POWER_W));
        NUMBERS.put("power.max_limit", new Number("power_max_limit_w", "W", Quantity.POWER_W));
        NUMBERS.put("utilization.gpu", new Number("utilization_pct", "%", Quantity.PERCENT));
        NUMBERS.put("clocks.max.sm", new Number("clocks_max_sm_mhz", "MHz", Quantity.CLOCK_MHZ));
        NUMBERS.put("clocks.max.mem", new Number("clocks_max_mem_mhz", "MHz", Quantity.CLOCK_MHZ));
        NUMBERS.put("pcie.link.gen.max", new Number("pcie_gen_max", null, Quantity.PCIE_GENERATION));
        NUMBERS.put("pcie.link.gen.gpumax", new Number("pcie_gen_gpumax", null, Quantity.PCIE_GENERATION));
        NUMBERS.put("pcie.link.gen.hostmax", new Number("pcie_gen_hostmax", null, Quantity.PCIE_GENERATION));
        NUMBERS.put("pcie.link.gen.current", new Number("pcie_gen_current", null, Quantity.PCIE_GENERATION));
        NUMBERS.put("pcie.link.width.max", new Number("pcie_width_max", null, Quantity.PCIE_WIDTH));
        NUMBERS.put("pcie.link.width.current", new Number("pcie_width_current", null, Quantity.PCIE_WIDTH));
        NUMBERS.put("fan.speed", new Number("fan_speed_pct", "%", Quantity.FAN_PERCENT));
        TEXTS.put("name", "name");
        TEXTS.put("uuid", "uuid");
        TEXTS.put("pci.bus_id", "pci_bus_id");
        TEXTS.put("pci.device_id", "pci_device_id");
        TEXTS.put("driver_version", "driver_version");
        TEXTS.put("vbios_version", "vbios_version");
        TEXTS.put("compute_cap", "compute_cap");
        TEXTS.put("persistence_mode", "persistence_mode");
        TEXTS.put("pstate", "pstate");
        TEXTS.put("ecc.mode.current", "ecc_mode");
    }

    /** Aggregates over GPUs: metric of the GPU → aggregate name and which extreme. */
    private static final String[][] AGGREGATES = {
        {"memory_total_mib", "gpu.memory_total_mib.min", "min"},
        {"memory_total_mib", "gpu.memory_total_mib.max", "max"},
        {"temperature_c", "gpu.temperature_c.max", "max"},
        {"pcie_gen_max", "gpu.pcie_gen_max.min", "min"},
        {"pcie_gen_current", "gpu.pcie_gen_current.min", "min"},
        {"pcie_width_current", "gpu.pcie_width_current.min", "min"},
        {"pcie_width_max", "gpu.pcie_width_max.min", "min"},
    };

    @Override
    public String kind() {
        return "nvidia-smi";
    }

    @Override
    public Set<String> options() {
        return Set.of("fields");
    }

    @Override
    public String description() {
        return "nvidia-smi --query-gpu CSV snapshot (header or --option fields=...): per GPU and min/max";
    }

    private record Gpu(String key, long line, Map<String, Double> numbers, Map<String, String> texts, long mask) {
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        List<Gpu> gpus = new ArrayList<>();
        Set<String> uuids = new HashSet<>();
        Set<String> indices = new HashSet<>();
        Fields f = new Fields();
        try (LineReader lines = LineReader.open(input)) {
            QueryFields layout = null;
            String fieldsOption = input.option("fields");
            while (lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                if (QueryFields.isHeader(lines, f)) {
                    QueryFields header = QueryFields.fromHeader(lines, f);
                    if (layout != null && !gpus.isEmpty()) {
                        throw lines.error("a second header after GPU rows: a looped query (use the telemetry kind)");
                    }
                    layout = header;
                    continue;
                }
                if (layout == null) {
                    if (fieldsOption == null) {
                        throw lines.error("no header line and no fields option: the columns are unknown"
                                + " (give --option fields=index,uuid,... as queried)");
                    }
                    layout = QueryFields.fromOption(fieldsOption, lines);
                }
                int n = f.splitCsv(lines.bytes(), lines.start(), lines.end(), (byte) ',');
                if (n != layout.size()) {
                    throw lines.error(n + " values where the field list has " + layout.size() + ": wrong columns or a cut line");
                }
                gpus.add(row(lines, f, layout, uuids, indices, gpus.size()));
            }
            if (layout == null) {
                throw lines.errorAtEnd("no header and no row");
            }
            lines.requireNewlineAtEnd("nvidia-smi");
            if (gpus.isEmpty()) {
                throw lines.errorAtEnd("a header but no GPU row");
            }
            if (layout.indexOf("index") < 0 && layout.indexOf("uuid") < 0) {
                throw new ParseException(input.sourceName(), 0, "neither index nor uuid is queried:"
                        + " rows of different GPUs cannot be told apart from repeated samples");
            }
        }
        MetricSet m = new MetricSet();
        m.add(Metric.number("gpu.count", gpus.size(), null, input.whole()));
        long throttled = 0;
        boolean allMasks = true;
        for (Gpu g : gpus) {
            MetricName base = MetricName.root("gpu").at(g.key());
            for (Map.Entry<String, String> t : g.texts().entrySet()) {
                m.add(Metric.text(base.child(t.getKey()), t.getValue(), input.at(g.line())));
            }
            for (Map.Entry<String, Double> e : g.numbers().entrySet()) {
                m.add(Metric.number(base.child(e.getKey()), e.getValue(), unitOf(e.getKey()), input.at(g.line())));
            }
            if (g.mask() >= 0) {
                boolean t = NvidiaCodes.throttling(g.mask());
                m.add(Metric.bool(base.child("throttled"), t, input.at(g.line())));
                throttled += t ? 1 : 0;
            } else {
                allMasks = false;
            }
        }
        for (String[] a : AGGREGATES) {
            double agg = Double.NaN;
            boolean all = true;
            for (Gpu g : gpus) {
                Double v = g.numbers().get(a[0]);
                if (v == null) {
                    all = false;
                    break;
                }
                agg = Double.isNaN(agg) ? v : a[2].equals("min") ? Math.min(agg, v) : Math.max(agg, v);
            }
            if (all) {
                m.add(Metric.number(a[1], agg, unitOf(a[0]), input.whole()));
            }
        }
        if (allMasks) {
            m.add(Metric.number("gpu.throttled.count", throttled, null, input.whole()));
        }
        return m;
    }

    private static String unitOf(String metric) {
        for (Number v : NUMBERS.values()) {
            if (v.metric().equals(metric)) {
                return v.unit();
            }
        }
        return null;
    }

    private static Gpu row(LineReader lines, Fields f, QueryFields layout, Set<String> uuids, Set<String> indices, int order)
            throws ParseException {
        Map<String, Double> numbers = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        String key = null;
        long mask = -1;
        layout.requireAliasesAgree(f, lines::error);
        for (int i = 0; i < layout.size(); i++) {
            String field = layout.names.get(i);
            int alias = layout.aliasOf(i);
            if (alias >= 0) {
                continue; // one property under two names: read once, checked to agree above
            }
            if (field.equals("index")) {
                long idx = f.integer(i);
                if (idx < 0 || idx > 1024) {
                    throw lines.error("index is not a GPU index: '" + f.text(i) + "'");
                }
                key = Long.toString(idx);
                if (!indices.add(key)) {
                    throw lines.error("GPU index " + key + " appears twice: a looped query (use the telemetry kind)");
                }
            } else if (field.equals("clocks_event_reasons.active")) {
                mask = CsvValues.mask(f, i, lines, field);
            } else if (NUMBERS.containsKey(field)) {
                Number number = NUMBERS.get(field);
                double v = CsvValues.number(f, i, lines, field);
                if (!Double.isNaN(v)) {
                    numbers.put(number.metric(), number.quantity().require(v, lines, field));
                }
            } else if (TEXTS.containsKey(field)) {
                String t = CsvValues.text(f, i, lines, field);
                if (t != null) {
                    if (field.equals("uuid") && !uuids.add(t)) {
                        throw lines.error("GPU " + t + " appears twice: a looped query (use the telemetry kind)");
                    }
                    texts.put(TEXTS.get(field), t);
                }
            } else if (Sentinels.classify(lines.bytes(), f.start(i), f.end(i)) == Sentinels.Kind.FAULT) {
                throw lines.error("GPU fault: nvidia-smi reports " + f.text(i) + " for " + field);
            }
        }
        if (key == null) {
            key = Integer.toString(order);
        }
        EntityKeys.check(key, "a GPU index", lines.sourceName(), lines.lineNumber());
        return new Gpu(key, lines.lineNumber(), numbers, texts, mask);
    }
}
