package io.vaultcube.pipeline.run.inventory;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageSettings;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything one inventory collection needs. Three ways, by what is given:
 * <ul>
 *   <li>{@code root}: an image root mounted (or unpacked, or debootstrapped) on this machine; read
 *       from outside, nothing in it is executed;</li>
 *   <li>{@code ansible}: a running box reached over Ansible, with the same connection settings as
 *       {@code vault provision} (inventory, limit, user, key, become); its playbook is
 *       {@code collectPlaybook}, which runs {@code script} on the host and fetches the files;</li>
 *   <li>neither: this machine, as it runs.</li>
 * </ul>
 *
 * @param scriptPath {@code scripts/collect-inventory.sh}
 * @param collectPlaybookPath {@code scripts/collect-inventory.yml}, for {@code ansible}
 * @param rootPath an image root, or null
 * @param ansible connection settings of a running box, or null (its playbook is replaced by {@code collectPlaybook})
 * @param pythonEnvs {@code NAME=SITE_DIR} environments to list; empty for the script's discovery
 * @param tempRootPath where the private temporary directory is made, or null for the system's
 * @param process working directory, environment, time limit, graces
 *
 * <p>Serializable like every runner's settings: paths are held as text ({@link Path} is not serializable).
 */
public record InventorySettings(String scriptPath, String collectPlaybookPath, String rootPath, AnsibleSettings ansible,
        List<String> pythonEnvs, String tempRootPath, ProcessControl process) implements StageSettings {

    /** What an environment argument may hold: a simple name, and a path without white space or quotes. */
    public static final Pattern PYTHON_ENV = Pattern.compile("[A-Za-z0-9._-]+=/[^\\s'\"\\\\]*");
    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(10);

    public InventorySettings {
        Objects.requireNonNull(scriptPath, "script");
        if (rootPath != null && ansible != null) {
            throw new IllegalArgumentException("collect from an image root or over Ansible, not both");
        }
        if (ansible != null) {
            Objects.requireNonNull(collectPlaybookPath, "collectPlaybook");
        }
        pythonEnvs = List.copyOf(pythonEnvs == null ? List.of() : pythonEnvs);
        for (String e : pythonEnvs) {
            if (!PYTHON_ENV.matcher(e).matches()) {
                throw new IllegalArgumentException("a Python environment is NAME=/ABSOLUTE/SITE_DIR (no spaces or quotes),"
                        + " not '" + e + "'");
            }
        }
        Objects.requireNonNull(process, "process");
    }

    @Override
    public String stageName() {
        return InventoryRunner.STAGE;
    }

    public Path script() {
        return Path.of(scriptPath);
    }

    /** The collection playbook, or null when not over Ansible. */
    public Path collectPlaybook() {
        return collectPlaybookPath == null ? null : Path.of(collectPlaybookPath);
    }

    /** The image root, or null. */
    public Path root() {
        return rootPath == null ? null : Path.of(rootPath);
    }

    /** Where the private temporary directory is made, or null for the system's. */
    public Path tempRoot() {
        return tempRootPath == null ? null : Path.of(tempRootPath);
    }

    /** Where the inventory comes from, for messages. */
    public String describeSource() {
        if (rootPath != null) {
            return "the image root " + rootPath;
        }
        if (ansible != null) {
            return "the host(s) of " + ansible.inventory() + (ansible.limit() == null ? "" : " limited to " + ansible.limit())
                    + " over Ansible";
        }
        return "this machine";
    }

    public static Builder builder(Path script) {
        return new Builder(script);
    }

    /** Builds {@link InventorySettings}. */
    public static final class Builder extends ProcessControl.Builder<Builder> {
        private final Path script;
        private Path collectPlaybook;
        private Path root;
        private AnsibleSettings ansible;
        private final List<String> pythonEnvs = new ArrayList<>();
        private Path tempRoot;

        private Builder(Path script) {
            super(DEFAULT_INTERRUPT_GRACE);
            this.script = script;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder root(Path dir) {
            this.root = dir;
            return this;
        }

        public Builder ansible(AnsibleSettings settings, Path playbook) {
            this.ansible = settings;
            this.collectPlaybook = playbook;
            return this;
        }

        public Builder pythonEnv(String nameEqualsDir) {
            pythonEnvs.add(nameEqualsDir);
            return this;
        }

        public Builder tempRoot(Path dir) {
            this.tempRoot = dir;
            return this;
        }

        public InventorySettings build() {
            return new InventorySettings(StageSettings.text(script), StageSettings.text(collectPlaybook),
                    StageSettings.text(root), ansible, pythonEnvs, StageSettings.text(tempRoot), processControl());
        }
    }
}
