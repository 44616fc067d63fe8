package io.vaultcube.pipeline.run.stress;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageSettings;
import io.vaultcube.pipeline.run.StageNaming;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one stress run needs. Immutable; build it with {@link #builder(List, Duration, Path)}.
 *
 * @param workload the workload's argv (e.g. {@code python3 scripts/stress-gpus.py --duration 25h}); never a shell string
 * @param duration the planned soak: the workload is stopped when it is over
 * @param interval the telemetry sampling interval
 * @param samplerPath the telemetry sampler ({@code scripts/sample-telemetry.sh} or a stand-in)
 * @param stageName the evidence stage: {@code stress} (the documented names), or e.g. {@code stress-1h}
 *     for a progressive stage, whose metric names then start with {@code stress_1h.}
 * @param progressEvery how often a progress line is printed
 * @param endGrace how long after the planned end the workload may take to end by itself before it
 *     is stopped (for self-timed workloads that print their verdict only at their own end, such as
 *     gpu-burn); zero stops it at the planned end
 * @param journalctl the journalctl executable for the kernel log of the run's window
 * @param dmesg the dmesg executable, used when the journal cannot be read
 * @param process where the workload runs, the environment of the workload and the sampler, how long
 *     the workload has after SIGINT to stop and write its result, and values to mask; no timeout
 *     (the duration and the end grace limit the run)
*
 * <p>Serializable (a Jenkins step sends it to the agent that runs the stress test): paths are held as text,
 * since {@link Path} is not serializable, and deserializing runs the checks again.
 */
public record StressSettings(
        List<String> workload,
        Duration duration,
        Duration interval,
        String samplerPath,
        String stageName,
        Duration progressEvery,
        Duration endGrace,
        String journalctl,
        String dmesg,
        ProcessControl process) implements StageSettings {

    public static final String DEFAULT_STAGE = "stress";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(60);
    /** stress-gpus.py stops its workers after their current round; its own stop grace is 60 s. */
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(90);

    public StressSettings {
        workload = List.copyOf(Objects.requireNonNull(workload, "workload"));
        if (workload.isEmpty() || workload.get(0).isEmpty()) {
            throw new IllegalArgumentException("a workload command is required (after --)");
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be longer than zero");
        }
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the sampling interval must be longer than zero");
        }
        if (interval.compareTo(duration) > 0) {
            throw new IllegalArgumentException("the sampling interval (" + interval.toMillis()
                    + " ms) is longer than the run (" + duration.toMillis() + " ms)");
        }
        Objects.requireNonNull(samplerPath, "sampler");
        stageName = StageNaming.requireStageName(stageName == null ? DEFAULT_STAGE : stageName);
        progressEvery = progressEvery == null ? DEFAULT_PROGRESS_EVERY : progressEvery;
        if (progressEvery.isNegative() || progressEvery.isZero()) {
            throw new IllegalArgumentException("the progress period must be longer than zero");
        }
        endGrace = endGrace == null ? Duration.ZERO : endGrace;
        if (endGrace.isNegative()) {
            throw new IllegalArgumentException("the end grace must not be negative");
        }
        journalctl = journalctl == null || journalctl.isBlank() ? "journalctl" : journalctl;
        dmesg = dmesg == null || dmesg.isBlank() ? "dmesg" : dmesg;
        Objects.requireNonNull(process, "process");
        if (process.timeout() != null) {
            throw new IllegalArgumentException("a stress run is limited by its duration and end grace, not a timeout");
        }
    }

    /** {@link #samplerPath()} as a path, or null. */
    public Path sampler() {
        return StageSettings.path(samplerPath);
    }

    public static Builder builder(List<String> workload, Duration duration, Path sampler) {
        return new Builder(workload, duration, sampler);
    }

    /** Builds {@link StressSettings}. */
    public static final class Builder extends ProcessControl.Builder<Builder> {
        private final List<String> workload;
        private final Duration duration;
        private final Path sampler;
        private Duration interval = DEFAULT_INTERVAL;
        private String stageName = DEFAULT_STAGE;
        private Duration progressEvery = DEFAULT_PROGRESS_EVERY;
        private Duration endGrace = Duration.ZERO;
        private String journalctl = "journalctl";
        private String dmesg = "dmesg";

        private Builder(List<String> workload, Duration duration, Path sampler) {
            super(DEFAULT_INTERRUPT_GRACE);
            this.workload = new ArrayList<>(Objects.requireNonNull(workload, "workload"));
            this.duration = duration;
            this.sampler = sampler;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder interval(Duration value) {
            this.interval = value;
            return this;
        }

        public Builder stageName(String value) {
            this.stageName = value;
            return this;
        }

        public Builder progressEvery(Duration value) {
            this.progressEvery = value;
            return this;
        }

        public Builder endGrace(Duration value) {
            this.endGrace = value;
            return this;
        }

        public Builder journalctl(String value) {
            this.journalctl = value;
            return this;
        }

        public Builder dmesg(String value) {
            this.dmesg = value;
            return this;
        }

        public StressSettings build() {
            return new StressSettings(workload, duration, interval, sampler.toString(), stageName, progressEvery, endGrace,
                    journalctl, dmesg, processControl());
        }
    }
}
