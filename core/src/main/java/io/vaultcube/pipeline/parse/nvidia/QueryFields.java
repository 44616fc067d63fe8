package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The column layout of an nvidia-smi {@code --query-gpu} CSV: the field names from its header
 * (units in brackets dropped, aliases resolved) or from a {@code fields=a,b,c} option when the CSV
 * has no header. Field names are nvidia-smi's ({@code memory.total}, {@code pcie.link.gen.current}).
 *
 * <p>Aliases are the names {@code nvidia-smi --help-query-gpu} gives for one property
 * ({@code "name" or "gpu_name"}, and {@code pcie.link.gen.current}, "Deprecated, use
 * pcie.link.gen.gpucurrent instead"); the table is checked against a real help text
 * (test fixture {@code nvidia-smi/reference-help-query-gpu.txt}). Exporters query every name, so a
 * header may name one property twice under two names: the second column is an alias of the first
 * ({@link #aliasOf}) and must hold the same value. The same name twice is refused.
 */
final class QueryFields {
    private static final Map<String, String> ALIASES = new HashMap<>();

    static {
        ALIASES.put("gpu_name", "name");
        ALIASES.put("gpu_uuid", "uuid");
        ALIASES.put("gpu_bus_id", "pci.bus_id");
        ALIASES.put("gpu_serial", "serial");
        ALIASES.put("pcie.link.gen.gpucurrent", "pcie.link.gen.current");
        ALIASES.put("inforom.image", "inforom.img");
        ALIASES.put("inforom.power", "inforom.pwr");
        ALIASES.put("gpu_operation_mode.current", "gom.current");
        ALIASES.put("gpu_operation_mode.pending", "gom.pending");
        ALIASES.put("retired_pages.sbe", "retired_pages.single_bit_ecc.count");
        ALIASES.put("retired_pages.dbe", "retired_pages.double_bit.count");
        ALIASES.put("clocks.current.graphics", "clocks.gr");
        ALIASES.put("clocks.current.sm", "clocks.sm");
        ALIASES.put("clocks.current.memory", "clocks.mem");
        ALIASES.put("clocks.current.video", "clocks.video");
        ALIASES.put("clocks.applications.graphics", "clocks.applications.gr");
        ALIASES.put("clocks.applications.memory", "clocks.applications.mem");
        ALIASES.put("clocks.default_applications.graphics", "clocks.default_applications.gr");
        ALIASES.put("clocks.default_applications.memory", "clocks.default_applications.mem");
        ALIASES.put("clocks.max.graphics", "clocks.max.gr");
        ALIASES.put("clocks.max.memory", "clocks.max.mem");
    }

    /** Every clocks_throttle_reasons.X is clocks_event_reasons.X (the reasons were renamed in 535). */
    private static final String THROTTLE_PREFIX = "clocks_throttle_reasons.";

    /** Canonical names, one per column (an alias column repeats its first column's name). */
    final List<String> names;
    /** The names as the header or option wrote them (units dropped), one per column. */
    private final String[] written;
    private final int[] aliasOf;
    final String headerText;

    private QueryFields(List<String> names, List<String> written, int[] aliasOf, String headerText) {
        this.names = names;
        this.written = written.toArray(new String[0]);
        this.aliasOf = aliasOf;
        this.headerText = headerText;
    }

    /** The canonical name of a header field or option entry. */
    static String canonical(String raw) {
        String n = written(raw);
        if (n.startsWith(THROTTLE_PREFIX)) {
            return "clocks_event_reasons." + n.substring(THROTTLE_PREFIX.length());
        }
        return ALIASES.getOrDefault(n, n);
    }

    private static String written(String raw) {
        String n = raw.trim();
        int bracket = n.indexOf(" [");
        if (bracket > 0 && n.endsWith("]")) {
            n = n.substring(0, bracket);
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** True when the line looks like a header: its first field is a field name, not a value. */
    static boolean isHeader(LineReader lines, Fields f) {
        return isHeader(lines.bytes(), lines.start(), lines.end(), f);
    }

    /** {@link #isHeader(LineReader, Fields)} for the line {@code b[s, e)}. */
    static boolean isHeader(byte[] b, int s, int e, Fields f) {
        int n = f.splitCsv(b, s, e, (byte) ',');
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
        return fromHeader(lines.bytes(), lines.start(), lines.end(), f, lines::error);
    }

    /** {@link #fromHeader(LineReader, Fields)} for the line {@code b[s, e)}. */
    static QueryFields fromHeader(byte[] b, int s, int e, Fields f, CsvValues.Site lines) throws ParseException {
        int n = f.splitCsv(b, s, e, (byte) ',');
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            raw.add(f.text(i));
        }
        return of(raw, new String(b, s, e - s, StandardCharsets.UTF_8), lines);
    }

    static QueryFields fromOption(String option, LineReader lines) throws ParseException {
        return fromOption(option, (CsvValues.Site) lines::error);
    }

    static QueryFields fromOption(String option, CsvValues.Site lines) throws ParseException {
        return of(List.of(option.split(",", -1)), null, lines);
    }

    private static QueryFields of(List<String> raw, String header, CsvValues.Site lines) throws ParseException {
        List<String> names = new ArrayList<>();
        List<String> written = new ArrayList<>();
        int[] aliasOf = new int[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            String name = canonical(raw.get(i));
            String as = written(raw.get(i));
            if (name.isEmpty()) {
                throw lines.error("an empty field name in the field list (column " + (i + 1) + ")");
            }
            int first = names.indexOf(name);
            if (first >= 0 && written.get(first).equals(as)) {
                throw lines.error("field " + as + " is named twice, in columns " + (first + 1) + " and " + (i + 1));
            }
            aliasOf[i] = first;
            names.add(name);
            written.add(as);
        }
        return new QueryFields(List.copyOf(names), List.copyOf(written), aliasOf, header);
    }

    /** The first column of the name (an alias column is never returned), or -1. */
    int indexOf(String name) {
        return names.indexOf(name);
    }

    /** True when some column names an earlier column's property under an alias. */
    boolean hasAliases() {
        for (int a : aliasOf) {
            if (a >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a row (split into f) in which a column and its alias read differently: they name one
     * property (nvidia-smi --help-query-gpu), so they hold one value.
     */
    void requireAliasesAgree(Fields f, CsvValues.Site at) throws ParseException {
        byte[] b = f.bytes();
        for (int i = 0; i < aliasOf.length; i++) {
            int a = aliasOf[i];
            if (a >= 0 && !Arrays.equals(b, f.start(i), f.end(i), b, f.start(a), f.end(a))) {
                throw at.error("columns " + (a + 1) + " (" + written(a) + ") and " + (i + 1) + " (" + written(i)
                        + ") name one property but read '" + f.text(a) + "' and '" + f.text(i) + "'");
            }
        }
    }

    /** For a column that names an earlier column's property under an alias, that column; otherwise -1. */
    int aliasOf(int column) {
        return aliasOf[column];
    }

    /** The name column i has in the header or option ({@code pcie.link.gen.gpucurrent}). */
    String written(int column) {
        return written[column];
    }

    int size() {
        return names.size();
    }
}
