package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricValue;

/**
 * {@code not_eq: V}: observed differs from a number or a string (a driver release known to be bad,
 * a placeholder serial). Compared as {@code eq} compares: numbers by value, text by characters. It
 * draws no line (any other value passes), so it has no {@link #limit()}.
 *
 * <p>Added in one file plus its line in {@link Conditions}: the example docs/architecture.md counts.
 */
public record NotEqCondition(MetricValue excluded) implements Condition {
    /** Reads {@code not_eq: V}, a number or a string. */
    public static final ConditionReader READER = (key, v, in) -> {
        MetricValue value = in.comparable(key, v);
        return value == null ? null : new NotEqCondition(value);
    };

    @Override
    public String key() {
        return "not_eq";
    }

    @Override
    public String describe() {
        return "not_eq " + ValueFormat.value(excluded, null);
    }

    @Override
    public ValueKind kind() {
        return ValueKind.of(excluded);
    }

    @Override
    public Outcome test(MetricValue observed, String unit, Double baseline) {
        boolean same = observed instanceof MetricValue.Num x && excluded instanceof MetricValue.Num y
                ? x.value() == y.value() : observed.equals(excluded);
        String shown = ValueFormat.value(observed, unit);
        return same ? Outcome.fail("observed " + shown + ", which is excluded")
                : Outcome.pass(shown + " ≠ " + ValueFormat.value(excluded, unit));
    }
}
