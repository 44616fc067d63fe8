package io.vaultcube.pipeline.run.packer;

import java.util.ArrayList;
import java.util.List;

/**
 * One record of Packer's {@code -machine-readable} output, {@code timestamp,target,type,data...},
 * with the data fields unescaped (see packer/ui.go: {@code ,} is written {@code %!(PACKER_COMMA)},
 * CR and LF as a literal backslash-r and backslash-n).
 *
 * <p>This is only what the runner needs to show Packer's output to a person and to explain a
 * failure; the metrics come from the {@code packer} parser.
 */
record MachineLine(long timestamp, String target, String type, List<String> data) {
    static final String COMMA = "%!(PACKER_COMMA)";

    /** The record of a line, or null when the line is not a machine-readable record. */
    static MachineLine parse(String line) {
        int first = line.indexOf(',');
        if (first <= 0) {
            return null;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(line.substring(0, first));
        } catch (NumberFormatException e) {
            return null;
        }
        int second = line.indexOf(',', first + 1);
        if (second < 0) {
            return null;
        }
        String target = line.substring(first + 1, second);
        int third = line.indexOf(',', second + 1);
        String type = third < 0 ? line.substring(second + 1) : line.substring(second + 1, third);
        if (type.isEmpty()) {
            return null;
        }
        List<String> data = new ArrayList<>();
        if (third >= 0) {
            for (String field : line.substring(third + 1).split(",", -1)) {
                data.add(unescape(field));
            }
        }
        return new MachineLine(timestamp, unescape(target), type, List.copyOf(data));
    }

    /** Undoes Packer's escaping of one field. */
    static String unescape(String field) {
        if (field.indexOf('%') < 0 && field.indexOf('\\') < 0) {
            return field;
        }
        return field.replace(COMMA, ",").replace("\\r", "\r").replace("\\n", "\n");
    }

    /** Packer's escaping of one field, as packer/ui.go writes it. */
    static String escape(String text) {
        return text.replace(",", COMMA).replace("\r", "\\r").replace("\n", "\\n");
    }

    boolean isUi() {
        return "ui".equals(type) && !data.isEmpty();
    }

    /** For a {@code ui} record: say, message or error. */
    String uiKind() {
        return isUi() ? data.get(0) : null;
    }

    /** For a {@code ui} record: the text as Packer's human interface prints it. */
    String uiText() {
        if (!isUi()) {
            return null;
        }
        // Commas are escaped, so the text is one field; join defensively if a tool wrote a raw comma.
        return String.join(",", data.subList(1, data.size()));
    }
}
