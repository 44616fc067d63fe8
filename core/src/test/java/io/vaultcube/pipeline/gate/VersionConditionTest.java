package io.vaultcube.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import org.junit.jupiter.api.Test;

class VersionConditionTest {
    static MetricSet m(String name, String value) {
        return new MetricSet().add(Metric.text(name, value, null));
    }

    @Test
    void debianOrderForTheDriver() {
        String gate = "  - metric: inventory.nvidia_driver.version\n    min_version: \"570\"\n";
        assertThat(GateEvaluatorTest.one(gate, m("inventory.nvidia_driver.version", "570.133.20-0ubuntu1")).status())
                .isEqualTo(GateStatus.PASSED);
        GateResult old = GateEvaluatorTest.one(gate, m("inventory.nvidia_driver.version", "565.77-1"));
        assertThat(old.status()).isEqualTo(GateStatus.FAILED);
        assertThat(old.message()).contains("565.77-1 < 570");
        assertThat(GateEvaluatorTest.one("  - metric: x.version\n    max_version: \"1.0\"\n", m("x.version", "1.0~rc1"))
                .status()).isEqualTo(GateStatus.PASSED);
    }

    @Test
    void pep440ForPython() {
        String gate = "  - metric: inventory.python[venv].pkg[torch].version\n    min_version: {pep440: \"2.7\"}\n";
        assertThat(GateEvaluatorTest.one(gate, m("inventory.python[venv].pkg[torch].version", "2.7.0+cu128")).status())
                .isEqualTo(GateStatus.PASSED);
        assertThat(GateEvaluatorTest.one(gate, m("inventory.python[venv].pkg[torch].version", "2.7.0rc1")).status())
                .isEqualTo(GateStatus.FAILED);
    }

    @Test
    void anUnquotedOrInvalidBoundIsAPolicyError() {
        assertThatThrownBy(() -> PolicyParser.parse("schema: vault-policy/1\nname: t\ngates:\n"
                + "  - metric: x.version\n    min_version: 12.8\n", "p.yaml", "x")).hasMessageContaining("in quotes");
        assertThatThrownBy(() -> PolicyParser.parse("schema: vault-policy/1\nname: t\ngates:\n"
                + "  - metric: x.version\n    min_version: \"a1\"\n", "p.yaml", "x")).hasMessageContaining("does not start with a digit");
    }

    /** The RTX 5090 floor's PyTorch half: built for sm_120 (docs/policy.md), on the parsed torch-build fixtures. */
    @Test
    void theTorchArchListGateOnTheParsedProbe() throws Exception {
        String gate = "  - metric: inventory.torch.arch_list\n    matches: '(.* )?sm_120a?( .*)?'\n";
        MetricSet cu128 = io.vaultcube.pipeline.parse.inventory.InventoryComponents.derive(
                new io.vaultcube.pipeline.parse.inventory.TorchBuildParser().parse(
                        io.vaultcube.pipeline.parse.Fixtures.input("torch-build/synthetic-cu128-no-gpu.json")));
        MetricSet cu126 = io.vaultcube.pipeline.parse.inventory.InventoryComponents.derive(
                new io.vaultcube.pipeline.parse.inventory.TorchBuildParser().parse(
                        io.vaultcube.pipeline.parse.Fixtures.input("torch-build/synthetic-cu126-gpu.json")));
        assertThat(GateEvaluatorTest.one(gate, cu128).status()).isEqualTo(GateStatus.PASSED);
        GateResult without = GateEvaluatorTest.one(gate, cu126);
        assertThat(without.status()).isEqualTo(GateStatus.FAILED);
        assertThat(String.valueOf(without.observed())).contains("sm_90").doesNotContain("sm_120");
        assertThat(GateEvaluatorTest.one(gate, new MetricSet()).status()).as("a CPU build or no torch: no evidence")
                .isNotEqualTo(GateStatus.PASSED);
        String torch = "  - metric: inventory.torch.version\n    min_version: {pep440: \"2.7\"}\n";
        assertThat(GateEvaluatorTest.one(torch, cu128).status()).isEqualTo(GateStatus.PASSED);
    }
}
