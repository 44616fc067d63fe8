package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.ansible.AnsibleRunner;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault provision}: an Ansible playbook run (or several, for idempotency) with its evidence. */
@Command(
        header = "Run an Ansible playbook, with idempotency runs and evidence.",
        name = "provision",
        mixinStandardHelpOptions = true,
        description = "Runs ansible-playbook, shows its normal output live, and keeps each run's log, the recap's"
                + " metrics and stage.json in stage 'ansible' of the evidence directory. Extra variables reach"
                + " Ansible as a JSON file (-e @file) and a private key as a 0400 copy, both removed afterwards."
                + " Give a secret with --sensitive-extra-var-from-env or --sensitive-extra-var-file (masked"
                + " everywhere): -e is on vault's command line, which other users of the machine can read."
                + " With --idempotency-runs N the playbook runs N times; runs 2..N must change and fail nothing,"
                + " else it fails naming the tasks that changed. Ctrl-C stops Ansible (exit 130).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every run succeeded (and runs 2..N changed nothing)",
            "1:a run failed, a host was unreachable, or a later run changed something",
            "2:bad usage: missing playbook, inventory, key or file, ansible-playbook not installed",
            "130:aborted (Ctrl-C or SIGTERM); ansible-playbook was stopped",
        })
final class ProvisionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook.")
    Path playbook;

    @Option(names = "-i", paramLabel = "INVENTORY", required = true,
            description = "An inventory file or directory, or hosts with a comma ('localhost,').")
    String inventory;

    @Option(names = "--limit", paramLabel = "PATTERN", description = "Only these hosts.")
    String limit;

    @Option(names = "--tags", paramLabel = "TAGS", description = "Only tasks with these tags.")
    String tags;

    @Option(names = "--skip-tags", paramLabel = "TAGS", description = "Skip tasks with these tags.")
    String skipTags;

    @Option(names = "-e", paramLabel = "K=V", description = "An extra variable, a string (repeatable)."
            + SecretOptions.ARGV_VISIBLE + " never give a secret this way.")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--sensitive-extra-var-from-env", paramLabel = "K=ENVVAR",
            description = "An extra variable whose value is a secret, read from the environment variable ENVVAR"
                    + " (repeatable): on no command line, masked in the console, the logs, stage.json and the"
                    + " metrics.")
    List<String> sensitiveExtraVarsFromEnv = new ArrayList<>();

    @Option(names = "--sensitive-extra-var-file", paramLabel = "K=FILE",
            description = "An extra variable whose value is a secret, the content of FILE without its final line end"
                    + " (repeatable): on no command line, masked like --sensitive-extra-var-from-env.")
    List<String> sensitiveExtraVarFiles = new ArrayList<>();

    @Option(names = "--extra-vars-file", paramLabel = "F",
            description = "A YAML or JSON file of extra variables (repeatable); -e wins over it.")
    List<Path> extraVarsFiles = new ArrayList<>();

    @Option(names = "--user", paramLabel = "U", description = "Connect as this user.")
    String user;

    @Option(names = "--private-key", paramLabel = "F", description = "The SSH private key to connect with.")
    Path privateKey;

    @Option(names = "--become", description = "Run tasks with become (sudo).")
    boolean become;

    @Option(names = "--check", description = "Check mode: report what would change, change nothing.")
    boolean check;

    @Option(names = "--diff", description = "Show the differences of changed files.")
    boolean diff;

    @Option(names = "--idempotency-runs", paramLabel = "N", defaultValue = "1",
            description = "Run N times; runs 2..N must report changed=0 and failed=0 (default: ${DEFAULT-VALUE}).")
    int idempotencyRuns;

    @Option(names = "--ansible-playbook", paramLabel = "PATH",
            description = "The ansible-playbook executable (default: ansible-playbook on PATH).")
    String ansiblePlaybook = "ansible-playbook";

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory (default: ./vault-runs/<UTC time>/).")
    Path evidence;

    @Override
    public Integer call() throws IOException {
        AnsibleSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        RunResult result = RunExit.run(new AnsibleRunner(), settings, evidence, out);
        return RunExit.report(out, "provision", result);
    }

    private AnsibleSettings settings() {
        AnsibleSettings.Builder b = AnsibleSettings.builder(playbook.toAbsolutePath(), inventory)
                .limit(limit).tags(tags).skipTags(skipTags).user(user)
                .become(become).check(check).diff(diff)
                .idempotencyRuns(idempotencyRuns).ansiblePlaybook(ansiblePlaybook);
        if (privateKey != null) {
            b.privateKeyFile(privateKey.toAbsolutePath());
        }
        try {
            for (String e : extraVars) {
                if (e.startsWith("@")) {
                    throw CliException.usage("-e takes NAME=VALUE; give a file of variables with --extra-vars-file "
                            + e.substring(1));
                }
                String[] kv = EvidenceOption.keyValue("-e", e, false);
                b.extraVar(kv[0], kv[1]);
            }
            for (String e : sensitiveExtraVarsFromEnv) {
                String[] kv = SecretOptions.fromEnv("--sensitive-extra-var-from-env", e, System.getenv());
                b.sensitiveExtraVar(kv[0], kv[1]).env(kv[2], null);
            }
            for (String e : sensitiveExtraVarFiles) {
                String[] kv = SecretOptions.fromFile("--sensitive-extra-var-file", e);
                b.sensitiveExtraVar(kv[0], kv[1]);
            }
            extraVarsFiles.forEach(f -> b.extraVarsFile(f.toAbsolutePath()));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
