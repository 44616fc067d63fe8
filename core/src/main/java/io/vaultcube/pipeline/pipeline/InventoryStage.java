package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.inventory.InventoryRunner;
import io.vaultcube.pipeline.run.inventory.InventorySettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code run: inventory}: {@code vault inventory}. What is installed on the provisioned box (over
 * Ansible: {@code inventory}, {@code limit}, {@code user}, {@code private_key}, {@code become}, as a
 * provision stage takes them), in an image root ({@code root}), or on this machine (neither).
 */
final class InventoryStage extends RunnerStage<InventoryStage.Inventory> {
    static final String DEFAULT_SCRIPT = "scripts/collect-inventory.sh";
    static final String DEFAULT_PLAYBOOK = "scripts/collect-inventory.yml";

    /** An inventory stage as written. */
    record Inventory(String name, int line, String root, String inventory, String limit, String user,
            String privateKey, boolean become, List<String> pythonEnvs, String script, Duration timeout)
            implements StageSpec {
        public String kind() {
            return "inventory";
        }
    }

    @Override
    public String id() {
        return "inventory";
    }

    @Override
    public Class<Inventory> specType() {
        return Inventory.class;
    }

    @Override
    public List<String> keys() {
        return List.of("root", "inventory", "limit", "user", "private_key", "become", "python_envs", "script", "timeout");
    }

    @Override
    public Inventory read(StageReader in) {
        String root = in.text("root", false);
        String inventory = in.text("inventory", false);
        if (root != null && inventory != null) {
            in.problem("root", "give root (an image root) or inventory (a running box over Ansible), not both");
        }
        List<String> envs = in.textListOrNull("python_envs");
        return new Inventory(in.name(), in.line(), root, inventory, in.text("limit", false), in.text("user", false),
                in.text("private_key", false), in.bool("become"), envs == null ? List.of() : envs,
                in.text("script", false), in.duration("timeout", false));
    }

    @Override
    public void preflight(Inventory s, PreflightChecks checks) {
        checks.script("inventory script", s.script() == null ? DEFAULT_SCRIPT : s.script());
        if (s.inventory() != null) {
            checks.exists("inventory", s.inventory(), false);
            checks.exists("private key", s.privateKey(), true);
            checks.exists("collection playbook", DEFAULT_PLAYBOOK, true);
            checks.tool("ansible-playbook");
        }
        if (s.root() != null && !s.root().contains("${")) {
            checks.directory("image root", s.root());
        }
        checks.tool("dpkg-query");
    }

    @Override
    protected RunResult runInto(Inventory s, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException {
        InventorySettings.Builder b = InventorySettings.builder(context.path(s.script() == null ? DEFAULT_SCRIPT : s.script()))
                .workingDirectory(context.workDir()).timeout(s.timeout());
        s.pythonEnvs().forEach(e -> b.pythonEnv(context.substitute(e)));
        if (s.root() != null) {
            b.root(context.path(s.root()));
        }
        if (s.inventory() != null) {
            AnsibleSettings.Builder a = AnsibleSettings.builder(context.path(DEFAULT_PLAYBOOK),
                    context.path(s.inventory()).toString()).limit(s.limit()).user(s.user()).become(s.become())
                    .timeout(s.timeout()).workingDirectory(context.workDir());
            if (s.privateKey() != null) {
                a.privateKeyFile(context.path(s.privateKey()));
            }
            b.ansible(a.build(), context.path(DEFAULT_PLAYBOOK));
        }
        return new InventoryRunner(context.processes()).run(b.build(), context.console().stream(), evidence);
    }
}
