package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SecretFile;
import io.vaultcube.pipeline.run.packer.PackerRunner;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code run: packer-build}: {@code vault packer-build}. */
final class PackerBuildStage extends RunnerStage<StageSpec.PackerBuild> {
    private static final Set<String> ON_ERROR = Set.of("cleanup", "abort", "ask", "run-cleanup-provisioner");

    @Override
    public String id() {
        return "packer-build";
    }

    @Override
    public Class<StageSpec.PackerBuild> specType() {
        return StageSpec.PackerBuild.class;
    }

    @Override
    public List<String> keys() {
        return List.of("template", "vars", "sensitive_vars_from_env", "sensitive_vars_from_file",
                "var_files", "only", "except", "on_error",
                "force", "timeout");
    }

    @Override
    public StageSpec.PackerBuild read(StageReader in) {
        String onError = in.text("on_error", false);
        if (onError != null && !ON_ERROR.contains(onError)) {
            in.problem("on_error", "on_error is one of " + String.join(", ", ON_ERROR.stream().sorted().toList())
                    + ", found \"" + onError + "\"");
        }
        return new StageSpec.PackerBuild(in.name(), in.line(), in.text("template", true), in.textMap("vars"),
                in.textMap("sensitive_vars_from_env"), in.textMap("sensitive_vars_from_file"),
                in.textList("var_files", false), in.textList("only", false),
                in.textList("except", false), onError, in.bool("force"), in.duration("timeout", false));
    }

    @Override
    public void preflight(StageSpec.PackerBuild p, PreflightChecks checks) {
        checks.exists("template", p.template(), false);
        p.varFiles().forEach(f -> checks.exists("var file", f, true));
        p.sensitiveVarsFromEnv().forEach((variable, env) -> {
            if (checks.env(env) == null) {
                checks.problem("sensitive variable " + variable + ": the environment variable " + env
                        + " that holds its value is not set");
            }
        });
        p.sensitiveVarsFromFile().forEach((variable, file) ->
                checks.exists("file that holds sensitive variable " + variable, file, true));
        checks.tool("packer");
    }

    @Override
    protected RunResult runInto(StageSpec.PackerBuild p, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException {
        Path template = context.path(p.template());
        String evidenceRoot = context.evidence().root().toString();
        if (isLegacyJson(template) && evidenceRoot.contains("{{")) {
            p.vars().forEach((k, v) -> {
                if (v.contains("${evidence}")) {
                    // Packer's legacy JSON templates render variable values as Go templates, again and
                    // again ({{env `X`}} reads the environment), so no escape survives: refuse.
                    throw new IllegalArgumentException("variable " + k + ": the evidence directory " + evidenceRoot
                            + " contains '{{', which the legacy JSON template " + template + " would evaluate as a"
                            + " template in ${evidence}; choose an evidence directory without '{{'");
                }
            });
        }
        PackerSettings.Builder b = PackerSettings.builder(template)
                .workingDirectory(context.workDir()).force(p.force()).timeout(p.timeout());
        p.vars().forEach((k, v) -> b.var(k, context.substitute(v)));
        p.sensitiveVarsFromEnv().forEach((k, env) -> {
            String value = context.environment().get(env);
            if (value == null) {
                throw new IllegalArgumentException("sensitive variable " + k + ": environment variable " + env
                        + " is not set");
            }
            // Packer gets the value as the variable; a provisioner that prints its environment cannot show it.
            b.sensitiveVar(k, value).env(env, null);
        });
        p.sensitiveVarsFromFile().forEach((k, file) ->
                b.sensitiveVar(k, SecretFile.read("sensitive variable " + k, context.path(file))));
        p.varFiles().forEach(f -> b.varFile(context.path(f)));
        p.only().forEach(b::only);
        p.except().forEach(b::except);
        if (p.onError() != null) {
            b.onError(PackerSettings.OnError.valueOf(p.onError().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return new PackerRunner(context.processes(), ParserRegistry.standard()).run(b.build(),
                context.console().stream(), evidence);
    }

    /** A legacy JSON template (not HCL2's {@code .pkr.json}): Packer renders its variables' values. */
    static boolean isLegacyJson(Path template) {
        String name = template.getFileName() == null ? "" : template.getFileName().toString();
        return name.endsWith(".json") && !name.endsWith(".pkr.json") && !Files.isDirectory(template);
    }
}
