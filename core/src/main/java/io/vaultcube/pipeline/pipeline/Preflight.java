package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.gate.PolicyParser;
import io.vaultcube.pipeline.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything runs, that everything a pipeline file names is there: templates,
 * playbooks, inventories, policies (parsed: a malformed policy is found now, not after a 24 h soak),
 * recorded evidence, scripts. Files a stage produces (the images a promotion copies) are not
 * checked here.
 */
public final class Preflight {
    private Preflight() {
    }

    public static void check(PipelineFile pipeline, Path workDir) throws PipelineFileException {
        List<YamlException.Problem> problems = new ArrayList<>();
        Checker c = new Checker(workDir, problems);
        for (StageSpec stage : pipeline.stages()) {
            int line = stage.line();
            if (stage instanceof StageSpec.PackerBuild p) {
                c.exists(line, "template", p.template(), false);
                p.varFiles().forEach(f -> c.exists(line, "var file", f, true));
                p.sensitiveVarsFromEnv().forEach((variable, env) -> {
                    if (System.getenv(env) == null) {
                        problems.add(new YamlException.Problem(line, 0, "sensitive variable " + variable
                                + ": the environment variable " + env + " that holds its value is not set"));
                    }
                });
            } else if (stage instanceof StageSpec.Provision p) {
                c.exists(line, "playbook", p.playbook(), true);
                c.exists(line, "inventory", p.inventory(), false);
                c.exists(line, "extra vars file", p.extraVarsFile(), true);
                c.exists(line, "private key", p.privateKey(), true);
            } else if (stage instanceof StageSpec.GpuValidate g) {
                c.directory(line, "recorded GPU collection", g.recorded());
                c.exists(line, "script", g.recorded() == null && g.script() == null ? "scripts/validate-gpus.sh"
                        : g.script(), true);
            } else if (stage instanceof StageSpec.Bench b) {
                c.directory(line, "recorded benchmark", b.recorded());
                c.exists(line, "sampler", b.sampler(), true);
            } else if (stage instanceof StageSpec.Stress s) {
                c.directory(line, "recorded soak", s.recorded());
                c.exists(line, "sampler", s.recorded() == null && s.sampler() == null ? "scripts/sample-telemetry.sh"
                        : s.sampler(), true);
            } else if (stage instanceof StageSpec.Gate g) {
                if (c.exists(line, "policy", g.policy(), true)) {
                    try {
                        PolicyParser.load(c.resolve(g.policy()));
                    } catch (YamlException e) {
                        problems.add(new YamlException.Problem(line, 0, "stage " + stage.name() + ": its policy "
                                + "cannot be used:\n  " + e.getMessage().replace("\n", "\n  ")));
                    } catch (IOException e) {
                        problems.add(new YamlException.Problem(line, 0, "stage " + stage.name()
                                + ": cannot read its policy: " + e.getMessage()));
                    }
                }
                c.directory(line, "baseline evidence", g.baseline());
            } else if (stage instanceof StageSpec.Promote p) {
                c.exists(line, "packer manifest", p.packerManifest() == null || p.packerManifest().contains("${")
                        ? null : p.packerManifest(), true);
            }
        }
        if (!problems.isEmpty()) {
            throw new PipelineFileException(pipeline.file().toString(), problems);
        }
    }

    private record Checker(Path workDir, List<YamlException.Problem> problems) {
        Path resolve(String written) {
            return workDir.resolve(written).normalize();
        }

        /** True when the path (if given) exists; files named with ${evidence} are made by the run. */
        boolean exists(int line, String what, String written, boolean mustBeFile) {
            if (written == null || written.contains("${evidence}")) {
                return false;
            }
            Path p = resolve(written);
            boolean ok = mustBeFile ? Files.isRegularFile(p) : Files.exists(p);
            if (!ok) {
                problems.add(new YamlException.Problem(line, 0, "the " + what + " " + written + " does not exist ("
                        + p + ")"));
            }
            return ok;
        }

        void directory(int line, String what, String written) {
            if (written != null && !Files.isDirectory(resolve(written))) {
                problems.add(new YamlException.Problem(line, 0, "the " + what + " " + written
                        + " is not a directory (" + resolve(written) + ")"));
            }
        }
    }
}
