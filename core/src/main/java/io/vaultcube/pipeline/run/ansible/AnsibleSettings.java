package io.vaultcube.pipeline.run.ansible;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything one provisioning run needs: the playbook and inventory, what to run and as whom,
 * variables, the key, how many runs prove idempotency, and how to stop it. Immutable; build it
 * with {@link #builder(Path, String)}.
 *
 * @param playbook the playbook file
 * @param inventory an inventory file or directory, or a host list with a comma ({@code host1,})
 * @param limit {@code --limit}, or null
 * @param tags {@code --tags}, or null
 * @param skipTags {@code --skip-tags}, or null
 * @param extraVars {@code -e K=V}: string values, handed over in a generated JSON file ({@code -e @file})
 * @param extraVarsFiles the person's own variable files ({@code -e @F}), before {@code extraVars}
 * @param user {@code --user}, or null
 * @param privateKeyFile a private key file to copy for the run, or null
 * @param privateKey a private key's content (a Jenkins credential), or null; not with {@code privateKeyFile}
 * @param become {@code --become}
 * @param check {@code --check}
 * @param diff {@code --diff}
 * @param idempotencyRuns how many times to run; runs 2..N must change nothing and fail nothing
 * @param ansiblePlaybook the ansible-playbook executable: a path, or a name looked up on PATH
 * @param tempRoot where the run's private temporary directory is made, or null for the system's
 * @param process where ansible-playbook runs (relative paths resolve there), its environment, the
 *     time limit of each run, its graces after SIGINT and SIGTERM, and more values to mask
 *
 * <p>Serializable (a Jenkins step sends it to the agent that runs the playbook): paths are held as text,
 * since {@link Path} is not serializable, and deserializing runs the checks again.
 */
public record AnsibleSettings(
        String playbookPath,
        String inventory,
        String limit,
        String tags,
        String skipTags,
        Map<String, String> extraVars,
        List<String> extraVarsFilePaths,
        String user,
        String privateKeyFilePath,
        String privateKey,
        boolean become,
        boolean check,
        boolean diff,
        int idempotencyRuns,
        String ansiblePlaybook,
        String tempRootPath,
        ProcessControl process) implements StageSettings {

    /** Names Ansible accepts for variables. */
    public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(30);
    /** A sanity bound: each run takes minutes on a real machine. */
    public static final int MAX_RUNS = 10;

    public AnsibleSettings {
        Objects.requireNonNull(playbookPath, "playbook");
        Objects.requireNonNull(inventory, "inventory");
        if (inventory.isBlank()) {
            throw new IllegalArgumentException("an inventory is required");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        if (extraVars != null) {
            extraVars.forEach((k, v) -> {
                if (!VARIABLE_NAME.matcher(k).matches()) {
                    throw new IllegalArgumentException("not an Ansible variable name: '" + k + "'");
                }
                vars.put(k, Objects.requireNonNull(v, k));
            });
        }
        extraVars = Collections.unmodifiableMap(vars);
        extraVarsFilePaths = List.copyOf(extraVarsFilePaths == null ? List.of() : extraVarsFilePaths);
        if (privateKeyFilePath != null && privateKey != null) {
            throw new IllegalArgumentException("give a private key file or a private key, not both");
        }
        if (idempotencyRuns < 1 || idempotencyRuns > MAX_RUNS) {
            throw new IllegalArgumentException("idempotency runs must be 1.." + MAX_RUNS + ", not " + idempotencyRuns);
        }
        ansiblePlaybook = ansiblePlaybook == null || ansiblePlaybook.isBlank() ? "ansible-playbook" : ansiblePlaybook;
        Objects.requireNonNull(process, "process");
    }

    /** {@link #playbookPath()} as a path, or null. */
    public Path playbook() {
        return StageSettings.path(playbookPath);
    }

    /** {@link #extraVarsFilePaths()} as paths. */
    public List<Path> extraVarsFiles() {
        return StageSettings.paths(extraVarsFilePaths);
    }

    /** {@link #privateKeyFilePath()} as a path, or null. */
    public Path privateKeyFile() {
        return StageSettings.path(privateKeyFilePath);
    }

    /** {@link #tempRootPath()} as a path, or null. */
    public Path tempRoot() {
        return StageSettings.path(tempRootPath);
    }

    /** The stage a provisioning writes. */
    @Override
    public String stageName() {
        return AnsibleRunner.STAGE;
    }

    public static Builder builder(Path playbook, String inventory) {
        return new Builder(playbook, inventory);
    }

    /** Builds {@link AnsibleSettings}. */
    public static final class Builder extends ProcessControl.Builder<Builder> {
        private final Path playbook;
        private final String inventory;
        private String limit;
        private String tags;
        private String skipTags;
        private final Map<String, String> extraVars = new LinkedHashMap<>();
        private final List<Path> extraVarsFiles = new ArrayList<>();
        private String user;
        private Path privateKeyFile;
        private String privateKey;
        private boolean become;
        private boolean check;
        private boolean diff;
        private int idempotencyRuns = 1;
        private String ansiblePlaybook = "ansible-playbook";
        private Path tempRoot;

        private Builder(Path playbook, String inventory) {
            super(DEFAULT_INTERRUPT_GRACE);
            this.playbook = Objects.requireNonNull(playbook, "playbook");
            this.inventory = Objects.requireNonNull(inventory, "inventory");
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder limit(String value) {
            this.limit = value;
            return this;
        }

        public Builder tags(String value) {
            this.tags = value;
            return this;
        }

        public Builder skipTags(String value) {
            this.skipTags = value;
            return this;
        }

        public Builder extraVar(String name, String value) {
            extraVars.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * An extra variable whose value is a secret: handed over like {@link #extraVar} (in the
         * private JSON file, never on a command line) and masked in the console, the logs,
         * {@code stage.json} and the metrics.
         */
        public Builder sensitiveExtraVar(String name, String value) {
            extraVar(name, value);
            return secret(value);
        }

        public Builder extraVarsFile(Path file) {
            extraVarsFiles.add(Objects.requireNonNull(file));
            return this;
        }

        public Builder user(String value) {
            this.user = value;
            return this;
        }

        public Builder privateKeyFile(Path file) {
            this.privateKeyFile = file;
            return this;
        }

        public Builder privateKey(String content) {
            this.privateKey = content;
            return this;
        }

        public Builder become(boolean value) {
            this.become = value;
            return this;
        }

        public Builder check(boolean value) {
            this.check = value;
            return this;
        }

        public Builder diff(boolean value) {
            this.diff = value;
            return this;
        }

        public Builder idempotencyRuns(int runs) {
            this.idempotencyRuns = runs;
            return this;
        }

        public Builder ansiblePlaybook(String executable) {
            this.ansiblePlaybook = executable;
            return this;
        }

        public Builder tempRoot(Path dir) {
            this.tempRoot = dir;
            return this;
        }

        public AnsibleSettings build() {
            return new AnsibleSettings(playbook.toString(), inventory, limit, tags, skipTags, extraVars,
                    StageSettings.texts(extraVarsFiles), user, StageSettings.text(privateKeyFile), privateKey, become,
                    check, diff, idempotencyRuns, ansiblePlaybook, StageSettings.text(tempRoot), processControl());
        }
    }
}
