package io.vaultcube.pipeline.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits one line's bytes into fields without allocating: the offsets go into reused arrays.
 * Used by the CSV and column parsers (nvidia-smi, telemetry, dmon), whose hot path must not make a
 * String per field.
 */
public final class Fields {
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    private int count;
    private byte[] bytes;

    /**
     * Splits {@code b[from, to)} at every {@code separator}, trimming spaces and tabs around each
     * field. "a, b,,c" gives four fields, the third empty.
     */
    public int splitCsv(byte[] b, int from, int to, byte separator) {
        bytes = b;
        count = 0;
        int fieldStart = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == separator) {
                int s = fieldStart;
                int e = i;
                while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                    s++;
                }
                while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                    e--;
                }
                add(s, e);
                fieldStart = i + 1;
            }
        }
        return count;
    }

    /**
     * Splits the current line of a reader at the separators it noted while reading
     * ({@link LineReader#trackSeparator}), trimming spaces and tabs: the same result as
     * {@link #splitCsv} without a second pass over the bytes.
     */
    public int splitTracked(LineReader lines) {
        byte[] b = lines.bytes();
        bytes = b;
        int n = lines.separatorCount();
        // Room for every field first: the loop then stores without a call per field.
        while (starts.length < n + 1) {
            starts = Arrays.copyOf(starts, starts.length * 2);
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        int[] st = starts;
        int[] en = ends;
        int fieldStart = lines.start();
        for (int k = 0; k <= n; k++) {
            int e = k < n ? lines.separatorAt(k) : lines.end();
            int s = fieldStart;
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            int t = e;
            while (t > s && (b[t - 1] == ' ' || b[t - 1] == '\t')) {
                t--;
            }
            st[k] = s;
            en[k] = t;
            fieldStart = e + 1;
        }
        count = n + 1;
        return count;
    }

    /** Splits {@code b[from, to)} on runs of spaces and tabs; no empty fields. */
    public int splitWhitespace(byte[] b, int from, int to) {
        bytes = b;
        count = 0;
        int i = from;
        while (i < to) {
            while (i < to && (b[i] == ' ' || b[i] == '\t')) {
                i++;
            }
            if (i >= to) {
                break;
            }
            int s = i;
            while (i < to && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            add(s, i);
        }
        return count;
    }

    private void add(int s, int e) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = s;
        ends[count] = e;
        count++;
    }

    public int count() {
        return count;
    }

    /** The bytes the fields were split from (valid until the next split). */
    public byte[] bytes() {
        return bytes;
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public boolean isEmpty(int i) {
        return starts[i] == ends[i];
    }

    /** Field i as text. */
    public String text(int i) {
        return new String(bytes, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
    }

    /** True when field i is exactly the given ASCII text. */
    public boolean is(int i, String ascii) {
        int s = starts[i];
        int n = ends[i] - s;
        if (n != ascii.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (bytes[s + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** True when field i starts with the given ASCII text. */
    public boolean startsWith(int i, String ascii) {
        int s = starts[i];
        int n = ascii.length();
        if (ends[i] - s < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (bytes[s + k] != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Field i as a strict decimal number, or NaN. */
    public double number(int i) {
        return Numbers.parseDouble(bytes, starts[i], ends[i]);
    }

    /** Field i as a decimal integer, or {@link Numbers#NOT_A_LONG}. */
    public long integer(int i) {
        return Numbers.parseLong(bytes, starts[i], ends[i]);
    }

    /** Field i as a 0x hexadecimal number, or -1. */
    public long hex(int i) {
        return Numbers.parseHex(bytes, starts[i], ends[i]);
    }
}
