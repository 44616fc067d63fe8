package io.vaultcube.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateReportReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheVerdictPolicyAndTheSha256OfTheBytes() throws Exception {
        Path file = Tools.resource("gate-success.json");
        PromotionGate report = GateReportReader.read(file);
        assertThat(report.verdict()).isEqualTo(ReportedVerdict.SUCCESS);
        assertThat(report.sha256()).isEqualTo(Tools.sha256sum(file));
        assertThat(report.policyName()).isEqualTo("demo-box");
        assertThat(report.evaluated()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(report.gates()).isEqualTo(2);
        assertThat(GateReportReader.read(Tools.resource("gate-unstable.json")).verdict()).isEqualTo(ReportedVerdict.UNSTABLE);
        assertThat(GateReportReader.read(Tools.resource("gate-failure.json")).verdict()).isEqualTo(ReportedVerdict.FAILURE);
    }

    @Test
    void failsClosedOnAnythingItCannotVouchFor() {
        assertThatThrownBy(() -> GateReportReader.read(tmp.resolve("missing.json")))
                .isInstanceOf(GateReportException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("gate-other-schema.json")))
                .hasMessageContaining("expected schema \"vault-gate-report/1\", found \"vault-gate-report/2\"");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("gate-duplicate-verdict.json")))
                .hasMessageContaining("not valid JSON").hasMessageContaining("verdict");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("gate-truncated.json")))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("gate-no-gates.json")))
                .hasMessageContaining("lists no gates");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("gate-unknown-verdict.json")))
                .hasMessageContaining("unknown verdict \"PASSED\"");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("gate-lying-success.json")))
                .isInstanceOf(GateReportException.class)
                .hasMessageContaining("says SUCCESS but its gates imply FAILURE");
        assertThatThrownBy(() -> GateReportReader.read(Tools.resource("packer-manifest-two-runs.json")))
                .hasMessageContaining("found none");
    }
}
