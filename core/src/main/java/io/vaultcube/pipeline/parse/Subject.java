package io.vaultcube.pipeline.parse;

/**
 * What the gate and the reports know of a metric subject (the first segment of a metric name,
 * {@code gpu_burn} of {@code gpu_burn.ok}): which pipeline stage makes it, so that a gate that
 * finds no such metric can say where it should have come from, and whether it is a benchmark
 * figure, drawn as a bar in the report. Listed once, in {@link ParserRegistry#SUBJECTS}.
 *
 * @param name the subject
 * @param stage the stage (by its default name) that writes it, or null when no stage does (it
 *     comes from {@code vault parse} only)
 * @param benchmark whether its figures are benchmark results
 */
public record Subject(String name, String stage, boolean benchmark) {
}
