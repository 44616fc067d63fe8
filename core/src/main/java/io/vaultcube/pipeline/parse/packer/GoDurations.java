package io.vaultcube.pipeline.parse.packer;

/**
 * Reads the durations packer prints with durafmt ({@code 1 second 471 milliseconds},
 * {@code 2 hours 5 minutes}): pairs of a number and a unit. Packer keeps the two largest units, so
 * the value is exact to the smaller of them.
 */
final class GoDurations {
    private GoDurations() {
    }

    /** Seconds, or NaN when the text is not such a duration. */
    static double seconds(String text) {
        String[] words = text.trim().split(" +");
        if (words.length == 0 || words.length % 2 != 0) {
            return Double.NaN;
        }
        double total = 0;
        for (int i = 0; i < words.length; i += 2) {
            long n;
            try {
                n = Long.parseLong(words[i]);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
            double unit = unit(words[i + 1]);
            if (Double.isNaN(unit) || n < 0) {
                return Double.NaN;
            }
            total += n * unit;
        }
        // Sums of decimal fractions are not exact in binary: keep nanoseconds.
        return Math.round(total * 1e9) / 1e9;
    }

    private static double unit(String word) {
        String w = word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
        return switch (w) {
            case "year" -> 365 * 86400.0;
            case "week" -> 7 * 86400.0;
            case "day" -> 86400.0;
            case "hour" -> 3600.0;
            case "minute" -> 60.0;
            case "second" -> 1.0;
            case "millisecond" -> 1e-3;
            case "microsecond" -> 1e-6;
            case "nanosecond" -> 1e-9;
            default -> Double.NaN;
        };
    }
}
