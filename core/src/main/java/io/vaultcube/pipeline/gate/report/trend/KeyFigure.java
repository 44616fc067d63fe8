package io.vaultcube.pipeline.gate.report.trend;

/**
 * The figures of a run that a person compares across runs (issue 14): each is one metric of the
 * evidence (docs/metrics.md), kept per run in {@link RunFigures} so that a trend over many runs never
 * reads their full reports.
 */
public enum KeyFigure {
    DDP_SCALING_EFFICIENCY("ddp.scaling_efficiency", "DDP scaling efficiency", "ratio"),
    VLLM_OUTPUT_TOKENS_PER_S("vllm.output_tokens_per_s", "vLLM output tokens/s", "tokens/s"),
    STRESS_MAX_TEMPERATURE_C("telemetry.temperature_c.max", "Stress max temperature", "C"),
    STRESS_THROTTLE_EVENTS("telemetry.throttle_events", "Stress throttle events", null),
    STRESS_TELEMETRY_COVERAGE("telemetry.coverage", "Stress telemetry coverage", "ratio"),
    GPU_XID_COUNT("xid.count", "Xid (GPU validation)", null),
    STRESS_XID_COUNT("stress.xid.count", "Xid (stress test)", null);

    private final String metric;
    private final String label;
    private final String unit;

    KeyFigure(String metric, String label, String unit) {
        this.metric = metric;
        this.label = label;
        this.unit = unit;
    }

    /** The metric's name in the evidence. */
    public String metric() {
        return metric;
    }

    /** What a person reads. */
    public String label() {
        return label;
    }

    /** The unit, or null for a count. */
    public String unit() {
        return unit;
    }
}
