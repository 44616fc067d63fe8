package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The GPUs' identity for the inventory (kind {@code nvidia-smi-inventory}): {@code nvidia-smi
 * --query-gpu=index,...,vbios_version,... --format=csv} with its header line, fields in any order.
 * {@code index} and {@code vbios_version} are required columns.
 *
 * <p>Metrics per GPU: {@code inventory.gpu[i].vbios_version}, and where queried {@code .name},
 * {@code .pci_bus_id}, {@code .compute_cap}, {@code .driver_version}; {@code inventory.gpu.count}.
 * An {@code [N/A]} value leaves its metric out (no evidence, never an invented value); a row with
 * the wrong number of fields, a repeated index or a {@code [GPU requires reset]}-style fault is refused.
 */
public final class NvidiaSmiInventoryParser implements EvidenceParser {
    private static final List<String> TEXT_FIELDS = List.of("vbios_version", "name", "pci.bus_id", "compute_cap",
            "driver_version");

    @Override
    public String kind() {
        return "nvidia-smi-inventory";
    }

    @Override
    public String description() {
        return "nvidia-smi --query-gpu=index,...,vbios_version --format=csv: each GPU's VBIOS, name, bus id";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        MetricSet metrics = new MetricSet();
        MetricName gpus = MetricName.root("inventory").child("gpu");
        List<String> header = null;
        Set<String> indices = new HashSet<>();
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String line = lines.text();
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = new ArrayList<>();
                for (String f : line.split(",", -1)) {
                    fields.add(f.strip());
                }
                if (header == null) {
                    header = new ArrayList<>();
                    for (String h : fields) {
                        // "memory.total [MiB]": the unit suffix is not part of the field's name.
                        int bracket = h.indexOf(" [");
                        header.add((bracket < 0 ? h : h.substring(0, bracket)).toLowerCase(Locale.ROOT));
                    }
                    if (!header.contains("index") || !header.contains("vbios_version")) {
                        throw lines.error("the header must name the columns index and vbios_version: "
                                + DpkgQueryParser.abbreviate(line));
                    }
                    continue;
                }
                if (fields.size() != header.size()) {
                    throw lines.error(fields.size() + " fields where the header has " + header.size() + ": "
                            + DpkgQueryParser.abbreviate(line));
                }
                String index = fields.get(header.indexOf("index"));
                if (!index.matches("[0-9]{1,3}")) {
                    throw lines.error("not a GPU index: '" + index + "'");
                }
                if (!indices.add(index)) {
                    throw lines.error("GPU " + index + " is listed twice");
                }
                MetricName gpu = gpus.at(index);
                for (int i = 0; i < header.size(); i++) {
                    String value = fields.get(i);
                    if (value.startsWith("[") && !value.equals("[N/A]") && !value.equals("[Not Supported]")) {
                        throw lines.error("GPU " + index + " reports " + value + " for " + header.get(i));
                    }
                    if (!TEXT_FIELDS.contains(header.get(i)) || value.equals("[N/A]") || value.equals("[Not Supported]")
                            || value.equals("N/A") || value.isEmpty()) {
                        continue;
                    }
                    metrics.add(Metric.text(gpu.child(header.get(i).replace('.', '_')), value,
                            input.at(lines.lineNumber())));
                }
            }
        }
        if (header == null) {
            throw new ParseException(input.sourceName(), 0, "empty: no header line (use --format=csv without noheader)");
        }
        metrics.add(Metric.number(gpus.child("count"), indices.size(), null, input.whole()));
        return metrics;
    }
}
