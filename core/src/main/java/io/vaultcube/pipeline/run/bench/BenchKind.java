package io.vaultcube.pipeline.run.bench;

import java.util.Locale;

/** The benchmarks {@code vault bench} runs, with their parser, default stage and metric namespace. */
public enum BenchKind {
    /** PyTorch DDP scaling ({@code scripts/test-pytorch-ddp.py}, JSON {@code vault-ddp/1}). */
    DDP("ddp", "ddp"),
    /** TensorFlow on every GPU ({@code scripts/test-tensorflow.py}, JSON {@code vault-tensorflow/1}). */
    TENSORFLOW("tensorflow", "tensorflow"),
    /** vLLM inference ({@code scripts/test-vllm-inference.py}, or vLLM's own bench output and JSON). */
    VLLM("vllm", "vllm");

    private final String parserKind;
    private final String metricRoot;

    BenchKind(String parserKind, String metricRoot) {
        this.parserKind = parserKind;
        this.metricRoot = metricRoot;
    }

    /** The name on the command line: {@code ddp}, {@code tensorflow}, {@code vllm}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of the parser that reads its result. */
    public String parserKind() {
        return parserKind;
    }

    /** The first part of its metric names; telemetry is {@code ROOT.telemetry.*}. */
    public String metricRoot() {
        return metricRoot;
    }

    /** Its stage when none is named: {@code bench-ddp}, {@code bench-tensorflow}, {@code bench-vllm}. */
    public String defaultStage() {
        return "bench-" + id();
    }

    /** The kind named on a command line; the message lists the kinds. */
    public static BenchKind of(String id) {
        for (BenchKind k : values()) {
            if (k.id().equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("no benchmark '" + id + "'; there are ddp, tensorflow and vllm");
    }
}
