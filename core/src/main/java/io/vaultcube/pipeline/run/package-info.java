/**
 * The runners of the pipeline's long tool runs: Packer ({@code run.packer}), Ansible
 * ({@code run.ansible}), GPU validation ({@code run.gpu}), benchmarks ({@code run.bench}) and the
 * stress test ({@code run.stress}), with the telemetry sampling they share ({@link
 * io.vaultcube.pipeline.run.TelemetrySampler}, {@link io.vaultcube.pipeline.run.TelemetryFollower}).
 *
 * <p>Every runner has the same shape, so that a Jenkins step can run it on an agent inside a file
 * callable and the {@code vault} command can run it directly: it takes its settings as one
 * immutable value, writes what the person should see to an output stream and what the machine
 * should keep to one stage of an evidence directory, returns a {@link io.vaultcube.pipeline.run.RunResult},
 * keeps no global state, and is stopped by interrupting the thread that runs it. See
 * docs/runners.md.
 */
package io.vaultcube.pipeline.run;
