package io.vaultcube.pipeline.run;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How a runner starts and stops its tool: the part of every runner's settings that is about the
 * process, not the tool. One value, so that the five runners (and the Jenkins steps that fill
 * them) say it the same way.
 *
 * @param workingDirectoryPath where the tool runs (relative paths resolve here), or null for the
 *     current directory; text, read through {@link #workingDirectory()}
 * @param environment variables set for the tool on top of this process's environment (a null value removes one)
 * @param timeout the time limit of one run of the tool, or null for none
 * @param interruptGrace how long the tool has after SIGINT to clean up (Packer destroys its VM then)
 * @param terminateGrace how long after SIGTERM before SIGKILL
 * @param secrets values to mask in the console and the evidence (credentials a Jenkins step knows of)
 *
 * <p>Serializable (a Jenkins step sends settings to the agent that runs the tool): the path is held
 * as text, since {@link Path} is not serializable, and deserializing runs the checks again.
 */
public record ProcessControl(
        String workingDirectoryPath,
        Map<String, String> environment,
        Duration timeout,
        Duration interruptGrace,
        Duration terminateGrace,
        Set<String> secrets) implements Serializable {

    public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(10);

    public ProcessControl {
        // a copy that keeps the order and, unlike Map.copyOf, the null values that mean "remove"
        environment = environment == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        environment.keySet().forEach(k -> Objects.requireNonNull(k, "environment variable name"));
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("the timeout must be longer than zero");
        }
        terminateGrace = terminateGrace == null ? DEFAULT_TERMINATE_GRACE : terminateGrace;
        requireNotNegative(Objects.requireNonNull(interruptGrace, "interruptGrace"), "the interrupt grace");
        requireNotNegative(terminateGrace, "the terminate grace");
        secrets = Collections.unmodifiableSet(new LinkedHashSet<>(secrets == null ? Set.of() : secrets));
        secrets.forEach(s -> Objects.requireNonNull(s, "secret"));
    }

    /** Where the tool runs, or null for the current directory. */
    public Path workingDirectory() {
        return StageSettings.path(workingDirectoryPath);
    }

    /** The tool's whole environment: this process's, with {@link #environment()} applied. */
    public Map<String, String> childEnvironment() {
        return ChildEnvironment.of(environment);
    }

    private static void requireNotNegative(Duration d, String what) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative");
        }
    }

    /**
     * The process half of a runner's settings builder: one copy of the methods every runner takes.
     *
     * @param <B> the concrete builder, returned by every method so calls chain
     */
    public abstract static class Builder<B extends Builder<B>> {
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Duration timeout;
        private Duration interruptGrace;
        private Duration terminateGrace = DEFAULT_TERMINATE_GRACE;
        private final Set<String> secrets = new LinkedHashSet<>();

        /** @param defaultInterruptGrace how long this runner's tool usually needs to stop after SIGINT */
        protected Builder(Duration defaultInterruptGrace) {
            this.interruptGrace = Objects.requireNonNull(defaultInterruptGrace);
        }

        protected abstract B self();

        public B workingDirectory(Path dir) {
            this.workingDirectory = dir;
            return self();
        }

        /** Sets a variable for the tool; a null value removes it from the inherited environment. */
        public B env(String name, String value) {
            environment.put(Objects.requireNonNull(name), value);
            return self();
        }

        public B timeout(Duration limit) {
            this.timeout = limit;
            return self();
        }

        public B graces(Duration afterInterrupt, Duration afterTerminate) {
            this.interruptGrace = Objects.requireNonNull(afterInterrupt);
            this.terminateGrace = Objects.requireNonNull(afterTerminate);
            return self();
        }

        /** A value to mask; an empty one is ignored (masking "" would mask nothing and everything). */
        public B secret(String value) {
            if (value != null && !value.isEmpty()) {
                secrets.add(value);
            }
            return self();
        }

        /** What was set so far. */
        protected ProcessControl processControl() {
            return new ProcessControl(workingDirectory == null ? null : workingDirectory.toString(), environment,
                    timeout, interruptGrace, terminateGrace, secrets);
        }
    }
}
