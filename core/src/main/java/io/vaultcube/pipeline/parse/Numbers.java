package io.vaultcube.pipeline.parse;

import java.nio.charset.StandardCharsets;

/**
 * Strict number parsing for parsers, on bytes (hot paths) and on text. Only plain decimal
 * notation is a number here: an optional sign, digits, an optional fraction and an optional
 * exponent. {@code NaN}, {@code Infinity}, hex floats, type suffixes ({@code 1d}) and blanks, all of
 * which {@link Double#parseDouble} accepts, are not. Callers trim the field first.
 */
public final class Numbers {
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /** What {@link #parseLong} returns for a field that is not an integer. */
    public static final long NOT_A_LONG = Long.MIN_VALUE;

    private Numbers() {
    }

    /**
     * The decimal number in {@code b[from, to)}, or NaN when the bytes are not one (NaN is never
     * a parsed value: the text "NaN" is not a number here).
     */
    public static double parseDouble(byte[] b, int from, int to) {
        int i = from;
        if (i >= to) {
            return Double.NaN;
        }
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fractionDigits = 0;
        boolean simple = true;
        int intStart = i;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            if (digits < 18) {
                mantissa = mantissa * 10 + (b[i] - '0');
                if (mantissa != 0) {
                    digits++;
                }
            } else {
                simple = false;
            }
            i++;
        }
        int intDigits = i - intStart;
        int fracDigitsSeen = 0;
        if (i < to && b[i] == '.') {
            i++;
            int fracStart = i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    fractionDigits++;
                    if (mantissa != 0) {
                        digits++;
                    }
                } else {
                    simple = false;
                }
                i++;
            }
            fracDigitsSeen = i - fracStart;
        }
        if (intDigits == 0 && fracDigitsSeen == 0) {
            return Double.NaN;
        }
        if (i < to && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < to && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            int expDigits = i;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == expDigits || i != to) {
                return Double.NaN;
            }
            simple = false;
        }
        if (i != to) {
            return Double.NaN;
        }
        if (simple && fractionDigits < POW10.length && mantissa < (1L << 53)) {
            // Both operands are exact doubles, so one division gives the correctly rounded value.
            double v = fractionDigits == 0 ? mantissa : mantissa / POW10[fractionDigits];
            return negative ? -v : v;
        }
        double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.US_ASCII));
        return Double.isFinite(v) ? v : Double.NaN;
    }

    /** The decimal number in {@code text} (strict, see the class comment), or NaN. */
    public static double parseDouble(CharSequence text) {
        int n = text.length();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                return Double.NaN;
            }
            b[i] = (byte) c;
        }
        return parseDouble(b, 0, n);
    }

    /** The decimal integer in {@code b[from, to)} (optional sign), or {@link #NOT_A_LONG}. */
    public static long parseLong(byte[] b, int from, int to) {
        int i = from;
        if (i >= to) {
            return NOT_A_LONG;
        }
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        if (i >= to || to - i > 18) {
            return NOT_A_LONG;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_A_LONG;
            }
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /** The decimal integer in {@code text}, or {@link #NOT_A_LONG}. */
    public static long parseLong(CharSequence text) {
        int n = text.length();
        if (n == 0 || n > 19) {
            return NOT_A_LONG;
        }
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                return NOT_A_LONG;
            }
            b[i] = (byte) c;
        }
        return parseLong(b, 0, n);
    }

    /**
     * A {@code 0x}-prefixed hexadecimal number of at most 16 digits in {@code b[from, to)}, or -1
     * (also for a value with the top bit set, which no mask we read has).
     */
    public static long parseHex(byte[] b, int from, int to) {
        if (to - from < 3 || b[from] != '0' || (b[from + 1] != 'x' && b[from + 1] != 'X') || to - from - 2 > 16) {
            return -1;
        }
        long v = 0;
        for (int i = from + 2; i < to; i++) {
            int c = b[i];
            int d;
            if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                d = c - 'a' + 10;
            } else if (c >= 'A' && c <= 'F') {
                d = c - 'A' + 10;
            } else {
                return -1;
            }
            v = (v << 4) | d;
        }
        // A value with the top bit set is refused (-1) rather than returned negative.
        return v < 0 ? -1 : v;
    }

    /** {@link #parseHex(byte[], int, int)} on text; -1 when not hex. */
    public static long parseHex(CharSequence text) {
        int n = text.length();
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                return -1;
            }
            b[i] = (byte) c;
        }
        return parseHex(b, 0, n);
    }
}
