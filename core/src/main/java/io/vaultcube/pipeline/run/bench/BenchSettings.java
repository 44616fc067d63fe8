package io.vaultcube.pipeline.run.bench;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageSettings;
import io.vaultcube.pipeline.run.StageNaming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one benchmark run needs. Immutable; build it with {@link #builder(BenchKind, List)}.
 *
 * @param kind which benchmark: decides the parser, the default stage and the metric namespace
 * @param command the benchmark's argv (never a shell string); nothing is appended to it
 * @param interval the telemetry sampling interval
 * @param samplerPath the telemetry sampler, or null with {@code telemetry} off
 * @param telemetry whether to sample telemetry while the benchmark runs
 * @param stageName the evidence stage: the kind's default ({@code bench-ddp}, ...) writes the documented
 *     names; another (e.g. {@code bench-ddp-amp}) writes them prefixed with its name ({@code bench_ddp_amp.ddp.…})
 * @param process where the benchmark runs, the environment of the benchmark and the sampler, its
 *     time limit, how long it has after SIGINT to stop and write its result, and values to mask
*
 * <p>Serializable (a Jenkins step sends it to the agent that runs the benchmark): paths are held as text,
 * since {@link Path} is not serializable, and deserializing runs the checks again.
 */
public record BenchSettings(
        BenchKind kind,
        List<String> command,
        Duration interval,
        String samplerPath,
        boolean telemetry,
        String stageName,
        ProcessControl process) implements StageSettings {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(60);

    public BenchSettings {
        Objects.requireNonNull(kind, "kind");
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("a benchmark command is required (after --)");
        }
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the sampling interval must be longer than zero");
        }
        if (telemetry && samplerPath == null) {
            throw new IllegalArgumentException("a telemetry sampler is required unless telemetry is off");
        }
        stageName = StageNaming.requireStageName(stageName == null ? kind.defaultStage() : stageName);
        Objects.requireNonNull(process, "process");
    }

    /** {@link #samplerPath()} as a path, or null. */
    public Path sampler() {
        return StageSettings.path(samplerPath);
    }

    public static Builder builder(BenchKind kind, List<String> command) {
        return new Builder(kind, command);
    }

    /** Builds {@link BenchSettings}. */
    public static final class Builder extends ProcessControl.Builder<Builder> {
        private final BenchKind kind;
        private final List<String> command;
        private Duration interval = DEFAULT_INTERVAL;
        private Path sampler;
        private boolean telemetry = true;
        private String stageName;

        private Builder(BenchKind kind, List<String> command) {
            super(DEFAULT_INTERRUPT_GRACE);
            this.kind = kind;
            this.command = new ArrayList<>(Objects.requireNonNull(command, "command"));
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder interval(Duration value) {
            this.interval = value;
            return this;
        }

        public Builder sampler(Path value) {
            this.sampler = value;
            return this;
        }

        public Builder telemetry(boolean value) {
            this.telemetry = value;
            return this;
        }

        public Builder stageName(String value) {
            this.stageName = value;
            return this;
        }

        public BenchSettings build() {
            return new BenchSettings(kind, command, interval, StageSettings.text(sampler), telemetry, stageName, processControl());
        }
    }
}
