package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The column layout of an nvidia-smi {@code --query-gpu} CSV: the field names from its header
 * (units in brackets dropped, aliases resolved) or from a {@code fields=a,b,c} option when the CSV
 * has no header. Field names are nvidia-smi's ({@code memory.total}, {@code pcie.link.gen.current}).
 */
final class QueryFields {
    private static final Map<String, String> ALIASES = new HashMap<>();

    static {
        ALIASES.put("gpu_name", "name");
        ALIASES.put("gpu_uuid", "uuid");
        ALIASES.put("gpu_bus_id", "pci.bus_id");
        ALIASES.put("gpu_serial", "serial");
        ALIASES.put("clocks.current.sm", "clocks.sm");
        ALIASES.put("clocks.current.memory", "clocks.mem");
        ALIASES.put("clocks.current.graphics", "clocks.gr");
        ALIASES.put("clocks.max.graphics", "clocks.max.gr");
        ALIASES.put("clocks.max.memory", "clocks.max.mem");
        ALIASES.put("pcie.link.gen.gpucurrent", "pcie.link.gen.current");
        ALIASES.put("clocks_throttle_reasons.active", "clocks_event_reasons.active");
    }

    final List<String> names;
    final String headerText;

    private QueryFields(List<String> names, String headerText) {
        this.names = names;
        this.headerText = headerText;
    }

    static String canonical(String raw) {
        String n = raw.trim();
        int bracket = n.indexOf(" [");
        if (bracket > 0 && n.endsWith("]")) {
            n = n.substring(0, bracket);
        }
        n = n.toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(n, n);
    }

    /** True when the line looks like a header: its first field is a field name, not a value. */
    static boolean isHeader(LineReader lines, Fields f) {
        int n = f.splitCsv(lines.bytes(), lines.start(), lines.end(), (byte) ',');
        if (n == 0 || f.isEmpty(0)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            String name = canonical(f.text(i));
            if (name.isEmpty() || !name.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_')) {
                return false;
            }
            if (!(name.charAt(0) >= 'a' && name.charAt(0) <= 'z')) {
                return false;
            }
        }
        return true;
    }

    static QueryFields fromHeader(LineReader lines, Fields f) throws ParseException {
        int n = f.splitCsv(lines.bytes(), lines.start(), lines.end(), (byte) ',');
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(canonical(f.text(i)));
        }
        return of(names, lines.text(), lines);
    }

    static QueryFields fromOption(String option, LineReader lines) throws ParseException {
        List<String> names = new ArrayList<>();
        for (String s : option.split(",")) {
            names.add(canonical(s));
        }
        return of(names, null, lines);
    }

    private static QueryFields of(List<String> names, String header, LineReader lines) throws ParseException {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) {
                throw lines.error("an empty field name in the field list");
            }
            if (names.indexOf(names.get(i)) != i) {
                throw lines.error("field " + names.get(i) + " appears twice in the field list");
            }
        }
        return new QueryFields(List.copyOf(names), header);
    }

    int indexOf(String name) {
        return names.indexOf(name);
    }

    int size() {
        return names.size();
    }
}
