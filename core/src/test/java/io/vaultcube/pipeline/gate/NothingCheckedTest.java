package io.vaultcube.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gate that checked nothing has not passed: every gate optional, over an empty evidence directory. */
class NothingCheckedTest {
    @TempDir
    Path tmp;

    @Test
    void everyGateOptionalOverEmptyEvidenceIsAFailureNotASuccess() throws Exception {
        Path policyFile = Files.writeString(tmp.resolve("policy.yaml"), """
                schema: vault-policy/1
                name: all-optional
                gates:
                  - metric: gpu.count
                    min: 4
                    optional: true
                  - metric: dcgm.passed
                    is: true
                    optional: true
                """);
        Path evidence = EvidenceDir.create(tmp.resolve("evidence")).root();
        GateRun run = GateRun.evaluate(PolicyParser.load(policyFile), evidence, null,
                Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC));
        assertThat(run.report().gates()).extracting(GateResult::status).containsOnly(GateStatus.SKIPPED);
        assertThat(run.verdict()).isEqualTo(Verdict.FAILURE);
        assertThat(run.report().summary()).startsWith("0 failed, 0 unstable, 2 skipped, 0 passed");
    }
}
