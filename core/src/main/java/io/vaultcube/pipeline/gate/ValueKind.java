package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricValue;

/** The kind of value a condition needs. */
public enum ValueKind {
    NUMBER("a number"),
    BOOLEAN("a boolean"),
    TEXT("text");

    private final String words;

    ValueKind(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }

    public static ValueKind of(MetricValue value) {
        if (value instanceof MetricValue.Num) {
            return NUMBER;
        }
        if (value instanceof MetricValue.Bool) {
            return BOOLEAN;
        }
        return TEXT;
    }
}
