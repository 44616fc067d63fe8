package io.vaultcube.pipeline.run;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them for the GPU runners: {@code 24h}, {@code 90m}, {@code 20s},
 * {@code 1h30m}, {@code 500ms}, {@code 3d}, {@code 1.5h}. The one place they are parsed and printed.
 *
 * <p>A duration is one or more parts NUMBER UNIT, units {@code d h m s ms} in that order, each at
 * most once; a part may have a decimal fraction ({@code 1.5h}). A bare number is refused: "24"
 * could mean seconds or hours, and a 24-hour soak that ran 24 seconds would be a costly guess.
 * Durations are whole milliseconds.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|d|h|m|s)");
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final String EXAMPLES = "e.g. 24h, 90m, 20s, 1h30m, 500ms";

    private Durations() {
    }

    /**
     * Parses a duration; zero is allowed ({@code 0s}).
     *
     * @throws IllegalArgumentException with a message that says how to write one
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required (" + EXAMPLES + ")");
        }
        String t = text.strip();
        if (t.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("the duration '" + text + "' needs a unit: " + t + "s, " + t + "m or "
                    + t + "h (" + EXAMPLES + ")");
        }
        Matcher m = PART.matcher(t);
        int pos = 0;
        int lastUnit = -1;
        BigDecimal millis = BigDecimal.ZERO;
        while (pos < t.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("not a duration: '" + text + "' (" + EXAMPLES + ")");
            }
            int unit = unitIndex(m.group(2));
            if (unit <= lastUnit) {
                throw new IllegalArgumentException("not a duration: '" + text + "': units go from days to milliseconds,"
                        + " each once (" + EXAMPLES + ")");
            }
            lastUnit = unit;
            millis = millis.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(UNIT_MILLIS[unit])));
            pos = m.end();
        }
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("the duration '" + text + "' is finer than a millisecond");
        }
        try {
            return Duration.ofMillis(millis.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the duration '" + text + "' is too long", e);
        }
    }

    /** Parses a duration that must be longer than zero; {@code what} names it in the message. */
    public static Duration parsePositive(String text, String what) {
        Duration d;
        try {
            d = parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(what + " must be longer than zero: '" + text + "'");
        }
        return d;
    }

    /** The shortest form {@link #parse} reads back to the same duration: {@code 1h30m}, {@code 20s}, {@code 0s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 0) {
            throw new IllegalArgumentException("a negative duration: " + d);
        }
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < UNITS.length; i++) {
            long n = ms / UNIT_MILLIS[i];
            if (n > 0) {
                out.append(n).append(UNITS[i]);
                ms -= n * UNIT_MILLIS[i];
            }
        }
        return out.toString();
    }

    /** A clock reading for progress lines: {@code 00:10:05}, {@code 24:00:00}, {@code 100:00:00}. */
    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    /** Time left on a progress line, hours only when there are some: {@code 4:05}, {@code 1:02:03}. */
    public static String countdown(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** How long a stage took, for a summary line: {@code 0.3 s}, {@code 12.4 s}; from ten minutes {@link #format} in whole seconds. */
    public static String elapsed(Duration d) {
        if (d.compareTo(Duration.ofMinutes(10)) >= 0) {
            return format(Duration.ofSeconds(d.toSeconds()));
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Seconds as a plain decimal, as the sampler's {@code --interval} takes them: {@code 5}, {@code 0.5}. */
    public static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** Seconds as a number for a metric. */
    public static double secondsValue(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }
}
