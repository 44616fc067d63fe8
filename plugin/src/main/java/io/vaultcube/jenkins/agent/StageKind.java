package io.vaultcube.jenkins.agent;

/** The stage kinds a runner step runs; the ids are the pipeline file's {@code run:} values. */
public enum StageKind {
    PACKER_BUILD("packer-build", "packer"),
    PROVISION("provision", "ansible"),
    GPU_VALIDATE("gpu-validate", "gpu"),
    BENCH("bench", null),
    STRESS("stress", "stress"),
    INVENTORY("inventory", "inventory");

    private final String id;
    private final String defaultStage;

    StageKind(String id, String defaultStage) {
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
