package io.vaultcube.pipeline.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One stage of a pipeline file, as written (paths unresolved). Each kind runs the core runner that
 * the Jenkins step of the same name runs. See docs/pipeline-file.md. Its {@link StageKind} reads,
 * checks and runs it; a new kind may keep its stage record next to it.
 */
public interface StageSpec {
    /** The stage's name: its evidence directory, and how the console names it. */
    String name();

    /** The stage's kind, as {@code run:} names it. */
    String kind();

    /** The line of the stage in the pipeline file. */
    int line();

    /** The recorded stage this one reads instead of running a tool, as written; null for a live stage. */
    default String recorded() {
        return null;
    }

    /** Stages whose verdict decides the pipeline's (gates); a later promote stage may name one. */
    default boolean judges() {
        return false;
    }

    /** Stages that measure the machine; a failed one skips the rest of them, but not the gates. */
    default boolean measures() {
        return true;
    }

    /** {@code run: packer-build}: {@code vault packer-build}. */
    record PackerBuild(String name, int line, String template, Map<String, String> vars,
            Map<String, String> sensitiveVarsFromEnv, Map<String, String> sensitiveVarsFromFile, List<String> varFiles,
            List<String> only, List<String> except, String onError, boolean force, Duration timeout)
            implements StageSpec {
        public String kind() {
            return "packer-build";
        }
    }

    /** {@code run: provision}: {@code vault provision}. */
    record Provision(String name, int line, String playbook, String inventory, int idempotencyRuns,
            Map<String, String> extraVars, Map<String, String> sensitiveExtraVarsFromEnv,
            Map<String, String> sensitiveExtraVarsFromFile, String extraVarsFile, String limit, String tags, String skipTags,
            String user, String privateKey, boolean become, boolean check, boolean diff, Duration timeout)
            implements StageSpec {
        public String kind() {
            return "provision";
        }
    }

    /** {@code run: gpu-validate}: {@code vault gpu-validate}, live or from a recorded collection. */
    record GpuValidate(String name, int line, String recorded, String script, Integer expectCount,
            String expectModel, Integer expectMemoryMib) implements StageSpec {
        public String kind() {
            return "gpu-validate";
        }
    }

    /** {@code run: bench}: {@code vault bench}, live or from a recorded stage. */
    record Bench(String name, int line, String benchmark, String recorded, List<String> command, Duration interval,
            String sampler, Duration timeout) implements StageSpec {
        public String kind() {
            return "bench";
        }
    }

    /** {@code run: stress}: {@code vault stress}, live or from a recorded stage. */
    record Stress(String name, int line, String recorded, Duration duration, Duration interval,
            List<String> command, String sampler) implements StageSpec {
        public String kind() {
            return "stress";
        }
    }

    /** {@code run: gate}: {@code vault gate} over the run's evidence so far. */
    record Gate(String name, int line, String policy, String baseline) implements StageSpec {
        public String kind() {
            return "gate";
        }

        @Override
        public boolean judges() {
            return true;
        }

        @Override
        public boolean measures() {
            return false;
        }
    }

    /** {@code run: promote}: {@code vault promote} of files, decided by a gate stage's report. */
    record Promote(String name, int line, String gate, String repo, String image, String version,
            List<String> channels, List<String> files, String packerManifest, boolean allowUnstable,
            String inventory, String signingKey, String demoSigningKey, Map<String, String> materials,
            boolean requireSignature)
            implements StageSpec {
        public String kind() {
            return "promote";
        }

        @Override
        public boolean measures() {
            return false;
        }
    }
}
