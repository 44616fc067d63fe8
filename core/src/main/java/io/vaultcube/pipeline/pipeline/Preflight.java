package io.vaultcube.pipeline.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks, before anything runs, that everything a pipeline file names is there: templates,
 * playbooks, inventories, policies (parsed: a malformed policy is found now, not after a 24 h soak),
 * recorded evidence, scripts, and the tools the stages run (packer, ansible-playbook, the
 * interpreters of scripts). Each {@link StageKind} says what its stages need. Files a stage
 * produces (the images a promotion copies) are not checked here.
 */
public final class Preflight {
    private Preflight() {
    }

    /** Checks against this process's environment (its PATH finds the tools). */
    public static void check(PipelineFile pipeline, Path workDir) throws PipelineFileException {
        check(pipeline, workDir, System.getenv());
    }

    /**
     * Checks every stage; all problems are reported together.
     *
     * @param environment the environment the tools will run in
     */
    public static void check(PipelineFile pipeline, Path workDir, Map<String, String> environment)
            throws PipelineFileException {
        PreflightChecks checks = new PreflightChecks(workDir, environment);
        for (StageSpec stage : pipeline.stages()) {
            checks.at(stage);
            StageKinds.preflight(stage, checks);
        }
        List<io.vaultcube.pipeline.yaml.YamlException.Problem> problems = checks.problems();
        if (!problems.isEmpty()) {
            throw new PipelineFileException(pipeline.file().toString(), problems);
        }
    }
}
