package io.vaultcube.pipeline.parse;

import java.util.Locale;

/**
 * The physical range of each kind of quantity the parsers read, kept in one place
 * (docs/metrics.md lists them). A value outside its range cannot have come from a working tool
 * (a GPU at −40 C, a negative memory size, a power limit of −5 W): it is garbled output or a
 * broken sensor, and the parser refuses the input with the file and line instead of letting a
 * gate judge it ({@code −40 C} would pass {@code below: 60}).
 *
 * <p>The bounds are wide on purpose: they reject the impossible, not the unusual.
 */
public enum Quantity {
    /** A temperature a sensor reads: NVML reports it as an unsigned number of degrees. */
    TEMPERATURE_C(0, 200, "C"),
    /** A distance to a temperature limit (T.Limit margins): negative when over the limit. */
    TEMPERATURE_MARGIN_C(-200, 200, "C"),
    /** Power drawn or a power limit: no single GPU or module reaches 10 kW. */
    POWER_W(0, 10_000, "W"),
    /** A memory size or amount used: at most 16 TiB. */
    MEMORY_MIB(0, 16L * 1024 * 1024, "MiB"),
    /** A share of time or capacity (utilization). */
    PERCENT(0, 100, "%"),
    /** A fan speed: NVML says it may exceed 100 % of the rated speed, so only the sign is checked. */
    FAN_PERCENT(0, 1_000, "%"),
    /** A clock frequency. */
    CLOCK_MHZ(0, 100_000, "MHz"),
    /** A PCIe link generation (1 to 7 exist). */
    PCIE_GENERATION(1, 16, null),
    /** A PCIe link width in lanes (x1 to x32). */
    PCIE_WIDTH(1, 64, null),
    /** A duration: not negative, less than ten years. */
    DURATION_S(0, 10 * 366 * 86_400.0, "s"),
    /** A count of events, items or errors. */
    COUNT(0, Long.MAX_VALUE, null),
    /** A data rate (bus or algorithm bandwidth). */
    BANDWIDTH_GBPS(0, 1_000_000, "GB/s"),
    /** A rate of floating-point work. */
    GFLOPS(0, 1e9, "Gflop/s");

    private final double min;
    private final double max;
    private final String unit;

    Quantity(double min, double max, String unit) {
        this.min = min;
        this.max = max;
        this.unit = unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** True when v is a value this quantity can take. */
    public boolean allows(double v) {
        return v >= min && v <= max;
    }

    /** v itself when possible; otherwise a ParseException at the reader's current line. */
    public double require(double v, LineReader lines, String what) throws ParseException {
        if (!allows(v)) {
            throw lines.error(refusal(v, what));
        }
        return v;
    }

    /** v itself when possible; otherwise a ParseException at the given file and line. */
    public double require(double v, String file, long line, String what) throws ParseException {
        if (!allows(v)) {
            throw new ParseException(file, line, refusal(v, what));
        }
        return v;
    }

    /** The sentence that refuses v as a value of what. */
    public String refusal(double v, String what) {
        return "impossible " + describe() + " for " + what + ": " + format(v) + (unit == null ? "" : " " + unit)
                + " (" + range() + "): garbled output or a broken sensor";
    }

    /** "a temperature" etc. */
    public String describe() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ').replaceAll(" (c|w|mib|s|mhz|gbps)$", "");
    }

    /** The range in words, as docs/metrics.md shows it. */
    public String range() {
        String u = unit == null ? "" : " " + unit;
        if (max == Long.MAX_VALUE) {
            return "at least " + format(min) + u;
        }
        return format(min) + " to " + format(max) + u;
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
