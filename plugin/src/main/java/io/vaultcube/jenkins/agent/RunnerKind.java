package io.vaultcube.jenkins.agent;

/**
 * The runner a runner step runs on the agent; the ids are the pipeline file's {@code run:} values
 * (the core's {@code pipeline.StageKind} is the pipeline file's side of the same kinds).
 */
public enum RunnerKind {
    PACKER_BUILD("packer-build", "packer"),
    PROVISION("provision", "ansible"),
    GPU_VALIDATE("gpu-validate", "gpu"),
    BENCH("bench", null),
    STRESS("stress", "stress"),
    INVENTORY("inventory", "inventory");

    private final String id;
    private final String defaultStage;

    RunnerKind(String id, String defaultStage) {
        this.id = id;
        this.defaultStage = defaultStage;
    }

    /** The pipeline file's {@code run:} value. */
    public String id() {
        return id;
    }

    /** The stage (evidence directory) the CLI writes by default; null where it depends on a value (bench-KIND). */
    public String defaultStage() {
        return defaultStage;
    }
}
