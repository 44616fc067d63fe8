package io.vaultcube.pipeline.exec;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything needed to run one tool: an argv list (never a shell string), where and with which
 * environment to run it, how long it may take, how to stop it, the secrets to mask, and where its
 * output goes. Immutable; build it with {@link #builder(String...)}.
 */
public final class ProcessSpec {
    /** Default grace after SIGINT before SIGTERM: Packer needs time to destroy its VM. */
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(30);
    /** Default grace after SIGTERM before SIGKILL. */
    public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final List<String> argv;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final boolean inheritEnvironment;
    private final Duration timeout;
    private final Duration interruptGrace;
    private final Duration terminateGrace;
    private final SecretMasker masker;
    private final List<LineListener> listeners;
    private final List<LineListener> rawListeners;
    private final OutputStream console;
    private final boolean mergeStderr;
    private final int maxLineBytes;

    private ProcessSpec(Builder b) {
        if (b.argv.isEmpty() || b.argv.get(0).isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        for (String arg : b.argv) {
            Objects.requireNonNull(arg, "argv must not contain null");
        }
        this.argv = List.copyOf(b.argv);
        this.workingDirectory = b.workingDirectory;
        // Not Map.copyOf: a null value ("remove this inherited variable") must survive the copy.
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.inheritEnvironment = b.inheritEnvironment;
        this.timeout = b.timeout;
        this.interruptGrace = b.interruptGrace;
        this.terminateGrace = b.terminateGrace;
        this.masker = SecretMasker.of(b.secrets);
        this.listeners = List.copyOf(b.listeners);
        this.rawListeners = List.copyOf(b.rawListeners);
        this.console = b.console;
        this.mergeStderr = b.mergeStderr;
        this.maxLineBytes = b.maxLineBytes;
    }

    public static Builder builder(String... argv) {
        return new Builder(List.of(argv));
    }

    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    public List<String> argv() {
        return argv;
    }

    /** The working directory, or null for the current one. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** Variables set (or, with a null value, removed) on top of the inherited environment. */
    public Map<String, String> environment() {
        return environment;
    }

    public boolean inheritEnvironment() {
        return inheritEnvironment;
    }

    /** The time limit, or null for none. */
    public Duration timeout() {
        return timeout;
    }

    public Duration interruptGrace() {
        return interruptGrace;
    }

    public Duration terminateGrace() {
        return terminateGrace;
    }

    public SecretMasker masker() {
        return masker;
    }

    public List<LineListener> listeners() {
        return listeners;
    }

    /** Listeners that get each line as the tool wrote it, unmasked ({@link Builder#rawListener}). */
    public List<LineListener> rawListeners() {
        return rawListeners;
    }

    /** Where the child's (masked) bytes are copied as they arrive, or null. */
    public OutputStream console() {
        return console;
    }

    public boolean mergeStderr() {
        return mergeStderr;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** The command line as a person reads it, shell-quoted for display only, secrets masked. */
    public String displayCommand() {
        return CommandLines.display(argv, masker);
    }

    public static final class Builder {
        private final List<String> argv;
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private boolean inheritEnvironment = true;
        private Duration timeout;
        private Duration interruptGrace = DEFAULT_INTERRUPT_GRACE;
        private Duration terminateGrace = DEFAULT_TERMINATE_GRACE;
        private final Set<String> secrets = new LinkedHashSet<>();
        private final List<LineListener> listeners = new ArrayList<>();
        private final List<LineListener> rawListeners = new ArrayList<>();
        private OutputStream console;
        private boolean mergeStderr;
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;

        private Builder(List<String> argv) {
            this.argv = new ArrayList<>(argv);
        }

        public Builder args(String... more) {
            argv.addAll(List.of(more));
            return this;
        }

        public Builder args(Collection<String> more) {
            argv.addAll(more);
            return this;
        }

        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir;
            return this;
        }

        /** Sets a variable for the child; a null value removes an inherited one. */
        public Builder env(String name, String value) {
            environment.put(Objects.requireNonNull(name), value);
            return this;
        }

        public Builder env(Map<String, String> vars) {
            vars.forEach(this::env);
            return this;
        }

        /** Starts from an empty environment instead of this process's (PATH must then be set). */
        public Builder cleanEnvironment() {
            this.inheritEnvironment = false;
            return this;
        }

        public Builder timeout(Duration limit) {
            if (limit != null && (limit.isNegative() || limit.isZero())) {
                throw new IllegalArgumentException("timeout must be positive: " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /** How long the tree has after SIGINT before SIGTERM, and after SIGTERM before SIGKILL. */
        public Builder graces(Duration afterInterrupt, Duration afterTerminate) {
            this.interruptGrace = Objects.requireNonNull(afterInterrupt);
            this.terminateGrace = Objects.requireNonNull(afterTerminate);
            return this;
        }

        /** A value masked as {@value SecretMasker#MASK} in the command line and every output line. */
        public Builder secret(String value) {
            if (value != null && !value.isEmpty()) {
                secrets.add(value);
            }
            return this;
        }

        public Builder secrets(Collection<String> values) {
            values.forEach(this::secret);
            return this;
        }

        public Builder listener(LineListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /**
         * A listener that gets each line exactly as the tool wrote it, NOT masked, for parsing: a
         * secret that is also a word of the tool's output ({@code ok}, {@code Build}) must not change
         * what the parser reads. It receives the same lines as {@link #listener}s, split at the same
         * places, in the same order. It must keep a line only in memory or in a private file that is
         * removed after the run; whatever a person or the evidence sees comes from the masked lines.
         */
        public Builder rawListener(LineListener listener) {
            rawListeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** Copies the child's output bytes, masked but otherwise unchanged, to this stream. */
        public Builder console(OutputStream stream) {
            this.console = stream;
            return this;
        }

        /** Delivers stderr as if it were stdout, in the order the two pipes are read. */
        public Builder mergeStderr(boolean merge) {
            this.mergeStderr = merge;
            return this;
        }

        public Builder maxLineBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxLineBytes must be at least 1024: " + bytes);
            }
            this.maxLineBytes = bytes;
            return this;
        }

        public ProcessSpec build() {
            return new ProcessSpec(this);
        }
    }
}
