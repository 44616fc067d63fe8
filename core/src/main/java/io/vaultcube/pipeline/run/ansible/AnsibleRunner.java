package io.vaultcube.pipeline.run.ansible;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.ansible.AnsibleHostStats;
import io.vaultcube.pipeline.parse.ansible.AnsibleLogParser;
import io.vaultcube.pipeline.parse.ansible.AnsibleRun;
import io.vaultcube.pipeline.parse.ansible.AnsibleRuns;
import io.vaultcube.pipeline.run.Executables;
import io.vaultcube.pipeline.run.PrivateTempDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SessionRunner;
import io.vaultcube.pipeline.run.StageSession;
import io.vaultcube.pipeline.run.ToolLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an Ansible playbook one or more times and keeps its evidence in the {@code ansible} stage.
 *
 * <p>The person sees ansible-playbook's normal live output (the {@code default} stdout callback,
 * forced so that the recap is always there to read); each run's output is kept as
 * {@code ansible-run-N.log} and its PLAY RECAP read by the {@code ansible} parser; the stage's
 * metrics are the parsers' {@link AnsibleRuns} over the runs. Extra variables
 * reach Ansible as a generated JSON file ({@code -e @file}), a private key as a 0400 copy with a
 * trailing newline; both live in a private 0700 directory removed after success, failure and
 * abort, and the key's content is masked everywhere.
 *
 * <p>With {@code idempotencyRuns} N &gt; 1 the playbook runs N times: run 1 may change things; runs
 * 2..N must report changed=0 and failed=0 on every host, else the stage fails naming the tasks
 * that changed (as molecule's idempotence check does). A failed run ends the stage. Interrupting
 * the calling thread aborts: ansible-playbook gets SIGINT, a grace, then SIGTERM and SIGKILL; the
 * stage is recorded ABORTED and no metrics are written.
 *
 * <p>Holds no state between runs; one instance may run any number of playbooks, also at once.
 */
public final class AnsibleRunner extends SessionRunner<AnsibleSettings> {
    public static final String STAGE = "ansible";
    static final String EXTRA_VARS_FILE = "extra-vars.json";
    static final String KEY_FILE = "ssh-key";

    /** Reads each run's PLAY RECAP (the {@code ansible} parser). */
    private final AnsibleLogParser recaps = new AnsibleLogParser();

    public AnsibleRunner() {
    }

    public AnsibleRunner(ProcessRunner processes) {
        super(processes);
    }

    /** The evidence file of run N. */
    public static String runLog(int run) {
        return "ansible-run-" + run + ".log";
    }

    /** Nothing is started for a missing playbook, inventory, key or file, or no ansible-playbook. */
    @Override
    protected Work prepare(AnsibleSettings settings, Path workDir, StageEvidence stage)
            throws RunSetupException, IOException {
        Path playbook = workDir.resolve(settings.playbook()).normalize();
        if (!Files.isRegularFile(playbook) || !Files.isReadable(playbook)) {
            throw new RunSetupException("no playbook at " + playbook);
        }
        String inventory = settings.inventory();
        if (!inventory.contains(",")) {
            Path inv = workDir.resolve(inventory).normalize();
            if (!Files.exists(inv)) {
                throw new RunSetupException("no inventory at " + inv
                        + " (a list of hosts needs a comma, e.g. 'localhost,')");
            }
            inventory = inv.toString();
        }
        List<Path> varFiles = StageSession.readableFiles(workDir, settings.extraVarsFiles(), "extra variables file");
        byte[] key;
        if (settings.privateKeyFile() != null) {
            Path keyFile = workDir.resolve(settings.privateKeyFile()).normalize();
            try {
                key = Files.readAllBytes(keyFile);
            } catch (IOException e) {
                throw new RunSetupException("cannot read the private key " + keyFile + ": " + e.getMessage(), e);
            }
        } else if (settings.privateKey() != null) {
            key = settings.privateKey().getBytes(StandardCharsets.UTF_8);
        } else {
            key = null;
        }
        if (key != null && key.length == 0) {
            throw new RunSetupException("the private key is empty");
        }
        Map<String, String> env = settings.process().childEnvironment();
        Path executable = Executables.require(settings.ansiblePlaybook(), env.get("PATH"),
                "install it (apt-get install ansible-core) or give its path with --ansible-playbook");
        Set<String> secrets = new LinkedHashSet<>();
        for (String value : settings.process().secrets()) {
            secrets.add(value);
            // Ansible prints values inside JSON too (-v results, debug of a structure).
            secrets.add(jsonEscaped(value));
        }
        if (key != null) {
            secrets.add(new String(key, StandardCharsets.UTF_8));
        }
        String hosts = inventory;
        return session -> {
            session.maskAlso(secrets);
            session.warnShortSecrets(settings.process().secrets());
            Provision provision = new Provision(settings, executable.toString(), playbook, hosts, varFiles, key,
                    secrets, session);
            return session.withPrivateTemp(settings.tempRoot(), "vault-ansible-", (tmp, notes) -> provision.runs(
                    provision.argv(tmp), tmp));
        };
    }

    /** One stage's state; lives for one call of {@link #run}. */
    private final class Provision {
        private final AnsibleSettings settings;
        private final String executable;
        private final Path playbook;
        private final String inventory;
        private final List<Path> varFiles;
        private final byte[] key;
        private final Set<String> secrets;
        private final StageSession session;
        private final StageEvidence stage;

        Provision(AnsibleSettings settings, String executable, Path playbook, String inventory, List<Path> varFiles,
                byte[] key, Set<String> secrets, StageSession session) {
            this.settings = settings;
            this.executable = executable;
            this.playbook = playbook;
            this.inventory = inventory;
            this.varFiles = varFiles;
            this.key = key;
            this.secrets = secrets;
            this.session = session;
            this.stage = session.stage();
        }

        List<String> argv(PrivateTempDir tmp) throws IOException {
            List<String> argv = new ArrayList<>(List.of(executable, playbook.toString(), "-i", inventory));
            add(argv, "--limit", settings.limit());
            add(argv, "--tags", settings.tags());
            add(argv, "--skip-tags", settings.skipTags());
            add(argv, "--user", settings.user());
            if (key != null) {
                byte[] content = key;
                if (content[content.length - 1] != '\n') {
                    // OpenSSH refuses a key without its final newline ("invalid format").
                    content = Arrays.copyOf(content, content.length + 1);
                    content[content.length - 1] = '\n';
                }
                Path keyFile = tmp.writeFile(KEY_FILE, content, "r--------");
                argv.add("--private-key");
                argv.add(keyFile.toString());
            }
            if (settings.become()) {
                argv.add("--become");
            }
            if (settings.check()) {
                argv.add("--check");
            }
            if (settings.diff()) {
                argv.add("--diff");
            }
            for (Path f : varFiles) {
                argv.add("--extra-vars");
                argv.add("@" + f);
            }
            if (!settings.extraVars().isEmpty()) {
                // JSON, not key=value: any value (quotes, spaces, $(...), newlines, unicode) arrives as given.
                byte[] json = new ObjectMapper().writeValueAsBytes(asData(settings.extraVars()));
                Path file = tmp.writeFile(EXTRA_VARS_FILE, json, "rw-------");
                argv.add("--extra-vars");
                argv.add("@" + file);
            }
            return argv;
        }

        /**
         * Each value wrapped as {@code {"__ansible_unsafe": VALUE}}, which ansible-core's JSON loader
         * (2.9 and later) reads as an unsafe string: Ansible never templates it. A value vault passes
         * (an evidence path, a -e value) is data; "{{ lookup('pipe', ...) }}" in it ran a command on
         * the controller when it was handed over as a plain string.
         */
        private static Map<String, Map<String, String>> asData(Map<String, String> vars) {
            Map<String, Map<String, String>> wrapped = new LinkedHashMap<>();
            vars.forEach((name, value) -> wrapped.put(name, Map.of("__ansible_unsafe", value)));
            return wrapped;
        }

        RunResult runs(List<String> argv, PrivateTempDir tmp) throws IOException {
            int planned = settings.idempotencyRuns();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("PYTHONUNBUFFERED", "1");
            // The default callback always prints the recap the parser reads, and names changed tasks.
            env.put("ANSIBLE_STDOUT_CALLBACK", "default");
            env.put("ANSIBLE_DISPLAY_OK_HOSTS", "true");
            env.put("ANSIBLE_NOCOLOR", "1");
            env.put("ANSIBLE_FORCE_COLOR", null);
            env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");

            List<AnsibleRun> parsed = new ArrayList<>();
            List<Duration> durations = new ArrayList<>();
            StageStatus status = StageStatus.SUCCEEDED;
            for (int run = 1; run <= planned; run++) {
                if (Thread.currentThread().isInterrupted()) {
                    return session.abort("aborted before run " + run + " of " + planned);
                }
                if (planned > 1) {
                    session.say("ansible-playbook run " + run + " of " + planned
                            + (run == 1 ? "" : " (must change nothing)"));
                }
                String logName = runLog(run);
                RunTracker tracker = new RunTracker();
                ProcessResult result;
                // The evidence and the console get the masked output; the tracker and the parser's
                // copy get it as Ansible wrote it: a secret that is also a word of the output ("ok",
                // "changed") must not change what the recap says.
                Path parsedLog;
                try (ToolLog log = session.toolLog(logName, tmp)) {
                    ProcessSpec.Builder spec = session.spec(argv, env)
                            .secrets(secrets)
                            .mergeStderr(true)
                            .console(session.console().stream())
                            .rawListener(tracker);
                    result = session.run(log.into(spec).build());
                    parsedLog = log.parsed();
                }
                if (result.cancelled() || result.timedOut()) {
                    return session.abortedBy("run " + run + " of " + planned, result, "ansible-playbook", "");
                }
                EvidenceSource source = stage.source(logName, null);
                AnsibleRun recap = null;
                String parseProblem = null;
                try {
                    List<AnsibleRun> runs = recaps.readRuns(new ParseInput(parsedLog, source.file(), Map.of()));
                    if (runs.size() == 1) {
                        recap = runs.get(0);
                    } else {
                        parseProblem = source + " holds " + runs.size() + " PLAY RECAPs, not the one of one run";
                    }
                } catch (ParseException e) {
                    parseProblem = e.getMessage();
                }
                if (recap != null) {
                    parsed.add(recap);
                    durations.add(result.duration());
                }
                boolean failedRun = false;
                if (run >= 2 && recap != null) {
                    List<String> offenders = nonIdempotentHosts(recap);
                    if (!offenders.isEmpty()) {
                        String named = tracker.describeChanges();
                        session.record("not idempotent: run " + run + " of " + planned + " changed or failed on "
                                + String.join(", ", offenders)
                                + (named.isEmpty() ? "" : "; tasks that changed: " + named)
                                + (tracker.failures().isEmpty() ? ""
                                        : "; tasks that failed: " + String.join("; ", tracker.failures()))
                                + "; see " + source);
                        failedRun = true;
                    }
                }
                if (result.exitCode() != 0) {
                    session.record("run " + run + ": " + AnsibleExitCodes.describe(result.exitCode())
                            + details(tracker) + "; see " + source);
                    failedRun = true;
                } else if (recap == null) {
                    session.record("run " + run + ": ansible-playbook exited 0 but its recap cannot be read, so the"
                            + " run cannot be trusted: " + parseProblem);
                    failedRun = true;
                } else if (recap.hosts().isEmpty()) {
                    session.record("run " + run + ": no host was provisioned (the inventory or --limit matched no"
                            + " host); see " + source);
                    failedRun = true;
                }
                if (failedRun) {
                    status = StageStatus.FAILED;
                    break;
                }
            }
            MetricSet metrics = summary(parsed, durations);
            if (status == StageStatus.SUCCEEDED) {
                String summary = planned > 1
                        ? "provisioning succeeded: " + planned + " runs, runs 2.." + planned + " changed nothing"
                        : "provisioning succeeded";
                session.note(summary);
                return session.finish(status, metrics);
            }
            return session.fail(metrics);
        }

        /**
         * The documented metrics over the runs whose recap was read (the parsers' {@link AnsibleRuns}),
         * with each run's wall time added where the output does not state it. None when no recap was read.
         */
        private MetricSet summary(List<AnsibleRun> parsed, List<Duration> durations) {
            if (parsed.isEmpty()) {
                return null;
            }
            EvidenceSource whole = parsed.size() == 1 ? stage.source(runLog(1), null)
                    : stage.source(StageEvidence.RECORD_FILE, null);
            MetricSet metrics = citeOffendingRecap(AnsibleRuns.metrics(parsed, whole), parsed);
            Duration total = Duration.ZERO;
            for (int i = 0; i < parsed.size(); i++) {
                total = total.plus(durations.get(i));
                String name = "ansible.run[" + (i + 1) + "].duration_s";
                if (!metrics.contains(name)) {
                    metrics.add(Metric.number(name, seconds(durations.get(i)), "s",
                            stage.source(StageEvidence.RECORD_FILE, null)));
                }
            }
            if (!metrics.contains("ansible.duration_s")) {
                metrics.add(Metric.number("ansible.duration_s", seconds(total), "s",
                        stage.source(StageEvidence.RECORD_FILE, null)));
            }
            return metrics;
        }

        /** A false ansible.idempotent cites the recap of the first run that changed or failed. */
        private MetricSet citeOffendingRecap(MetricSet metrics, List<AnsibleRun> parsed) {
            Metric idempotent = metrics.get("ansible.idempotent").orElse(null);
            if (idempotent == null || Boolean.TRUE.equals(idempotent.value().raw())) {
                return metrics;
            }
            EvidenceSource offending = parsed.stream().skip(1).filter(r -> !nonIdempotentHosts(r).isEmpty())
                    .map(AnsibleRun::recap).findFirst().orElse(idempotent.source());
            MetricSet cited = new MetricSet();
            for (Metric m : metrics) {
                cited.add(m == idempotent ? new Metric(m.name(), m.value(), m.unit(), offending) : m);
            }
            return cited;
        }

        /** Hosts of a run whose recap shows a change or a failure. */
        private List<String> nonIdempotentHosts(AnsibleRun run) {
            List<String> hosts = new ArrayList<>();
            for (AnsibleHostStats h : run.hosts()) {
                if (h.changed() != 0 || h.failed() != 0) {
                    hosts.add(h.host() + " (changed=" + h.changed() + ", failed=" + h.failed() + ")");
                }
            }
            return hosts;
        }

        private String details(RunTracker tracker) {
            List<String> parts = new ArrayList<>();
            if (!tracker.unreachable().isEmpty()) {
                parts.add("unreachable: " + String.join("; ", tracker.unreachable()));
            }
            if (!tracker.failures().isEmpty()) {
                parts.add("failed: " + String.join("; ", tracker.failures()));
            }
            if (!tracker.errors().isEmpty()) {
                parts.add("Ansible said: " + String.join(" / ", tracker.errors()));
            }
            return parts.isEmpty() ? "" : "; " + String.join("; ", parts);
        }

    }

    private static String jsonEscaped(String value) {
        try {
            String quoted = new ObjectMapper().writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(List<String> argv, String option, String value) {
        if (value != null && !value.isEmpty()) {
            argv.add(option);
            argv.add(value);
        }
    }

    private static double seconds(Duration d) {
        return Math.round(d.toMillis() / 10.0) / 100.0;
    }
}
