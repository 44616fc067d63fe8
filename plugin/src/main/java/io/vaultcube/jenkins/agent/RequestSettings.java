package io.vaultcube.jenkins.agent;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SecretFile;
import io.vaultcube.pipeline.run.StageRunner;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.run.ansible.AnsibleRunner;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.bench.BenchKind;
import io.vaultcube.pipeline.run.bench.BenchRunner;
import io.vaultcube.pipeline.run.bench.BenchSettings;
import io.vaultcube.pipeline.run.gpu.GpuValidateRunner;
import io.vaultcube.pipeline.run.gpu.GpuValidateSettings;
import io.vaultcube.pipeline.run.inventory.InventoryRunner;
import io.vaultcube.pipeline.run.inventory.InventorySettings;
import io.vaultcube.pipeline.run.packer.PackerRunner;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import io.vaultcube.pipeline.run.stress.StressRunner;
import io.vaultcube.pipeline.run.stress.StressSettings;
import io.vaultcube.pipeline.evidence.StageEvidence;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the core's settings from a {@link StageRequest} on the agent, with the same builders and
 * defaults as the {@code vault} commands (the tests compare the two for the same inputs), and
 * binds each kind to its runner through the core's {@link StageRunner}. Relative paths resolve against the workspace, where the tools
 * also run; the private temporary directories of Packer and Ansible go to {@code WORKSPACE@tmp},
 * as Jenkins' own temporary files do. Secrets named by file ({@code sensitiveVarsFromFile}) are
 * read here, on the agent, so their content never travels to or through the controller.
 */
public final class RequestSettings {
    /** The default telemetry sampler and GPU validation script, in the workspace (as in a pipeline file). */
    public static final String DEFAULT_SAMPLER = "scripts/sample-telemetry.sh";
    public static final String DEFAULT_GPU_SCRIPT = "scripts/validate-gpus.sh";
    /** The inventory collection script and its playbook, in the workspace (as in a pipeline file). */
    public static final String DEFAULT_INVENTORY_SCRIPT = "scripts/collect-inventory.sh";
    public static final String DEFAULT_INVENTORY_PLAYBOOK = "scripts/collect-inventory.yml";

    private RequestSettings() {
    }

    /** A runner bound to its settings: what the core's {@link StageRunner} runs, the same for every kind. */
    static <S extends io.vaultcube.pipeline.run.StageSettings> StageCall bind(StageRunner<S> runner, S settings) {
        return (console, stage) -> runner.run(settings, console, stage);
    }

    /** One prepared stage: settings built, ready to run into its evidence stage. */
    @FunctionalInterface
    public interface StageCall {
        RunResult run(OutputStream console, StageEvidence stage) throws RunSetupException, IOException;
    }

    /** The settings of the request, bound to the kind's runner. Secrets go into the settings here, only. */
    public static StageCall prepare(StageRequest r, Path workspace, AgentSecrets secrets, ProcessRunner processes)
            throws IOException, InterruptedException {
        // No default: a new runner kind does not compile until it has its settings here.
        return switch (r.kind()) {
            case PACKER_BUILD -> bind(new PackerRunner(processes, ParserRegistry.standard()),
                    packer(r, workspace, secrets));
            case PROVISION -> {
                String key = secrets.privateKey() == null ? null
                        : PrivateKeys.withoutPassphrase(secrets.privateKey(), secrets.passphrase(),
                                tempRoot(workspace), processes);
                yield bind(new AnsibleRunner(processes), provision(r, workspace, key, secrets.passphrase(),
                        secrets.values()));
            }
            case GPU_VALIDATE -> bind(new GpuValidateRunner(processes), gpu(r, workspace));
            case BENCH -> {
                if (r.text("recorded") != null) {
                    BenchKind kind = BenchKind.of(r.text("benchmark"));
                    Duration interval = duration(r, "interval", BenchSettings.DEFAULT_INTERVAL);
                    Path from = workspace.resolve(r.text("recorded"));
                    yield (console, stage) -> new BenchRunner(processes).replay(kind, interval, from, console, stage);
                }
                yield bind(new BenchRunner(processes), bench(r, workspace));
            }
            case STRESS -> {
                if (r.text("recorded") != null) {
                    Duration planned = Durations.parse(r.text("duration"));
                    Duration interval = duration(r, "interval", StressSettings.DEFAULT_INTERVAL);
                    Path from = workspace.resolve(r.text("recorded"));
                    yield (console, stage) -> new StressRunner(processes).replay(planned, interval, from, console,
                            stage);
                }
                yield bind(new StressRunner(processes), stress(r, workspace));
            }
            case INVENTORY -> {
                String key = secrets.privateKey() == null ? null
                        : PrivateKeys.withoutPassphrase(secrets.privateKey(), secrets.passphrase(),
                                tempRoot(workspace), processes);
                yield bind(new InventoryRunner(processes), inventory(r, workspace, key, secrets.passphrase()));
            }
        };
    }

    /** {@code vault packer-build}. */
    public static PackerSettings packer(StageRequest r, Path ws, AgentSecrets secrets) {
        PackerSettings.Builder b = PackerSettings.builder(ws.resolve(r.text("template")))
                .force(r.flag("force"))
                .packer(r.text("packer") == null ? "packer" : r.text("packer"));
        r.map("vars").forEach(b::var);
        for (Map.Entry<String, String> e : r.map("sensitiveVarsFromEnv").entrySet()) {
            String value = secrets.values().get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("sensitive variable " + e.getKey() + ": no value was passed from"
                        + " environment variable " + e.getValue());
            }
            b.sensitiveVar(e.getKey(), value);
        }
        r.map("sensitiveVarsFromFile").forEach((k, file) ->
                b.sensitiveVar(k, SecretFile.read("sensitive variable " + k, ws.resolve(file))));
        r.list("varFiles").forEach(f -> b.varFile(ws.resolve(f)));
        r.list("only").forEach(b::only);
        r.list("except").forEach(b::except);
        if (r.text("onError") != null) {
            b.onError(onError(r.text("onError")));
        }
        b.tempRoot(tempRoot(ws));
        return process(b, r, ws).build();
    }

    /** {@code vault provision}; the key comes from a credential, never from a file the person names. */
    public static AnsibleSettings provision(StageRequest r, Path ws, String privateKey, String passphrase,
            Map<String, String> secretValues) {
        AnsibleSettings.Builder b = AnsibleSettings.builder(ws.resolve(r.text("playbook")), r.text("inventory"))
                .limit(r.text("limit")).tags(r.text("tags")).skipTags(r.text("skipTags")).user(r.text("user"))
                .become(r.flag("become")).check(r.flag("check")).diff(r.flag("diff"))
                .idempotencyRuns(r.integer("idempotencyRuns") == null ? 1 : r.integer("idempotencyRuns"))
                .ansiblePlaybook(r.text("ansiblePlaybook") == null ? "ansible-playbook" : r.text("ansiblePlaybook"));
        if (privateKey != null) {
            b.privateKey(privateKey);
        }
        if (passphrase != null && !passphrase.isEmpty()) {
            b.secret(passphrase);
        }
        r.map("extraVars").forEach(b::extraVar);
        for (Map.Entry<String, String> e : r.map("sensitiveExtraVarsFromEnv").entrySet()) {
            String value = secretValues.get(e.getKey());
            if (value == null) {
                throw new IllegalArgumentException("sensitive extra variable " + e.getKey() + ": no value was passed"
                        + " from environment variable " + e.getValue());
            }
            b.sensitiveExtraVar(e.getKey(), value);
        }
        r.map("sensitiveExtraVarsFromFile").forEach((k, file) ->
                b.sensitiveExtraVar(k, SecretFile.read("sensitive extra variable " + k, ws.resolve(file))));
        r.list("extraVarsFiles").forEach(f -> b.extraVarsFile(ws.resolve(f)));
        b.tempRoot(tempRoot(ws));
        return process(b, r, ws).build();
    }

    /** {@code vault gpu-validate}: a recorded collection, or a live run of the validation script. */
    public static GpuValidateSettings gpu(StageRequest r, Path ws) {
        GpuValidateSettings.Builder b = r.text("recorded") != null
                ? GpuValidateSettings.recorded(ws.resolve(r.text("recorded")))
                : GpuValidateSettings.live(ws.resolve(r.text("script") == null ? DEFAULT_GPU_SCRIPT : r.text("script")));
        return b.expectCount(r.integer("expectCount")).expectModel(r.text("expectModel"))
                .expectMemoryMib(r.integer("expectMemoryMib")).expectPcieGen(r.integer("expectPcieGen"))
                .expectPcieWidth(r.integer("expectPcieWidth")).expectDriverMin(r.text("expectDriverMin"))
                .maxIdleTempC(r.integer("maxIdleTemp")).noLoad(r.flag("noLoad")).loadSeconds(r.integer("loadSeconds"))
                .loadWarmupSeconds(r.integer("loadWarmup")).python(r.text("python")).loadCommand(r.list("loadCommand"))
                .workingDirectory(ws).build();
    }

    /** {@code vault bench KIND -- COMMAND}. */
    public static BenchSettings bench(StageRequest r, Path ws) {
        boolean telemetry = !r.values().containsKey("telemetry") || r.flag("telemetry");
        BenchSettings.Builder b = BenchSettings.builder(BenchKind.of(r.text("benchmark")), r.list("command"))
                .interval(duration(r, "interval", BenchSettings.DEFAULT_INTERVAL)).telemetry(telemetry)
                .stageName(r.stage()).timeout(duration(r, "timeout", null)).workingDirectory(ws);
        if (telemetry) {
            b.sampler(ws.resolve(r.text("sampler") == null ? DEFAULT_SAMPLER : r.text("sampler")));
        }
        return b.build();
    }

    /** {@code vault stress --duration D -- WORKLOAD}. */
    public static StressSettings stress(StageRequest r, Path ws) {
        StressSettings.Builder b = StressSettings.builder(r.list("command"), Durations.parse(r.text("duration")),
                        ws.resolve(r.text("sampler") == null ? DEFAULT_SAMPLER : r.text("sampler")))
                .interval(duration(r, "interval", StressSettings.DEFAULT_INTERVAL))
                .progressEvery(duration(r, "progressEvery", StressSettings.DEFAULT_PROGRESS_EVERY))
                .stageName(r.stage()).endGrace(duration(r, "endGrace", Duration.ZERO))
                .journalctl("journalctl").dmesg("dmesg").workingDirectory(ws);
        if (r.text("stopGrace") != null) {
            b.graces(Durations.parse(r.text("stopGrace")), ProcessControl.DEFAULT_TERMINATE_GRACE);
        }
        return b.build();
    }

    /**
     * {@code vault inventory}: an image root, a running box over Ansible (the connection as
     * {@link #provision} builds it, the key from a credential), or the agent itself.
     */
    public static InventorySettings inventory(StageRequest r, Path ws, String privateKey, String passphrase) {
        InventorySettings.Builder b = InventorySettings.builder(ws.resolve(r.text("script") == null
                ? DEFAULT_INVENTORY_SCRIPT : r.text("script")));
        r.list("pythonEnvs").forEach(b::pythonEnv);
        if (r.text("root") != null) {
            b.root(ws.resolve(r.text("root")));
        }
        if (r.text("inventory") != null) {
            Path playbook = ws.resolve(DEFAULT_INVENTORY_PLAYBOOK);
            AnsibleSettings.Builder a = AnsibleSettings.builder(playbook, r.text("inventory")).limit(r.text("limit"))
                    .user(r.text("user")).become(r.flag("become"))
                    .ansiblePlaybook(r.text("ansiblePlaybook") == null ? "ansible-playbook" : r.text("ansiblePlaybook"));
            if (privateKey != null) {
                a.privateKey(privateKey);
            }
            if (passphrase != null && !passphrase.isEmpty()) {
                a.secret(passphrase);
            }
            r.map("extraVars").forEach(a::extraVar);
            a.tempRoot(tempRoot(ws));
            b.ansible(process(a, r, ws).build(), playbook);
        }
        b.tempRoot(tempRoot(ws));
        return process(b, r, ws).build();
    }

    /** Where Packer and Ansible put their private directories: beside the workspace, as Jenkins does. */
    public static Path tempRoot(Path ws) {
        return ws.resolveSibling(ws.getFileName() + "@tmp");
    }

    private static <B extends ProcessControl.Builder<B>> B process(B b, StageRequest r, Path ws) {
        return b.workingDirectory(ws).timeout(duration(r, "timeout", null));
    }

    private static Duration duration(StageRequest r, String name, Duration otherwise) {
        String text = r.text(name);
        return text == null ? otherwise : Durations.parse(text);
    }

    private static PackerSettings.OnError onError(String text) {
        for (PackerSettings.OnError choice : PackerSettings.OnError.values()) {
            if (choice.flag().equals(text.toLowerCase(Locale.ROOT))) {
                return choice;
            }
        }
        throw new IllegalArgumentException("onError must be cleanup, abort, ask or run-cleanup-provisioner, not '"
                + text + "'");
    }
}
