package io.vaultcube.pipeline.evidence;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One measured fact: a name (see {@link MetricName}), a value, an optional unit, and the evidence
 * it was read from (null only for values derived from no file at all).
 */
public record Metric(MetricName name, MetricValue value, String unit, EvidenceSource source) {
    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (unit != null && unit.isBlank()) {
            unit = null;
        }
    }

    public static Metric number(String name, double value, String unit, EvidenceSource source) {
        return new Metric(MetricName.parse(name), MetricValue.of(value), unit, source);
    }

    public static Metric number(MetricName name, double value, String unit, EvidenceSource source) {
        return new Metric(name, MetricValue.of(value), unit, source);
    }

    public static Metric bool(String name, boolean value, EvidenceSource source) {
        return new Metric(MetricName.parse(name), MetricValue.of(value), null, source);
    }

    public static Metric bool(MetricName name, boolean value, EvidenceSource source) {
        return new Metric(name, MetricValue.of(value), null, source);
    }

    public static Metric text(String name, String value, EvidenceSource source) {
        return new Metric(MetricName.parse(name), MetricValue.of(value), null, source);
    }

    public static Metric text(MetricName name, String value, EvidenceSource source) {
        return new Metric(name, MetricValue.of(value), null, source);
    }

    /** The value as a double when it is a number. */
    public OptionalDouble number() {
        return value instanceof MetricValue.Num n ? OptionalDouble.of(n.value())
                : OptionalDouble.empty();
    }

    @Override
    public String toString() {
        return name + " = " + value + (unit == null ? "" : " " + unit) + (source == null ? "" : "  (" + source + ")");
    }
}
