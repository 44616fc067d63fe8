package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SecretFile;
import io.vaultcube.pipeline.run.ansible.AnsibleRunner;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import java.io.IOException;
import java.util.List;

/** {@code run: provision}: {@code vault provision}. */
final class ProvisionStage extends RunnerStage<StageSpec.Provision> {
    @Override
    public String id() {
        return "provision";
    }

    @Override
    public Class<StageSpec.Provision> specType() {
        return StageSpec.Provision.class;
    }

    @Override
    public List<String> keys() {
        return List.of("playbook", "inventory", "idempotency_runs", "extra_vars", "sensitive_extra_vars_from_env",
                "sensitive_extra_vars_from_file", "extra_vars_file", "limit", "tags",
                "skip_tags", "user", "private_key", "become", "check", "diff", "timeout");
    }

    @Override
    public StageSpec.Provision read(StageReader in) {
        Integer runs = in.integer("idempotency_runs", 1, 10);
        return new StageSpec.Provision(in.name(), in.line(), in.text("playbook", true), in.text("inventory", true),
                runs == null ? 1 : runs, in.textMap("extra_vars"), in.textMap("sensitive_extra_vars_from_env"),
                in.textMap("sensitive_extra_vars_from_file"), in.text("extra_vars_file", false),
                in.text("limit", false), in.text("tags", false), in.text("skip_tags", false), in.text("user", false),
                in.text("private_key", false), in.bool("become"), in.bool("check"), in.bool("diff"),
                in.duration("timeout", false));
    }

    @Override
    public void preflight(StageSpec.Provision p, PreflightChecks checks) {
        checks.exists("playbook", p.playbook(), true);
        checks.exists("inventory", p.inventory(), false);
        checks.exists("extra vars file", p.extraVarsFile(), true);
        checks.exists("private key", p.privateKey(), true);
        p.sensitiveExtraVarsFromEnv().forEach((variable, env) -> {
            if (checks.env(env) == null) {
                checks.problem("sensitive extra variable " + variable + ": the environment variable " + env
                        + " that holds its value is not set");
            }
        });
        p.sensitiveExtraVarsFromFile().forEach((variable, file) ->
                checks.exists("file that holds sensitive extra variable " + variable, file, true));
        checks.tool("ansible-playbook");
    }

    @Override
    protected RunResult runInto(StageSpec.Provision p, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException {
        AnsibleSettings.Builder b = AnsibleSettings.builder(context.path(p.playbook()),
                context.path(p.inventory()).toString())
                .idempotencyRuns(p.idempotencyRuns()).limit(p.limit()).tags(p.tags()).skipTags(p.skipTags())
                .user(p.user()).become(p.become()).check(p.check()).diff(p.diff()).timeout(p.timeout())
                .workingDirectory(context.workDir());
        p.extraVars().forEach((k, v) -> b.extraVar(k, context.substitute(v)));
        p.sensitiveExtraVarsFromEnv().forEach((k, env) -> {
            String value = context.environment().get(env);
            if (value == null) {
                throw new IllegalArgumentException("sensitive extra variable " + k + ": environment variable " + env
                        + " is not set");
            }
            // Ansible gets the value as the variable; a task that prints its environment cannot show it.
            b.sensitiveExtraVar(k, value).env(env, null);
        });
        p.sensitiveExtraVarsFromFile().forEach((k, file) ->
                b.sensitiveExtraVar(k, SecretFile.read("sensitive extra variable " + k, context.path(file))));
        if (p.extraVarsFile() != null) {
            b.extraVarsFile(context.path(p.extraVarsFile()));
        }
        if (p.privateKey() != null) {
            b.privateKeyFile(context.path(p.privateKey()));
        }
        return new AnsibleRunner(context.processes()).run(b.build(), context.console().stream(), evidence);
    }
}
