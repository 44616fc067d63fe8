package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.inventory.InventoryRunner;
import io.vaultcube.pipeline.run.inventory.InventorySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vault inventory}: what is installed in an image root, on a running box over Ansible, or on
 * this machine, through the same {@link InventoryRunner} as the pipeline's {@code inventory} stage.
 */
@Command(
        header = "Record what is installed: Debian and Python packages, kernel, driver, GPUs.",
        name = "inventory",
        mixinStandardHelpOptions = true,
        description = "Runs scripts/collect-inventory.sh on an image root (--root, read from outside: nothing in it"
                + " is executed), on one running box over Ansible (-i, with the connection options of vault provision),"
                + " or on this machine (neither), keeps its raw outputs in stage 'inventory' of the evidence"
                + " directory and parses them into inventory.* metrics a policy can gate on (min_version,"
                + " matches). A collection that fails, or an output a parser refuses, fails the stage and writes"
                + " no metrics.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the inventory was collected and read",
            "1:the collection failed, more than one host answered, or an output could not be read",
            "2:bad usage: no script, no Debian root, no inventory or key, ansible-playbook not installed",
            "130:aborted (Ctrl-C or SIGTERM); the collection was stopped",
        })
final class InventoryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "An image root mounted, unpacked or debootstrapped here (it must have var/lib/dpkg).")
    Path root;

    @Option(names = "-i", paramLabel = "INVENTORY",
            description = "A running box over Ansible: an inventory file or directory, or hosts with a comma."
                    + " Exactly one host must answer (see --limit).")
    String inventory;

    @Option(names = "--limit", paramLabel = "PATTERN", description = "Only this host (with -i).")
    String limit;

    @Option(names = "-e", paramLabel = "K=V", description = "An extra variable for the connection, a string (repeatable).")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--extra-vars-file", paramLabel = "F",
            description = "A YAML or JSON file of extra variables (repeatable); -e wins over it.")
    List<Path> extraVarsFiles = new ArrayList<>();

    @Option(names = "--user", paramLabel = "U", description = "Connect as this user (with -i).")
    String user;

    @Option(names = "--private-key", paramLabel = "F", description = "The SSH private key to connect with (with -i).")
    Path privateKey;

    @Option(names = "--become", description = "Collect with become (sudo) (with -i).")
    boolean become;

    @Option(names = "--ansible-playbook", paramLabel = "PATH",
            description = "The ansible-playbook executable (default: ansible-playbook on PATH).")
    String ansiblePlaybook = "ansible-playbook";

    @Option(names = "--python-env", paramLabel = "NAME=SITE_DIR",
            description = "A Python environment to list, by its site-packages directory (inside --root when given);"
                    + " repeatable. Default: the system's, /usr/local's and every virtual environment under /opt.")
    List<String> pythonEnvs = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop the collection after D (10m, 90s); default: no limit.")
    Duration timeout;

    @Option(names = "--scripts", paramLabel = "DIR",
            description = "The scripts directory (default: $VAULT_SCRIPTS, else scripts/ here or in the repository).")
    Path scripts;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory (default: ./vault-runs/<UTC time>/).")
    Path evidence;

    @Override
    public Integer call() throws IOException {
        InventorySettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        RunResult result = RunExit.run(new InventoryRunner(), settings, evidence, out);
        return RunExit.report(out, "inventory", result);
    }

    private InventorySettings settings() {
        if (root != null && inventory != null) {
            throw CliException.usage("give --root (an image root) or -i (a running box over Ansible), not both");
        }
        if (inventory == null && (limit != null || user != null || privateKey != null || become
                || !extraVars.isEmpty() || !extraVarsFiles.isEmpty())) {
            throw CliException.usage("--limit, --user, --private-key, --become, -e and --extra-vars-file need -i");
        }
        Path dir = ScriptsDirectory.resolve(scripts);
        try {
            InventorySettings.Builder b = InventorySettings.builder(dir.resolve("collect-inventory.sh")).timeout(timeout);
            pythonEnvs.forEach(b::pythonEnv);
            if (root != null) {
                b.root(root.toAbsolutePath());
            }
            if (inventory != null) {
                Path playbook = dir.resolve("collect-inventory.yml");
                b.ansible(connection(playbook), playbook);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** The connection, as {@code vault provision} takes it; the runner puts in its own playbook and variables. */
    private AnsibleSettings connection(Path playbook) {
        AnsibleSettings.Builder a = AnsibleSettings.builder(playbook, inventory).limit(limit).user(user)
                .become(become).ansiblePlaybook(ansiblePlaybook).timeout(timeout);
        if (privateKey != null) {
            a.privateKeyFile(privateKey.toAbsolutePath());
        }
        for (String e : extraVars) {
            String[] kv = EvidenceOption.keyValue("-e", e, false);
            a.extraVar(kv[0], kv[1]);
        }
        extraVarsFiles.forEach(f -> a.extraVarsFile(f.toAbsolutePath()));
        return a.build();
    }
}
