package io.vaultcube.pipeline.run.inventory;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.inventory.DpkgQueryParser;
import io.vaultcube.pipeline.parse.inventory.InventoryComponents;
import io.vaultcube.pipeline.parse.inventory.KernelReleaseParser;
import io.vaultcube.pipeline.parse.inventory.NvidiaDriverVersionParser;
import io.vaultcube.pipeline.parse.inventory.NvidiaSmiInventoryParser;
import io.vaultcube.pipeline.parse.inventory.PipListParser;
import io.vaultcube.pipeline.parse.inventory.TorchBuildParser;
import io.vaultcube.pipeline.run.EvidenceLog;
import io.vaultcube.pipeline.run.PrivateTempDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SessionRunner;
import io.vaultcube.pipeline.run.StageSession;
import io.vaultcube.pipeline.run.ansible.AnsibleRunner;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Collects what is installed on a box, or in an image root, and keeps it in the {@code inventory}
 * stage: the raw outputs of {@code scripts/collect-inventory.sh} (dpkg-query, uname -r,
 * /proc/driver/nvidia/version, nvidia-smi, each Python environment and its torch build) exactly as
 * written, then the metrics the {@code dpkg-query}, {@code kernel-release}, {@code nvidia-driver-version},
 * {@code nvidia-smi-inventory}, {@code pip-list} and {@code torch-build} parsers read from them, and the component
 * versions derived from the packages ({@link InventoryComponents}).
 *
 * <p>Fail closed: a collection that failed, a missing package list or kernel list, or any file a
 * parser refuses fails the stage, and no metrics are written (a gate then says "no evidence" and
 * names the stage); files that a system legitimately lacks (no driver loaded, no nvidia-smi) only
 * leave their metrics out. Over Ansible exactly one host must answer: an inventory describes one
 * machine. Interrupting the calling thread stops the tool and records the stage ABORTED.
 */
public final class InventoryRunner extends SessionRunner<InventorySettings> {
    public static final String STAGE = "inventory";
    public static final String DPKG = "dpkg-query.txt";
    public static final String KERNEL = "kernel-release.txt";
    public static final String DRIVER = "nvidia-driver-version.txt";
    public static final String SMI = "nvidia-smi-inventory.csv";
    public static final String PYTHON_ENVS = "python-environments.txt";
    public static final String COLLECT_LOG = "collect-inventory.log";
    public static final String ANSIBLE_LOG = "ansible-collect.log";

    public InventoryRunner() {
    }

    public InventoryRunner(ProcessRunner processes) {
        super(processes);
    }

    /** Nothing is started without a script, an image root or a collection playbook. */
    @Override
    protected Work prepare(InventorySettings settings, Path workDir, StageEvidence stage) throws RunSetupException {
        Path script = workDir.resolve(settings.script()).normalize();
        if (!Files.isRegularFile(script)) {
            throw new RunSetupException("no inventory script at " + script);
        }
        Path root = settings.root() == null ? null : workDir.resolve(settings.root()).normalize();
        if (root != null && !Files.isDirectory(root.resolve("var/lib/dpkg"))) {
            throw new RunSetupException("no Debian root at " + root + " (it has no var/lib/dpkg)");
        }
        Path playbook = settings.ansible() == null ? null : workDir.resolve(settings.collectPlaybook()).normalize();
        if (playbook != null && !Files.isRegularFile(playbook)) {
            throw new RunSetupException("no collection playbook at " + playbook);
        }
        return session -> collect(settings, script, root, playbook, session);
    }

    private RunResult collect(InventorySettings settings, Path script, Path root, Path playbook, StageSession session)
            throws IOException {
        session.say("collecting the inventory of " + settings.describeSource());
        try (PrivateTempDir tmp = PrivateTempDir.create(settings.tempRoot(), "vault-inventory-")) {
            RunResult ended = settings.ansible() != null ? overAnsible(settings, script, playbook, tmp, session)
                    : locally(settings, script, root, session);
            if (ended != null) {
                return ended;
            }
        }
        MetricSet metrics;
        try {
            metrics = parse(session.stage());
        } catch (ParseException e) {
            return fail(session, "the inventory cannot be read: " + e.getMessage());
        }
        String summary = "inventory of " + settings.describeSource() + ": " + metrics.get("inventory.deb.count")
                .map(m -> m.value().toString()).orElse("0") + " Debian packages"
                + metrics.get("inventory.kernel.release").map(m -> ", kernel " + m.value()).orElse("")
                + metrics.get("inventory.nvidia_driver.version").map(m -> ", NVIDIA driver " + m.value()).orElse("");
        session.note(summary);
        return session.finish(StageStatus.SUCCEEDED, metrics);
    }

    private static RunResult fail(StageSession session, String problem) throws IOException {
        session.record(problem);
        return session.fail(null);
    }

    /** Runs the script here, writing straight into the stage. Null when it worked, else how the stage ended. */
    private RunResult locally(InventorySettings settings, Path script, Path root, StageSession session)
            throws IOException {
        StageEvidence stage = session.stage();
        List<String> argv = new ArrayList<>(List.of("bash", script.toString(), "--out", stage.dir().toString()));
        if (root != null) {
            argv.add("--root");
            argv.add(root.toString());
        }
        for (String env : settings.pythonEnvs()) {
            argv.add("--python-env");
            argv.add(env);
        }
        ProcessResult result;
        try (EvidenceLog log = new EvidenceLog(stage.file(COLLECT_LOG))) {
            result = session.run(session.spec(argv, Map.of()).mergeStderr(true).console(session.console().stream())
                    .listener(log).build());
        }
        if (result.cancelled() || result.timedOut()) {
            return session.abortedBy("the collection", result, "collect-inventory.sh", "");
        }
        if (result.exitCode() != 0) {
            return fail(session, "collect-inventory.sh exited " + result.exitCode() + "; see "
                    + stage.source(COLLECT_LOG, null));
        }
        return null;
    }

    /** Runs the collection playbook and copies the one host's files into the stage. */
    private RunResult overAnsible(InventorySettings settings, Path script, Path playbook, PrivateTempDir tmp,
            StageSession session) throws IOException {
        StageEvidence stage = session.stage();
        AnsibleSettings a = settings.ansible();
        Path fetched = tmp.directory("fetched");
        Map<String, String> vars = new LinkedHashMap<>(a.extraVars());
        vars.put("vault_inventory_script", script.toString());
        vars.put("vault_inventory_fetch_dir", fetched.toString());
        List<String> args = new ArrayList<>();
        for (String env : settings.pythonEnvs()) {
            args.add("--python-env");
            args.add(env);
        }
        vars.put("vault_inventory_args_json", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(args));
        AnsibleSettings collect = new AnsibleSettings(playbook.toString(), a.inventory(), a.limit(), null, null,
                vars, a.extraVarsFilePaths(), a.user(), a.privateKeyFilePath(), a.privateKey(), a.become(), false,
                false, 1, a.ansiblePlaybook(), a.tempRootPath(), a.process());
        EvidenceDir scratch = EvidenceDir.create(tmp.directory("ansible-evidence"));
        StageEvidence ansibleStage = scratch.stage(AnsibleRunner.STAGE);
        RunResult ran;
        try {
            ran = new AnsibleRunner(processes).run(collect, session.console().stream(), ansibleStage);
        } catch (RunSetupException e) {
            return fail(session, "the collection playbook could not start: " + e.getMessage());
        } finally {
            Path log = ansibleStage.file(AnsibleRunner.runLog(1));
            if (Files.exists(log)) {
                Files.copy(log, stage.file(ANSIBLE_LOG), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (ansibleStage.hasRecord()) {
            ansibleStage.readRecord().commands().forEach(c -> session.recorder().commandRecord(c));
        }
        if (ran.aborted()) {
            return session.abort("the collection playbook was stopped: " + String.join("; ", ran.messages()));
        }
        if (!ran.succeeded()) {
            return fail(session, "the collection playbook failed: " + String.join("; ", ran.messages()) + " (see "
                    + stage.source(ANSIBLE_LOG, null) + ")");
        }
        List<Path> hosts;
        try (Stream<Path> s = Files.list(fetched)) {
            hosts = s.sorted().toList();
        }
        if (hosts.size() != 1) {
            return fail(session, "an inventory describes one machine, but " + hosts.size() + " hosts answered ("
                    + String.join(", ", hosts.stream().map(InventoryRunner::hostName).toList())
                    + "); limit the inventory to one host");
        }
        try (Stream<Path> files = Files.list(hosts.get(0))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f) || name.equals(StageEvidence.METRICS_FILE) || name.equals(StageEvidence.RECORD_FILE)) {
                    return fail(session, "the host sent an unexpected entry " + name);
                }
                Files.copy(f, stage.file(name));
            }
        }
        session.say("fetched the inventory of " + hostName(hosts.get(0)));
        return null;
    }

    /** A host's name from its fetch directory, which the playbook URL-encodes (a chroot host's name is a path). */
    static String hostName(Path dir) {
        return URLDecoder.decode(dir.getFileName().toString(), StandardCharsets.UTF_8);
    }

    /** The file of an environment's torch build ({@code torch-NAME.json}). */
    public static String torchFile(String environment) {
        return "torch-" + environment + ".json";
    }

    /** Parses the stage's raw files into its metrics; a required file that is missing is a ParseException too. */
    public static MetricSet parse(StageEvidence stage) throws ParseException, IOException {
        MetricSet metrics = new MetricSet();
        metrics.addAll(parse(new DpkgQueryParser(), stage, DPKG, Map.of(), true));
        metrics.addAll(parse(new KernelReleaseParser(), stage, KERNEL, Map.of(), true));
        metrics.addAll(parse(new NvidiaDriverVersionParser(), stage, DRIVER, Map.of(), false));
        metrics.addAll(parse(new NvidiaSmiInventoryParser(), stage, SMI, Map.of(), false));
        Path envs = stage.file(PYTHON_ENVS);
        if (!Files.isRegularFile(envs)) {
            throw new ParseException(stage.source(PYTHON_ENVS, null).file(), 0, "missing: the collection did not finish");
        }
        ParseInput envInput = new ParseInput(envs, stage.source(PYTHON_ENVS, null).file(), Map.of());
        try (LineReader lines = LineReader.open(envInput)) {
            while (lines.next()) {
                String[] f = lines.text().split("\t", -1);
                if (f.length != 2 || !f[0].matches("[A-Za-z0-9._-]+")) {
                    throw lines.error("expected NAME<TAB>SITE_DIR");
                }
                metrics.addAll(parse(new PipListParser(), stage, "python-" + f[0] + ".json",
                        Map.of("environment", f[0]), true));
                // Only a running system's environments with torch have it (the script never imports from a root).
                metrics.addAll(parse(new TorchBuildParser(), stage, torchFile(f[0]), Map.of("environment", f[0]), false));
            }
        }
        metrics.addAll(InventoryComponents.derive(metrics));
        return metrics;
    }

    private static MetricSet parse(EvidenceParser parser, StageEvidence stage, String file, Map<String, String> options,
            boolean required) throws ParseException, IOException {
        Path path = stage.file(file);
        String source = stage.source(file, null).file();
        if (!Files.isRegularFile(path)) {
            if (required) {
                throw new ParseException(source, 0, "missing: the collection did not write it");
            }
            return new MetricSet();
        }
        return parser.parse(new ParseInput(path, source, options));
    }
}
