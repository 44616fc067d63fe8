package io.vaultcube.pipeline.run.packer;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything one {@code packer build} needs: the template, its variables, which builds to run and
 * how, and how to stop it. Immutable; build it with {@link #builder(Path)}.
 *
 * @param templatePath a template file ({@code .pkr.hcl}, {@code .pkr.json}, or a legacy JSON template)
 *     or a directory of HCL2 files
 * @param vars variables by name ({@code --var K=V}); handed to Packer in a generated JSON variable
 *     file, never on the command line
 * @param sensitiveVars variables whose values are secrets ({@code --sensitive-var K=V}); handed over
 *     like {@code vars} and masked in the console and the evidence
 * @param varFilePaths the person's own variable files ({@code -var-file}), in order; {@code vars} and
 *     {@code sensitiveVars} come after them and win
 * @param only builds to run ({@code -only}), empty for all
 * @param except builds to leave out ({@code -except})
 * @param onError what Packer does when a build fails, or null for Packer's default (cleanup)
 * @param force {@code -force}: delete existing artifacts first
 * @param packer the Packer executable: a path, or a name looked up on PATH
 * @param tempRootPath where the run's private temporary directory is made, or null for the system's
 * @param process where Packer runs (relative paths in the template resolve there), its environment,
 *     the build's time limit, how long Packer has after SIGINT to destroy its VM and temporary
 *     files, and more values to mask
 *
 * <p>Serializable (a Jenkins step sends it to the agent that runs the build): paths are held as text,
 * since {@link Path} is not serializable, and deserializing runs the checks again.
 */
public record PackerSettings(
        String templatePath,
        Map<String, String> vars,
        Map<String, String> sensitiveVars,
        List<String> varFilePaths,
        List<String> only,
        List<String> except,
        OnError onError,
        boolean force,
        String packer,
        String tempRootPath,
        ProcessControl process) implements StageSettings {

    /** Packer variable names: HCL identifiers. */
    public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    /** Packer destroys its VM and deletes its temporary files after SIGINT. */
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(60);

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
        Objects.requireNonNull(templatePath, "template");
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
        varFilePaths = List.copyOf(varFilePaths == null ? List.of() : varFilePaths);
        only = List.copyOf(only == null ? List.of() : only);
        except = List.copyOf(except == null ? List.of() : except);
        if (!only.isEmpty() && !except.isEmpty()) {
            throw new IllegalArgumentException("only and except cannot be used together");
        }
        packer = packer == null || packer.isBlank() ? "packer" : packer;
        Objects.requireNonNull(process, "process");
    }

    /** {@link #templatePath()} as a path, or null. */
    public Path template() {
        return StageSettings.path(templatePath);
    }

    /** {@link #varFilePaths()} as paths. */
    public List<Path> varFiles() {
        return StageSettings.paths(varFilePaths);
    }

    /** {@link #tempRootPath()} as a path, or null. */
    public Path tempRoot() {
        return StageSettings.path(tempRootPath);
    }

    /** The stage a Packer build writes. */
    @Override
    public String stageName() {
        return PackerRunner.STAGE;
    }

    public static Builder builder(Path template) {
        return new Builder(template);
    }

    /** Whether the template is HCL2 (a directory, {@code .pkr.hcl} or {@code .pkr.json}) rather than legacy JSON. */
    public boolean isHcl2() {
        Path file = template().getFileName();
        String name = file == null ? "" : file.toString();
        return !name.endsWith(".json") || name.endsWith(".pkr.json");
    }

    /** An unmodifiable copy that keeps the order and refuses null values. */
    private static Map<String, String> frozen(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v, k)));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Builds {@link PackerSettings}; variables keep the order they were given in. */
    public static final class Builder extends ProcessControl.Builder<Builder> {
        private final Path template;
        private final Map<String, String> vars = new LinkedHashMap<>();
        private final Map<String, String> sensitiveVars = new LinkedHashMap<>();
        private final List<Path> varFiles = new ArrayList<>();
        private final List<String> only = new ArrayList<>();
        private final List<String> except = new ArrayList<>();
        private OnError onError;
        private boolean force;
        private String packer = "packer";
        private Path tempRoot;

        private Builder(Path template) {
            super(DEFAULT_INTERRUPT_GRACE);
            this.template = Objects.requireNonNull(template, "template");
        }

        @Override
        protected Builder self() {
            return this;
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

        public Builder tempRoot(Path dir) {
            this.tempRoot = dir;
            return this;
        }

        public PackerSettings build() {
            return new PackerSettings(template.toString(), vars, sensitiveVars, StageSettings.texts(varFiles), only,
                    except, onError, force, packer, StageSettings.text(tempRoot), processControl());
        }
    }
}
