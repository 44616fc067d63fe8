package io.vaultcube.pipeline.run.packer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything one {@code packer build} needs: the template, its variables, which builds to run and
 * how, and how to stop it. Immutable; build it with {@link #builder(Path)}.
 *
 * @param template a template file ({@code .pkr.hcl}, {@code .pkr.json}, or a legacy JSON template)
 *     or a directory of HCL2 files
 * @param vars variables by name ({@code --var K=V}); handed to Packer in a generated JSON variable
 *     file, never on the command line
 * @param sensitiveVars variables whose values are secrets ({@code --sensitive-var K=V}); handed over
 *     like {@code vars} and masked in the console and the evidence
 * @param varFiles the person's own variable files ({@code -var-file}), in order; {@code vars} and
 *     {@code sensitiveVars} come after them and win
 * @param only builds to run ({@code -only}), empty for all
 * @param except builds to leave out ({@code -except})
 * @param onError what Packer does when a build fails, or null for Packer's default (cleanup)
 * @param force {@code -force}: delete existing artifacts first
 * @param packer the Packer executable: a path, or a name looked up on PATH
 * @param workingDirectory where Packer runs (relative paths in the template resolve here), or null
 *     for the current directory
 * @param environment variables set for Packer on top of this process's environment (a null value
 *     removes one)
 * @param tempRoot where the run's private temporary directory is made, or null for the system's
 * @param timeout the time limit of the build, or null for none
 * @param interruptGrace how long Packer has after SIGINT to destroy its VM and temporary files
 * @param terminateGrace how long after SIGTERM before SIGKILL
 * @param secrets more values to mask (credentials a Jenkins step knows of)
 */
public record PackerSettings(
        Path template,
        Map<String, String> vars,
        Map<String, String> sensitiveVars,
        List<Path> varFiles,
        List<String> only,
        List<String> except,
        OnError onError,
        boolean force,
        String packer,
        Path workingDirectory,
        Map<String, String> environment,
        Path tempRoot,
        Duration timeout,
        Duration interruptGrace,
        Duration terminateGrace,
        Set<String> secrets) {

    /** Packer variable names: HCL identifiers. */
    public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(10);

    /** Packer's {@code -on-error} choices. */
    public enum OnError {
        CLEANUP("cleanup"),
        ABORT("abort"),
        ASK("ask"),
        RUN_CLEANUP_PROVISIONER("run-cleanup-provisioner");

        private final String flag;

        OnError(String flag) {
            this.flag = flag;
        }

        /** The value of {@code -on-error=}. */
        public String flag() {
            return flag;
        }
    }

    public PackerSettings {
        Objects.requireNonNull(template, "template");
        vars = frozen(vars);
        sensitiveVars = frozen(sensitiveVars);
        for (String name : concat(vars.keySet(), sensitiveVars.keySet())) {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a Packer variable name: '" + name + "'");
            }
        }
        for (String name : vars.keySet()) {
            if (sensitiveVars.containsKey(name)) {
                throw new IllegalArgumentException("variable " + name + " is given both as plain and as sensitive");
            }
        }
        varFiles = List.copyOf(varFiles == null ? List.of() : varFiles);
        only = List.copyOf(only == null ? List.of() : only);
        except = List.copyOf(except == null ? List.of() : except);
        if (!only.isEmpty() && !except.isEmpty()) {
            throw new IllegalArgumentException("only and except cannot be used together");
        }
        packer = packer == null || packer.isBlank() ? "packer" : packer;
        environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(orderedCopy(environment));
        interruptGrace = interruptGrace == null ? DEFAULT_INTERRUPT_GRACE : interruptGrace;
        terminateGrace = terminateGrace == null ? DEFAULT_TERMINATE_GRACE : terminateGrace;
        secrets = Set.copyOf(secrets == null ? Set.of() : secrets);
    }

    public static Builder builder(Path template) {
        return new Builder(template);
    }

    /** Whether the template is HCL2 (a directory, {@code .pkr.hcl} or {@code .pkr.json}) rather than legacy JSON. */
    public boolean isHcl2() {
        String name = template.getFileName() == null ? "" : template.getFileName().toString();
        return !name.endsWith(".json") || name.endsWith(".pkr.json");
    }

    /** An unmodifiable copy that keeps the order and refuses null values. */
    private static Map<String, String> frozen(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    private static <K, V> Map<K, V> orderedCopy(Map<K, V> map) {
        return new LinkedHashMap<>(map);
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Builds {@link PackerSettings}; variables keep the order they were given in. */
    public static final class Builder {
        private final Path template;
        private final Map<String, String> vars = new LinkedHashMap<>();
        private final Map<String, String> sensitiveVars = new LinkedHashMap<>();
        private final List<Path> varFiles = new ArrayList<>();
        private final List<String> only = new ArrayList<>();
        private final List<String> except = new ArrayList<>();
        private OnError onError;
        private boolean force;
        private String packer = "packer";
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path tempRoot;
        private Duration timeout;
        private Duration interruptGrace = DEFAULT_INTERRUPT_GRACE;
        private Duration terminateGrace = DEFAULT_TERMINATE_GRACE;
        private final Set<String> secrets = new LinkedHashSet<>();

        private Builder(Path template) {
            this.template = Objects.requireNonNull(template, "template");
        }

        public Builder var(String name, String value) {
            vars.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder sensitiveVar(String name, String value) {
            sensitiveVars.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder varFile(Path file) {
            varFiles.add(Objects.requireNonNull(file));
            return this;
        }

        public Builder only(String build) {
            only.add(Objects.requireNonNull(build));
            return this;
        }

        public Builder except(String build) {
            except.add(Objects.requireNonNull(build));
            return this;
        }

        public Builder onError(OnError choice) {
            this.onError = choice;
            return this;
        }

        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        public Builder packer(String executable) {
            this.packer = executable;
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

        public Builder tempRoot(Path dir) {
            this.tempRoot = dir;
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

        public Builder secret(String value) {
            if (value != null && !value.isEmpty()) {
                secrets.add(value);
            }
            return this;
        }

        public PackerSettings build() {
            return new PackerSettings(template, vars, sensitiveVars, varFiles, only, except, onError, force, packer,
                    workingDirectory, environment, tempRoot, timeout, interruptGrace, terminateGrace, secrets);
        }
    }
}
