package io.vaultcube.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.nvidia.TelemetryParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * policies/demo-box.yaml over telemetry metrics that the parser made from a SYNTHETIC sampler log
 * (24 h × 4 GPUs at 60 s, written here): a healthy log passes every telemetry gate, and a log in
 * which one GPU reports {@code [N/A]} temperature and utilization for the whole soak does not
 * (issue 19: the fleet aggregates were computed over the three GPUs that reported).
 */
class DemoBoxTelemetryTest {
    private static final String HEADER = "timestamp, index, uuid, pstate, temperature.gpu, power.draw [W], power.limit [W], "
            + "utilization.gpu [%], utilization.memory [%], memory.used [MiB], clocks.sm [MHz], clocks.mem [MHz], "
            + "pcie.link.gen.current, pcie.link.width.current, fan.speed [%], clocks_event_reasons.active\n";

    @TempDir
    Path tmp;

    /** A healthy day: every GPU at 100 %, 70-73 C, Gen5 x16, 560 of 575 W, SW power cap only. */
    static String day(boolean noTemperatureFromGpu2, boolean noUtilizationFromGpu2) {
        StringBuilder sb = new StringBuilder(HEADER);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSS", Locale.ROOT);
        LocalDateTime start = LocalDateTime.of(2026, 11, 28, 10, 0, 0);
        for (int k = 0; k <= 24 * 60; k++) {
            for (int i = 0; i < 4; i++) {
                sb.append(String.format(Locale.ROOT,
                        "%s, %d, GPU-5090%04d-0000-1111-2222-00000000000%d, P1, %s, 560.00, 575.00, %s, 40, 30000, 2700,"
                                + " 14001, 5, 16, 60, 0x0000000000000004%n",
                        f.format(start.plusSeconds(60L * k).plusNanos(i * 1_000_000L)), i, i, i,
                        noTemperatureFromGpu2 && i == 2 ? "[N/A]" : String.valueOf(70 + (k + i) % 4),
                        noUtilizationFromGpu2 && i == 2 ? "[N/A]" : "100"));
            }
        }
        return sb.toString();
    }

    private GateRun gateOver(String log) throws Exception {
        Path ev = TestEvidence.copy(TestEvidence.DEMO_BOX_PASS, tmp.resolve("ev"));
        Path csv = ev.resolve("stress/telemetry.csv");
        Files.writeString(csv, log);
        MetricSet parsed = new TelemetryParser().parse(new ParseInput(csv, "stress/telemetry.csv", java.util.Map.of()));
        StageEvidence stress = EvidenceDir.open(ev).stage("stress");
        MetricSet out = new MetricSet();
        for (Metric m : stress.readMetrics()) {
            if (!m.name().toString().startsWith("telemetry.")) {
                out.add(m);
            }
        }
        out.addAll(parsed);
        stress.writeMetrics(out);
        return DemoBoxPolicyTest.gate(ev, TestEvidence.DEMO_BOX_BASELINE);
    }

    @Test
    void aHealthyDayOfParsedTelemetryPasses() throws Exception {
        GateRun run = gateOver(day(false, false));
        assertThat(run.report().gates()).filteredOn(GateResult::failed).isEmpty();
        assertThat(run.verdict()).isEqualTo(Verdict.SUCCESS);
    }

    @Test
    void oneGpuWithoutTemperatureForTheWholeSoakDoesNotPassAndIsNamed() throws Exception {
        // Before the fix the fleet maximum over GPUs 0, 1 and 3 passed the headroom gate: SUCCESS.
        GateRun run = gateOver(day(true, false));
        assertThat(run.verdict()).isNotEqualTo(Verdict.SUCCESS);
        assertThat(run.report().gates()).filteredOn(GateResult::failed).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("stress-temperature-headroom");
            assertThat(r.message()).startsWith("no evidence for telemetry.temperature_c.max (telemetry.incomplete: ")
                    .contains("no temperature.gpu from GPU 2 (GPU-50900002-0000-1111-2222-000000000002)");
        });
        // the gate that counts GPUs still sees 4: only the aggregates can catch this
        assertThat(run.report().gates()).filteredOn(r -> r.id().equals("stress-gpus-sampled")).singleElement()
                .extracting(GateResult::status).isEqualTo(GateStatus.PASSED);
    }

    @Test
    void oneGpuWithoutUtilizationForTheWholeSoakFailsAndIsNamed() throws Exception {
        GateRun run = gateOver(day(false, true));
        assertThat(run.verdict()).isEqualTo(Verdict.FAILURE);
        List<GateResult> failed = run.report().gates().stream().filter(GateResult::failed).toList();
        assertThat(failed).extracting(GateResult::id).contains("stress-utilization", "stress-pcie-gen-loaded");
        assertThat(failed).filteredOn(r -> r.id().equals("stress-utilization")).singleElement()
                .extracting(GateResult::message).asString()
                .startsWith("no evidence for telemetry.utilization_pct.median (telemetry.incomplete: ")
                .contains("no utilization.gpu from GPU 2 (GPU-50900002-0000-1111-2222-000000000002)");
    }
}
