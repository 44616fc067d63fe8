package io.vaultcube.pipeline.evidence;

import java.util.Objects;

/** A metric's value: a finite number, a boolean or a string. */
public sealed interface MetricValue permits MetricValue.Num, MetricValue.Bool, MetricValue.Text {

    /** The value as Java sees it: Double (or Long when integral), Boolean or String. */
    Object raw();

    static MetricValue of(double value) {
        return new Num(value);
    }

    static MetricValue of(boolean value) {
        return new Bool(value);
    }

    static MetricValue of(String value) {
        return new Text(value);
    }

    record Num(double value) implements MetricValue {
        public Num {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a metric number must be finite, not " + value);
            }
        }

        /** True when the number is a whole number that a long holds exactly. */
        public boolean isIntegral() {
            return value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15;
        }

        @Override
        public Object raw() {
            return isIntegral() ? (Object) (long) value : (Object) value;
        }

        @Override
        public String toString() {
            return isIntegral() ? Long.toString((long) value) : Double.toString(value);
        }
    }

    record Bool(boolean value) implements MetricValue {
        @Override
        public Object raw() {
            return value;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    record Text(String value) implements MetricValue {
        public Text {
            Objects.requireNonNull(value, "a metric string must not be null");
        }

        @Override
        public Object raw() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
