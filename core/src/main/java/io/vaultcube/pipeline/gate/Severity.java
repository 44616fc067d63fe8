package io.vaultcube.pipeline.gate;

import java.util.Locale;

/** What a gate's failure does to the verdict (policy key {@code severity}). */
public enum Severity {
    /** The gate's failure fails the verdict (the default). */
    FAILURE,
    /** The gate's failure makes the verdict UNSTABLE at worst (a warning a person must look at). */
    UNSTABLE;

    /** The spelling in policies and reports: {@code failure}, {@code unstable}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
