package io.vaultcube.pipeline.parse.packer;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code packer -machine-readable} output: {@code timestamp,target,type,data...}.
 * Packer escapes commas in data as {@code %!(PACKER_COMMA)} and line breaks as the two characters
 * {@code \n} / {@code \r}; {@link #data()} holds the fields unescaped. (A literal backslash-n in the
 * original text cannot be told apart; packer does not escape backslashes.)
 */
public record PackerRecord(long timestamp, String target, String type, List<String> data) {
    private static final String COMMA = "%!(PACKER_COMMA)";

    /** Parses a line; null when it is not a machine-readable record. */
    public static PackerRecord parse(String line) {
        int c1 = line.indexOf(',');
        if (c1 <= 0 || c1 > 19) {
            return null;
        }
        long ts = 0;
        for (int i = 0; i < c1; i++) {
            char ch = line.charAt(i);
            if (ch < '0' || ch > '9') {
                return null;
            }
            ts = ts * 10 + (ch - '0');
        }
        int c2 = line.indexOf(',', c1 + 1);
        if (c2 < 0) {
            return null;
        }
        int c3 = line.indexOf(',', c2 + 1);
        String target = line.substring(c1 + 1, c2);
        String type = c3 < 0 ? line.substring(c2 + 1) : line.substring(c2 + 1, c3);
        if (type.isEmpty() || !isType(type)) {
            return null;
        }
        List<String> data = new ArrayList<>();
        if (c3 >= 0) {
            int from = c3 + 1;
            while (true) {
                int next = line.indexOf(',', from);
                if (next < 0) {
                    data.add(unescape(line.substring(from)));
                    break;
                }
                data.add(unescape(line.substring(from, next)));
                from = next + 1;
            }
        }
        return new PackerRecord(ts, unescape(target), type, List.copyOf(data));
    }

    private static boolean isType(String type) {
        for (int i = 0; i < type.length(); i++) {
            char ch = type.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || ch == '-' || ch == '_')) {
                return false;
            }
        }
        return true;
    }

    /** Undoes packer's escaping of one field. */
    public static String unescape(String field) {
        if (field.indexOf('%') < 0 && field.indexOf('\\') < 0) {
            return field;
        }
        return field.replace(COMMA, ",").replace("\\n", "\n").replace("\\r", "\r");
    }

    /** Data field i, or null. */
    public String field(int i) {
        return i < data.size() ? data.get(i) : null;
    }

    /** The data fields from i on, joined with commas (a ui message split by an unescaped comma). */
    public String rest(int i) {
        if (i >= data.size()) {
            return "";
        }
        return i == data.size() - 1 ? data.get(i) : String.join(",", data.subList(i, data.size()));
    }
}
