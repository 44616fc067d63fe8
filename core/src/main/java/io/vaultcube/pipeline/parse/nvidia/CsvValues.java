package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;

/** Reading one nvidia-smi CSV value: a number with or without its unit, a sentinel, or a fault. */
final class CsvValues {
    private CsvValues() {
    }

    /**
     * Where a value was read, for the refusal: a {@link LineReader}'s current line, or the line a
     * {@link TelemetryRows} is on.
     */
    interface Site {
        ParseException error(String problem);
    }

    static double number(Fields f, int i, LineReader lines, String field) throws ParseException {
        return number(f, i, (Site) lines::error, field);
    }

    static String text(Fields f, int i, LineReader lines, String field) throws ParseException {
        return text(f, i, (Site) lines::error, field);
    }

    static long mask(Fields f, int i, LineReader lines, String field) throws ParseException {
        return mask(f, i, (Site) lines::error, field);
    }

    /**
     * Field i as a number ({@code 512.33} or {@code 512.33 W}); NaN when nvidia-smi says the value
     * is missing. A fault sentinel or text that is not a number is a ParseException.
     */
    static double number(Fields f, int i, Site lines, String field) throws ParseException {
        byte[] b = f.bytes();
        int s = f.start(i);
        int e = f.end(i);
        double v = Numbers.parseDouble(b, s, e);
        if (!Double.isNaN(v)) {
            return v;
        }
        switch (Sentinels.classify(b, s, e)) {
            case MISSING -> {
                return Double.NaN;
            }
            case FAULT -> throw lines.error("GPU fault: nvidia-smi reports " + f.text(i) + " for " + field);
            default -> {
            }
        }
        // "23028 MiB", "0 %", "299.35 W": a number, one space, a unit.
        int space = -1;
        for (int k = s; k < e; k++) {
            if (b[k] == ' ') {
                space = k;
                break;
            }
        }
        if (space > s && space + 1 < e && isUnit(b, space + 1, e)) {
            v = Numbers.parseDouble(b, s, space);
            if (!Double.isNaN(v)) {
                return v;
            }
        }
        throw lines.error("not a number for " + field + ": '" + f.text(i) + "'");
    }

    /** Field i as text; null when missing; a fault is a ParseException. */
    static String text(Fields f, int i, Site lines, String field) throws ParseException {
        switch (Sentinels.classify(f.bytes(), f.start(i), f.end(i))) {
            case MISSING -> {
                return null;
            }
            case FAULT -> throw lines.error("GPU fault: nvidia-smi reports " + f.text(i) + " for " + field);
            default -> {
                if (f.isEmpty(i)) {
                    throw lines.error("empty value for " + field);
                }
                return f.text(i);
            }
        }
    }

    /** Field i as a 0x bitmask; -1 when missing. */
    static long mask(Fields f, int i, Site lines, String field) throws ParseException {
        long v = f.hex(i);
        if (v >= 0) {
            return v;
        }
        switch (Sentinels.classify(f.bytes(), f.start(i), f.end(i))) {
            case MISSING -> {
                return -1;
            }
            case FAULT -> throw lines.error("GPU fault: nvidia-smi reports " + f.text(i) + " for " + field);
            default -> throw lines.error("not a 0x bitmask for " + field + ": '" + f.text(i) + "'");
        }
    }

    private static boolean isUnit(byte[] b, int s, int e) {
        for (int k = s; k < e; k++) {
            byte c = b[k];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '%' || c == '/')) {
                return false;
            }
        }
        return true;
    }
}
