package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.run.bench.BenchKind;
import io.vaultcube.pipeline.run.bench.BenchSettings;
import io.vaultcube.pipeline.run.gpu.GpuValidateSettings;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import io.vaultcube.pipeline.run.stress.StressSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The process half that every runner's settings share, and what each runner makes of it. */
class ProcessControlTest {
    @Test
    void eachRunnerHasItsOwnInterruptGraceAndTheSameTerminateGrace() {
        assertThat(PackerSettings.builder(Path.of("t.pkr.hcl")).build().process().interruptGrace())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(StressSettings.builder(List.of("w"), Duration.ofMinutes(1), Path.of("s")).build().process()
                .interruptGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(GpuValidateSettings.recorded(Path.of("d")).build().process().interruptGrace())
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(BenchSettings.builder(BenchKind.DDP, List.of("b")).telemetry(false).build().process()
                .terminateGrace()).isEqualTo(ProcessControl.DEFAULT_TERMINATE_GRACE);
    }

    @Test
    void theBuilderKeepsRemovalsOrderAndNonEmptySecrets() {
        ProcessControl c = BenchSettings.builder(BenchKind.DDP, List.of("b")).telemetry(false)
                .env("B", "2").env("A", null).secret("").secret(null).secret("s").workingDirectory(Path.of("/w"))
                .timeout(Duration.ofMinutes(3)).graces(Duration.ofSeconds(1), Duration.ofSeconds(2)).build().process();
        assertThat(c.environment().keySet()).containsExactly("B", "A");
        assertThat(c.environment().get("A")).as("null removes the variable from the inherited environment").isNull();
        assertThat(c.secrets()).containsExactly("s");
        assertThat(c.workingDirectory()).isEqualTo(Path.of("/w"));
        assertThat(c.timeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.interruptGrace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.terminateGrace()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void impossibleLimitsAreRefused() {
        assertThatThrownBy(() -> new ProcessControl(null, null, Duration.ZERO, Duration.ofSeconds(1), null, null))
                .hasMessageContaining("timeout must be longer than zero");
        assertThatThrownBy(() -> new ProcessControl(null, null, null, Duration.ofSeconds(-1), null, null))
                .hasMessageContaining("interrupt grace must not be negative");
        assertThatThrownBy(() -> StressSettings.builder(List.of("w"), Duration.ofMinutes(1), Path.of("s"))
                .timeout(Duration.ofHours(1)).build())
                .hasMessageContaining("limited by its duration and end grace, not a timeout");
    }
}
