package io.vaultcube.pipeline.gate;

import static io.vaultcube.pipeline.gate.ValueFormat.number;

import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.yaml.YamlTree.ListNode;
import io.vaultcube.pipeline.yaml.YamlTree.Node;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarKind;
import io.vaultcube.pipeline.yaml.YamlTree.ScalarNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a gate, as the policy spells it ({@link #key()}). The evaluator checks that the
 * observed value is of the {@link #kind()} the condition needs before it calls {@link #test}, so a
 * value of the wrong type fails instead of passing. See docs/policy.md.
 *
 * <p>A condition describes itself: its reader ({@code READER}, listed in {@link Conditions}) reads
 * it from the policy, {@link #test} evaluates it, and {@link #limit()} and {@link #threshold}
 * say where it draws the line, for the policy's consistency check and for the report's charts.
 */
public interface Condition {

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

    /**
     * The line a numeric condition draws, for checks across a gate's conditions and for charts;
     * empty for a condition on text or booleans.
     */
    default Optional<Limit> limit() {
        return Optional.empty();
    }

    /**
     * The value this condition compares an observation against: its bound, or its factor times
     * the baseline; empty when it has none (or needs a baseline that is not there).
     */
    default OptionalDouble threshold(Double baseline) {
        return limit().map(l -> l.at(baseline)).orElse(OptionalDouble.empty());
    }

    /** Which side of a line passes. */
    enum Side {
        /** Values at or above (above: strictly) the line pass. */
        LOWER,
        /** Values at or below (below: strictly) the line pass. */
        UPPER,
        /** Only the value on the line passes. */
        EXACT
    }

    /**
     * A line a numeric condition draws.
     *
     * @param side which side passes
     * @param value the bound, or the factor of the baseline when {@code ofBaseline}
     * @param strict whether a value on the line fails
     * @param ofBaseline whether the line is {@code value} times the baseline's value
     */
    record Limit(Side side, double value, boolean strict, boolean ofBaseline) {
        /** Where the line is, given the baseline (null when there is none). */
        public OptionalDouble at(Double baseline) {
            if (!ofBaseline) {
                return OptionalDouble.of(value);
            }
            return baseline == null ? OptionalDouble.empty() : OptionalDouble.of(value * baseline);
        }
    }

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
        /** Reads {@code min: N}. */
        public static final ConditionReader READER = (key, v, in) -> {
            Double n = in.number(key, v);
            return n == null ? null : new Min(n);
        };

        @Override
        public Optional<Limit> limit() {
            return Optional.of(new Limit(Side.LOWER, bound, false, false));
        }

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
        /** Reads {@code max: N}. */
        public static final ConditionReader READER = (key, v, in) -> {
            Double n = in.number(key, v);
            return n == null ? null : new Max(n);
        };

        @Override
        public Optional<Limit> limit() {
            return Optional.of(new Limit(Side.UPPER, bound, false, false));
        }

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
        /** Reads {@code above: N}. */
        public static final ConditionReader READER = (key, v, in) -> {
            Double n = in.number(key, v);
            return n == null ? null : new Above(n);
        };

        @Override
        public Optional<Limit> limit() {
            return Optional.of(new Limit(Side.LOWER, bound, true, false));
        }

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
        /** Reads {@code below: N}. */
        public static final ConditionReader READER = (key, v, in) -> {
            Double n = in.number(key, v);
            return n == null ? null : new Below(n);
        };

        @Override
        public Optional<Limit> limit() {
            return Optional.of(new Limit(Side.UPPER, bound, true, false));
        }

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
        /** Reads {@code eq: V}, a number or a string. */
        public static final ConditionReader READER = (key, v, in) -> {
            MetricValue value = in.comparable(key, v);
            return value == null ? null : new Eq(value);
        };

        @Override
        public Optional<Limit> limit() {
            return expected instanceof MetricValue.Num n ? Optional.of(new Limit(Side.EXACT, n.value(), false, false))
                    : Optional.empty();
        }

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
        /** Reads {@code in: [V, ...]}, numbers or strings, not both. */
        public static final ConditionReader READER = (key, v, in) -> {
            if (!(v instanceof ListNode list) || list.items().isEmpty()) {
                in.problem(v, "in needs a non-empty list of numbers or of strings, found " + ConditionInput.shown(v));
                return null;
            }
            List<MetricValue> values = new ArrayList<>();
            for (Node item : list.items()) {
                MetricValue value = in.comparable(key, item);
                if (value == null) {
                    return null;
                }
                if (!values.isEmpty() && ValueKind.of(value) != ValueKind.of(values.get(0))) {
                    in.problem(item, "in mixes numbers and strings; a metric is one or the other");
                    return null;
                }
                values.add(value);
            }
            return new In(values);
        };

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
        /** Reads {@code matches: "REGEX"}, a regular expression that compiles. */
        public static final ConditionReader READER = (key, v, in) -> {
            if (!(v instanceof ScalarNode s) || s.kind() != ScalarKind.STRING) {
                in.problem(v, "matches needs a regular expression in quotes, found " + ConditionInput.shown(v));
                return null;
            }
            try {
                return new Matches(Pattern.compile((String) s.value()));
            } catch (PatternSyntaxException ex) {
                in.problem(v, "matches: the regular expression does not compile: " + ex.getDescription()
                        + " near index " + ex.getIndex() + " of " + ValueFormat.quote(ex.getPattern()));
                return null;
            }
        };

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
            boolean matched;
            try {
                matched = pattern.matcher(new BoundedText(text)).matches();
            } catch (BoundedText.TooComplex e) {
                // Fail closed: an undecided match is not a pass.
                return Outcome.fail("could not decide whether " + shown + " matches "
                        + ValueFormat.quote(pattern.pattern())
                        + ": the pattern backtracks too much (simplify it, e.g. no repeated group that can match the same text in many ways like (.*a){20})");
            }
            return matched
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
        /** Reads {@code is: true|false}. */
        public static final ConditionReader READER = (key, v, in) -> {
            if (v instanceof ScalarNode s && s.kind() == ScalarKind.BOOLEAN) {
                return new Is((Boolean) s.value());
            }
            in.problem(v, "is needs true or false, found " + ConditionInput.shown(v));
            return null;
        };

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
        /** Reads {@code min_ratio: R}, a factor above 0. */
        public static final ConditionReader READER = (key, v, in) -> {
            Double n = in.number(key, v);
            if (n == null) {
                return null;
            }
            if (n <= 0) {
                in.problem(v, key + " is a factor of the baseline's value and must be above 0, found "
                        + ValueFormat.number(n));
                return null;
            }
            return new MinRatio(n);
        };

        @Override
        public Optional<Limit> limit() {
            return Optional.of(new Limit(Side.LOWER, ratio, false, true));
        }

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
        /** Reads {@code max_ratio: R}, a factor above 0. */
        public static final ConditionReader READER = (key, v, in) -> {
            Double n = in.number(key, v);
            if (n == null) {
                return null;
            }
            if (n <= 0) {
                in.problem(v, key + " is a factor of the baseline's value and must be above 0, found "
                        + ValueFormat.number(n));
                return null;
            }
            return new MaxRatio(n);
        };

        @Override
        public Optional<Limit> limit() {
            return Optional.of(new Limit(Side.UPPER, ratio, false, true));
        }

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
        return "observed is " + String.format(Locale.ROOT, "%.1f", 100.0 * x / baseline) + " % of baseline";
    }

    /** Equality of two values of the same kind; numbers compare exactly. */
    private static boolean same(MetricValue a, MetricValue b) {
        if (a instanceof MetricValue.Num x && b instanceof MetricValue.Num y) {
            return x.value() == y.value();
        }
        return a.equals(b);
    }
}
