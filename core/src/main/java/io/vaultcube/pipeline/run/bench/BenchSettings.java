package io.vaultcube.pipeline.run.bench;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageNaming;
import java.io.Serializable;
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
 * @param sampler the telemetry sampler, or null with {@code telemetry} off
 * @param telemetry whether to sample telemetry while the benchmark runs
 * @param stageName the evidence stage: the kind's default ({@code bench-ddp}, ...) writes the documented
 *     names; another (e.g. {@code bench-ddp-amp}) writes them prefixed with its name ({@code bench_ddp_amp.ddp.…})
 * @param process where the benchmark runs, the environment of the benchmark and the sampler, its
 *     time limit, how long it has after SIGINT to stop and write its result, and values to mask
*
 * <p>Serializable (a Jenkins step sends it to the agent that runs the benchmark), through a form that
 * holds paths as strings, since {@link Path} is not serializable.
 */
public record BenchSettings(
        BenchKind kind,
        List<String> command,
        Duration interval,
        Path sampler,
        boolean telemetry,
        String stageName,
        ProcessControl process) implements Serializable {

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
        if (telemetry && sampler == null) {
            throw new IllegalArgumentException("a telemetry sampler is required unless telemetry is off");
        }
        stageName = StageNaming.requireStageName(stageName == null ? kind.defaultStage() : stageName);
        Objects.requireNonNull(process, "process");
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
            return new BenchSettings(kind, command, interval, sampler, telemetry, stageName, processControl());
        }
    }

    private Object writeReplace() {
        return new Form(this);
    }

    /** The serialized form of {@link BenchSettings}. */
    private static final class Form implements Serializable {
        private static final long serialVersionUID = 1L;
        private final BenchKind kind;
        private final ArrayList<String> command;
        private final Duration interval;
        private final String sampler;
        private final boolean telemetry;
        private final String stageName;
        private final ProcessControl process;

        Form(BenchSettings s) {
            kind = s.kind;
            command = new ArrayList<>(s.command);
            interval = s.interval;
            sampler = s.sampler == null ? null : s.sampler.toString();
            telemetry = s.telemetry;
            stageName = s.stageName;
            process = s.process;
        }

        private Object readResolve() {
            return new BenchSettings(kind, command, interval, sampler == null ? null : Path.of(sampler), telemetry,
                    stageName, process);
        }
    }
}
