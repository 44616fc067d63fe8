package io.vaultcube.pipeline.gate;

import static io.vaultcube.pipeline.gate.ValueFormat.number;

import io.vaultcube.pipeline.evidence.MetricValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One condition of a gate, as the policy spells it ({@link #key()}). The evaluator checks that the
 * observed value is of the {@link #kind()} the condition needs before it calls {@link #test}, so a
 * value of the wrong type fails instead of passing. See docs/policy.md.
 */
public sealed interface Condition permits Condition.Min, Condition.Max, Condition.Above, Condition.Below,
        Condition.Eq, Condition.In, Condition.Matches, Condition.Is, Condition.MinRatio, Condition.MaxRatio {

    /** The policy key: {@code min}, {@code max}, {@code above}, ... */
    String key();

    /** The condition as reports show it: {@code min 32000}. */
    String describe();

    /** The kind of observed value it needs. */
    ValueKind kind();

    /** True when it compares against the baseline's value of the same metric. */
    default boolean usesBaseline() {
        return false;
    }

    /**
     * Tests an observed value of the right {@link #kind()}.
     *
     * @param unit the metric's unit, for messages (may be null)
     * @param baseline the baseline's value when {@link #usesBaseline()}, positive and finite; else null
     */
    Outcome test(MetricValue observed, String unit, Double baseline);

    /** The result of one test: whether it held, and a phrase that says why. */
    record Outcome(boolean passed, String message) {
        static Outcome pass(String message) {
            return new Outcome(true, message);
        }

        static Outcome fail(String message) {
            return new Outcome(false, message);
        }
    }

    private static double num(MetricValue v) {
        return ((MetricValue.Num) v).value();
    }

    /** {@code min: N}: observed ≥ N. */
    record Min(double bound) implements Condition {
        public String key() {
            return "min";
        }

        public String describe() {
            return "min " + number(bound);
        }

        public ValueKind kind() {
            return ValueKind.NUMBER;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            double x = num(observed);
            return x >= bound ? Outcome.pass(number(x, unit) + " >= min " + number(bound, unit))
                    : Outcome.fail("observed " + number(x, unit) + " < min " + number(bound, unit));
        }
    }

    /** {@code max: N}: observed ≤ N. */
    record Max(double bound) implements Condition {
        public String key() {
            return "max";
        }

        public String describe() {
            return "max " + number(bound);
        }

        public ValueKind kind() {
            return ValueKind.NUMBER;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            double x = num(observed);
            return x <= bound ? Outcome.pass(number(x, unit) + " <= max " + number(bound, unit))
                    : Outcome.fail("observed " + number(x, unit) + " > max " + number(bound, unit));
        }
    }

    /** {@code above: N}: observed &gt; N (strictly). */
    record Above(double bound) implements Condition {
        public String key() {
            return "above";
        }

        public String describe() {
            return "above " + number(bound);
        }

        public ValueKind kind() {
            return ValueKind.NUMBER;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            double x = num(observed);
            return x > bound ? Outcome.pass(number(x, unit) + " > " + number(bound, unit))
                    : Outcome.fail("observed " + number(x, unit) + " is not above " + number(bound, unit));
        }
    }

    /** {@code below: N}: observed &lt; N (strictly). */
    record Below(double bound) implements Condition {
        public String key() {
            return "below";
        }

        public String describe() {
            return "below " + number(bound);
        }

        public ValueKind kind() {
            return ValueKind.NUMBER;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            double x = num(observed);
            return x < bound ? Outcome.pass(number(x, unit) + " < " + number(bound, unit))
                    : Outcome.fail("observed " + number(x, unit) + " is not below " + number(bound, unit));
        }
    }

    /** {@code eq: V}: observed equals a number or a string, exactly. */
    record Eq(MetricValue expected) implements Condition {
        public String key() {
            return "eq";
        }

        public String describe() {
            return "eq " + ValueFormat.value(expected, null);
        }

        public ValueKind kind() {
            return ValueKind.of(expected);
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            String shown = ValueFormat.value(observed, unit);
            return same(observed, expected) ? Outcome.pass(shown + " = " + ValueFormat.value(expected, unit))
                    : Outcome.fail("observed " + shown + ", expected " + ValueFormat.value(expected, unit));
        }
    }

    /** {@code in: [V, ...]}: observed equals one of the listed numbers or strings. */
    record In(List<MetricValue> allowed) implements Condition {
        public In {
            allowed = List.copyOf(allowed);
        }

        public String key() {
            return "in";
        }

        public String describe() {
            return "in " + list();
        }

        public ValueKind kind() {
            return ValueKind.of(allowed.get(0));
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            String shown = ValueFormat.value(observed, unit);
            for (MetricValue v : allowed) {
                if (same(observed, v)) {
                    return Outcome.pass(shown + " is in " + list());
                }
            }
            return Outcome.fail("observed " + shown + " is not one of " + list());
        }

        private String list() {
            List<String> shown = new ArrayList<>();
            allowed.forEach(v -> shown.add(ValueFormat.value(v, null)));
            return "[" + String.join(", ", shown) + "]";
        }
    }

    /** {@code matches: REGEX}: the whole observed text matches the regular expression. */
    record Matches(Pattern pattern) implements Condition {
        public String key() {
            return "matches";
        }

        public String describe() {
            return "matches " + ValueFormat.quote(pattern.pattern());
        }

        public ValueKind kind() {
            return ValueKind.TEXT;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            String text = ((MetricValue.Text) observed).value();
            String shown = ValueFormat.quote(text);
            return pattern.matcher(text).matches()
                    ? Outcome.pass(shown + " matches " + ValueFormat.quote(pattern.pattern()))
                    : Outcome.fail("observed " + shown + " does not match " + ValueFormat.quote(pattern.pattern()));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Matches m && m.pattern.pattern().equals(pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }

    /** {@code is: true|false}: a boolean metric has this value. */
    record Is(boolean expected) implements Condition {
        public String key() {
            return "is";
        }

        public String describe() {
            return "is " + expected;
        }

        public ValueKind kind() {
            return ValueKind.BOOLEAN;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            boolean b = ((MetricValue.Bool) observed).value();
            return b == expected ? Outcome.pass("is " + b) : Outcome.fail("observed " + b + ", expected " + expected);
        }
    }

    /** {@code min_ratio: R}: observed ≥ R × baseline ("not slower than"; a higher value always passes). */
    record MinRatio(double ratio) implements Condition {
        public String key() {
            return "min_ratio";
        }

        public String describe() {
            return "min_ratio " + number(ratio);
        }

        public ValueKind kind() {
            return ValueKind.NUMBER;
        }

        public boolean usesBaseline() {
            return true;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            double x = num(observed);
            double limit = ratio * baseline;
            String rel = number(ratio) + " x baseline " + number(baseline, unit) + " = " + number(limit, unit)
                    + " (" + percentOf(x, baseline) + ")";
            return x >= limit ? Outcome.pass(number(x, unit) + " >= " + rel)
                    : Outcome.fail("observed " + number(x, unit) + " < " + rel);
        }
    }

    /** {@code max_ratio: R}: observed ≤ R × baseline ("not longer/bigger than"; a lower value always passes). */
    record MaxRatio(double ratio) implements Condition {
        public String key() {
            return "max_ratio";
        }

        public String describe() {
            return "max_ratio " + number(ratio);
        }

        public ValueKind kind() {
            return ValueKind.NUMBER;
        }

        public boolean usesBaseline() {
            return true;
        }

        public Outcome test(MetricValue observed, String unit, Double baseline) {
            double x = num(observed);
            double limit = ratio * baseline;
            String rel = number(ratio) + " x baseline " + number(baseline, unit) + " = " + number(limit, unit)
                    + " (" + percentOf(x, baseline) + ")";
            return x <= limit ? Outcome.pass(number(x, unit) + " <= " + rel)
                    : Outcome.fail("observed " + number(x, unit) + " > " + rel);
        }
    }

    /** "observed is 93.1 % of baseline". */
    private static String percentOf(double x, double baseline) {
        return "observed is " + String.format(java.util.Locale.ROOT, "%.1f", 100.0 * x / baseline) + " % of baseline";
    }

    /** Equality of two values of the same kind; numbers compare exactly. */
    private static boolean same(MetricValue a, MetricValue b) {
        if (a instanceof MetricValue.Num x && b instanceof MetricValue.Num y) {
            return x.value() == y.value();
        }
        return a.equals(b);
    }
}
