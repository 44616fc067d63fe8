package io.vaultcube.pipeline.run.bench;

import io.vaultcube.pipeline.run.StageNaming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one benchmark run needs. Immutable; build it with {@link #builder(BenchKind, List)}.
 *
 * @param kind which benchmark: decides the parser, the default stage and the metric namespace
 * @param command the benchmark's argv (never a shell string); nothing is appended to it
 * @param interval the telemetry sampling interval
 * @param sampler the telemetry sampler, or null with {@code telemetry} off
 * @param telemetry whether to sample telemetry while the benchmark runs
 * @param stageName the evidence stage: the kind's default ({@code bench-ddp}, ...) writes the contract's
 *     names; another (e.g. {@code bench-ddp-amp}) writes them prefixed with its name ({@code bench_ddp_amp.ddp.…})
 * @param workingDirectory where the benchmark runs, or null for the current directory
 * @param environment variables for the benchmark and the sampler on top of this process's (a null value removes one)
 * @param timeout the benchmark's time limit, or null for none
 * @param interruptGrace how long the benchmark has after SIGINT to stop and write its result
 * @param terminateGrace how long after SIGTERM before SIGKILL
 */
public record BenchSettings(
        BenchKind kind,
        List<String> command,
        Duration interval,
        Path sampler,
        boolean telemetry,
        String stageName,
        Path workingDirectory,
        Map<String, String> environment,
        Duration timeout,
        Duration interruptGrace,
        Duration terminateGrace) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(10);

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
        environment = environment == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        interruptGrace = interruptGrace == null ? DEFAULT_INTERRUPT_GRACE : interruptGrace;
        terminateGrace = terminateGrace == null ? DEFAULT_TERMINATE_GRACE : terminateGrace;
    }

    public static Builder builder(BenchKind kind, List<String> command) {
        return new Builder(kind, command);
    }

    /** Builds {@link BenchSettings}. */
    public static final class Builder {
        private final BenchKind kind;
        private final List<String> command;
        private Duration interval = DEFAULT_INTERVAL;
        private Path sampler;
        private boolean telemetry = true;
        private String stageName;
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration timeout;
        private Duration interruptGrace = DEFAULT_INTERRUPT_GRACE;
        private Duration terminateGrace = DEFAULT_TERMINATE_GRACE;

        private Builder(BenchKind kind, List<String> command) {
            this.kind = kind;
            this.command = new ArrayList<>(Objects.requireNonNull(command, "command"));
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

        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir;
            return this;
        }

        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name), value);
            return this;
        }

        public Builder timeout(Duration limit) {
            this.timeout = limit;
            return this;
        }

        public Builder graces(Duration afterInterrupt, Duration afterTerminate) {
            this.interruptGrace = Objects.requireNonNull(afterInterrupt);
            this.terminateGrace = Objects.requireNonNull(afterTerminate);
            return this;
        }

        public BenchSettings build() {
            return new BenchSettings(kind, command, interval, sampler, telemetry, stageName, workingDirectory,
                    environment, timeout, interruptGrace, terminateGrace);
        }
    }
}
