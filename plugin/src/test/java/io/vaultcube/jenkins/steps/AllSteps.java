package io.vaultcube.jenkins.steps;

import java.util.List;

/** The plugin's steps, for tests that check each of them. */
final class AllSteps {
    static final List<Class<? extends VaultStep>> STEPS = List.of(VaultPackerBuildStep.class,
            VaultAnsibleProvisionStep.class, VaultGpuValidateStep.class, VaultBenchmarkStep.class,
            VaultStressTestStep.class, VaultInventoryStep.class, VaultGateStep.class, VaultPromoteStep.class);

    private AllSteps() {
    }
}
