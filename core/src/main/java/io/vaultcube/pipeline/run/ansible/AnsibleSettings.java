package io.vaultcube.pipeline.run.ansible;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * @param workingDirectory where ansible-playbook runs (relative paths resolve here), or null for the current one
 * @param environment variables set for ansible-playbook on top of this process's (a null value removes one)
 * @param tempRoot where the run's private temporary directory is made, or null for the system's
 * @param timeout the time limit of each run, or null for none
 * @param interruptGrace how long ansible-playbook has after SIGINT to stop
 * @param terminateGrace how long after SIGTERM before SIGKILL
 * @param secrets more values to mask (credentials a Jenkins step knows of)
 */
public record AnsibleSettings(
        Path playbook,
        String inventory,
        String limit,
        String tags,
        String skipTags,
        Map<String, String> extraVars,
        List<Path> extraVarsFiles,
        String user,
        Path privateKeyFile,
        String privateKey,
        boolean become,
        boolean check,
        boolean diff,
        int idempotencyRuns,
        String ansiblePlaybook,
        Path workingDirectory,
        Map<String, String> environment,
        Path tempRoot,
        Duration timeout,
        Duration interruptGrace,
        Duration terminateGrace,
        Set<String> secrets) {

    /** Names Ansible accepts for variables. */
    public static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TERMINATE_GRACE = Duration.ofSeconds(10);
    /** A sanity bound: each run takes minutes on a real machine. */
    public static final int MAX_RUNS = 10;

    public AnsibleSettings {
        Objects.requireNonNull(playbook, "playbook");
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
        extraVarsFiles = List.copyOf(extraVarsFiles == null ? List.of() : extraVarsFiles);
        if (privateKeyFile != null && privateKey != null) {
            throw new IllegalArgumentException("give a private key file or a private key, not both");
        }
        if (idempotencyRuns < 1 || idempotencyRuns > MAX_RUNS) {
            throw new IllegalArgumentException("idempotency runs must be 1.." + MAX_RUNS + ", not " + idempotencyRuns);
        }
        ansiblePlaybook = ansiblePlaybook == null || ansiblePlaybook.isBlank() ? "ansible-playbook" : ansiblePlaybook;
        environment = environment == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        interruptGrace = interruptGrace == null ? DEFAULT_INTERRUPT_GRACE : interruptGrace;
        terminateGrace = terminateGrace == null ? DEFAULT_TERMINATE_GRACE : terminateGrace;
        secrets = Set.copyOf(secrets == null ? Set.of() : secrets);
    }

    public static Builder builder(Path playbook, String inventory) {
        return new Builder(playbook, inventory);
    }

    /** Builds {@link AnsibleSettings}. */
    public static final class Builder {
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
        private Path workingDirectory;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path tempRoot;
        private Duration timeout;
        private Duration interruptGrace = DEFAULT_INTERRUPT_GRACE;
        private Duration terminateGrace = DEFAULT_TERMINATE_GRACE;
        private final Set<String> secrets = new LinkedHashSet<>();

        private Builder(Path playbook, String inventory) {
            this.playbook = Objects.requireNonNull(playbook, "playbook");
            this.inventory = Objects.requireNonNull(inventory, "inventory");
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

        public AnsibleSettings build() {
            return new AnsibleSettings(playbook, inventory, limit, tags, skipTags, extraVars, extraVarsFiles, user,
                    privateKeyFile, privateKey, become, check, diff, idempotencyRuns, ansiblePlaybook,
                    workingDirectory, environment, tempRoot, timeout, interruptGrace, terminateGrace, secrets);
        }
    }
}
