package io.vaultcube.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * policies/demo-box.yaml over SYNTHETIC evidence (src/test/resources/gate/README.md): it passes on
 * a healthy box and fails, naming the row, on each defect the issue lists. The same test over
 * evidence built from real captured outputs needs the parsers (a later merge).
 */
class DemoBoxPolicyTest {
    static final Path POLICY = repositoryRoot().resolve("policies/demo-box.yaml");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    /** Every metric name docs/metrics.md promises (and the per-GPU patterns); the policy may use no other. */
    static final Set<String> DOCUMENTED_NAMES = Set.of(
            "packer.builds", "packer.builds_failed", "packer.artifacts", "packer.errors", "packer.duration_s",
            "ansible.runs", "ansible.hosts", "ansible.ok", "ansible.changed", "ansible.failed", "ansible.unreachable",
            "ansible.skipped", "ansible.idempotent", "ansible.duration_s",
            "gpu.count", "gpu[*].name", "gpu[*].uuid", "gpu[*].memory_total_mib", "gpu.memory_total_mib.min",
            "gpu.memory_total_mib.max", "gpu.temperature_c.max", "gpu.pcie_gen_max.min", "gpu.pcie_gen_current.min",
            "gpu.pcie_width_current.min", "gpu.throttled.count", "xid.count", "xid.fatal.count", "xid.codes",
            "gpu.fell_off_bus.count", "gpu.pci_devices",
            "ddp.world_size", "ddp.throughput_samples_per_s", "ddp.single_gpu_throughput_samples_per_s",
            "ddp.scaling_efficiency", "ddp.telemetry.utilization_pct.median",
            "vllm.output_tokens_per_s", "vllm.total_tokens_per_s", "vllm.requests_per_s", "vllm.failed_requests",
            "tensorflow.gpus", "tensorflow.ok",
            "telemetry.gpus", "telemetry.duration_s", "telemetry.coverage", "telemetry.max_gap_s",
            "telemetry.temperature_c.max", "telemetry.temperature_c.p99", "telemetry.utilization_pct.median",
            "telemetry.power_ratio.median", "telemetry.throttle_events", "telemetry.pcie_gen_loaded.min",
            "telemetry.pcie_width_loaded.min", "stress.xid.count", "stress.xid.fatal.count",
            "stress.gpu.fell_off_bus.count", "stress.complete", "stress.planned_duration_s", "stress.workload_ok",
            "stress.faulty_gpus");

    @TempDir
    Path tmp;

    static Path repositoryRoot() {
        Path dir = TestEvidence.DEMO_BOX_PASS;
        while (dir != null && !Files.isRegularFile(dir.resolve("policies/demo-box.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("policies/demo-box.yaml not found above " + TestEvidence.DEMO_BOX_PASS);
        }
        return dir;
    }

    static GateRun gate(Path evidence, Path baseline) throws IOException {
        return GateRun.evaluate(PolicyParser.load(POLICY), evidence, baseline, CLOCK);
    }

    @Test
    void isAValidPolicy() throws Exception {
        Policy p = PolicyParser.load(POLICY);
        assertThat(p.name()).isEqualTo("demo-box");
        assertThat(p.gates()).hasSizeGreaterThan(30);
    }

    @Test
    void usesOnlyTheMetricNamesDocsMetricsPromises() throws Exception {
        for (GateSpec g : PolicyParser.load(POLICY).gates()) {
            assertThat(DOCUMENTED_NAMES).as(g.id()).contains(g.metric().toString());
        }
    }

    @Test
    void encodesTheIssuesCriteria() throws Exception {
        Map<String, String> conditions = new LinkedHashMap<>();
        for (GateSpec g : PolicyParser.load(POLICY).gates()) {
            conditions.put(g.metric() + (g.usesBaseline() ? " (baseline)" : ""), g.describeConditions()
                    + (g.severity() == Severity.UNSTABLE ? " [unstable]" : "") + (g.optional() ? " [optional]" : ""));
        }
        assertThat(conditions).containsAllEntriesOf(Map.ofEntries(
                Map.entry("gpu.count", "eq 4"),
                Map.entry("gpu[*].name", "matches \"NVIDIA GeForce RTX 5090\""),
                Map.entry("gpu[*].memory_total_mib", "min 32000, max 33000"),
                Map.entry("gpu.temperature_c.max", "below 60"),
                Map.entry("telemetry.pcie_gen_loaded.min", "eq 5"),
                Map.entry("telemetry.pcie_width_loaded.min", "eq 16"),
                Map.entry("telemetry.throttle_events", "eq 0"),
                Map.entry("xid.count", "eq 0"), Map.entry("stress.xid.count", "eq 0"),
                Map.entry("gpu.fell_off_bus.count", "eq 0"), Map.entry("stress.gpu.fell_off_bus.count", "eq 0"),
                Map.entry("ddp.scaling_efficiency", "min 0.8"),
                Map.entry("ddp.telemetry.utilization_pct.median", "min 90"),
                Map.entry("vllm.output_tokens_per_s", "above 10"), Map.entry("vllm.failed_requests", "eq 0"),
                Map.entry("vllm.output_tokens_per_s (baseline)", "min_ratio 0.9 [unstable] [optional]"),
                Map.entry("telemetry.duration_s", "min 86400"), Map.entry("telemetry.coverage", "min 0.99"),
                Map.entry("stress.complete", "is true"),
                Map.entry("packer.duration_s", "below 1800"), Map.entry("packer.builds_failed", "eq 0"),
                Map.entry("packer.artifacts", "min 1"),
                Map.entry("ansible.idempotent", "is true"), Map.entry("ansible.failed", "eq 0"),
                Map.entry("ansible.unreachable", "eq 0"), Map.entry("ansible.runs", "min 3"),
                Map.entry("stress.faulty_gpus", "eq 0")));
        // Only the baseline comparisons and best-effort TensorFlow may be optional (and only
        // unstable): every other piece of evidence is required.
        for (GateSpec g : PolicyParser.load(POLICY).gates()) {
            boolean bestEffort = g.metric().toString().startsWith("tensorflow.");
            assertThat(g.optional()).as(g.id()).isEqualTo(g.usesBaseline() || bestEffort);
            if (bestEffort) {
                assertThat(g.severity()).as(g.id()).isEqualTo(Severity.UNSTABLE);
            }
        }
    }

    @Test
    void passesOnAHealthyBox() throws Exception {
        GateRun run = gate(TestEvidence.DEMO_BOX_PASS, TestEvidence.DEMO_BOX_BASELINE);
        assertThat(run.report().gates()).filteredOn(GateResult::failed).isEmpty();
        assertThat(run.verdict()).isEqualTo(Verdict.SUCCESS);
        assertThat(run.report().counts().get(GateStatus.SKIPPED)).isZero();
        assertThat(run.report().gates()).filteredOn(r -> r.baseline() != null).hasSize(3);
    }

    @Test
    void withoutABaselineTheComparisonsAreSkippedAndTheRestStillDecides() throws Exception {
        GateRun run = gate(TestEvidence.DEMO_BOX_PASS, null);
        assertThat(run.verdict()).isEqualTo(Verdict.SUCCESS);
        assertThat(run.report().gates()).filteredOn(r -> r.status() == GateStatus.SKIPPED)
                .extracting(GateResult::id).containsExactly("ddp-single-gpu-vs-baseline",
                        "ddp-throughput-vs-baseline", "vllm-throughput-vs-baseline");
    }

    @ParameterizedTest(name = "{1} = {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            gpu              | gpu[2].memory_total_mib        | 31000                     | FAILURE  | gpu-memory (gpu[2])            | observed 31000 MiB < min 32000 MiB
            gpu              | gpu[1].name                    | NVIDIA GeForce RTX 5090 D | FAILURE  | gpu-model (gpu[1])             | does not match "NVIDIA GeForce RTX 5090"
            gpu              | gpu.count                      | 3                         | FAILURE  | gpu-count                      | observed 3, expected 4
            gpu              | gpu.pci_devices                | 5                         | FAILURE  | gpu-pci-devices                | observed 5, expected 4
            gpu              | gpu.temperature_c.max          | 60                        | FAILURE  | gpu-idle-temperature           | observed 60 C is not below 60 C
            gpu              | gpu.pcie_gen_current.min       | 1                         | SUCCESS  |                                |
            gpu              | xid.count                      | 2                         | FAILURE  | xid-since-boot                 | observed 2, expected 0
            gpu              | gpu.fell_off_bus.count         | 1                         | FAILURE  | fell-off-bus-since-boot        | observed 1, expected 0
            stress           | telemetry.pcie_gen_loaded.min  | 4                         | FAILURE  | stress-pcie-gen-loaded         | observed 4, expected 5
            stress           | telemetry.pcie_width_loaded.min| 8                         | FAILURE  | stress-pcie-width-loaded       | observed 8, expected 16
            stress           | telemetry.throttle_events      | 2                         | FAILURE  | stress-throttle                | observed 2, expected 0
            stress           | telemetry.duration_s           | 86399                     | FAILURE  | stress-duration                | observed 86399 s < min 86400 s
            stress           | telemetry.coverage             | 0.985                     | FAILURE  | stress-coverage                | observed 0.985 < min 0.99
            stress           | stress.complete                | false                     | FAILURE  | stress-complete                | observed false, expected true
            stress           | stress.xid.count               | 1                         | FAILURE  | stress-xid                     | observed 1, expected 0
            stress           | stress.faulty_gpus             | 1                         | FAILURE  | stress-faulty-gpus             | observed 1, expected 0
            stress           | telemetry.temperature_c.max    | 88                        | UNSTABLE | stress-temperature-headroom    | observed 88 C > max 85 C
            bench-ddp        | ddp.scaling_efficiency         | 0.79                      | FAILURE  | ddp-scaling                    | observed 0.79 < min 0.8
            bench-ddp        | ddp.single_gpu_throughput_samples_per_s | 900              | UNSTABLE | ddp-single-gpu-vs-baseline     | observed 900 samples/s < 0.9 x baseline 1131 samples/s
            bench-vllm       | vllm.output_tokens_per_s       | 3000                      | UNSTABLE | vllm-throughput-vs-baseline    | observed 3000 tokens/s < 0.9 x baseline 3604.2 tokens/s
            bench-vllm       | vllm.output_tokens_per_s       | 9000                      | SUCCESS  |                                |
            bench-vllm       | vllm.output_tokens_per_s       | 9                         | FAILURE  | vllm-throughput                | observed 9 tokens/s is not above 10 tokens/s
            bench-vllm       | vllm.failed_requests           | 3                         | FAILURE  | vllm-failed-requests           | observed 3, expected 0
            packer           | packer.duration_s              | 1800                      | FAILURE  | packer-duration                | observed 1800 s is not below 1800 s
            packer           | packer.artifacts               | 0                         | FAILURE  | packer-artifacts               | observed 0 < min 1
            ansible          | ansible.idempotent             | false                     | FAILURE  | ansible-idempotent             | observed false, expected true
            ansible          | ansible.runs                   | 2                         | FAILURE  | ansible-runs                   | observed 2 < min 3
            ansible          | ansible.unreachable            | 1                         | FAILURE  | ansible-unreachable            | observed 1, expected 0
            """)
    void failsOnEachDefectAndSaysWhere(String stage, String metric, String value, Verdict verdict, String row,
            String message) throws Exception {
        Path ev = TestEvidence.copy(TestEvidence.DEMO_BOX_PASS, tmp.resolve("ev"));
        Object v = value.equals("true") || value.equals("false") ? (Object) Boolean.valueOf(value)
                : value.matches("-?[0-9.]+") ? (Object) Double.valueOf(value) : value;
        TestEvidence.set(ev, stage, metric, v);
        GateRun run = gate(ev, TestEvidence.DEMO_BOX_BASELINE);
        assertThat(run.verdict()).isEqualTo(verdict);
        List<GateResult> failed = run.report().gates().stream().filter(GateResult::failed).toList();
        if (row == null) {
            assertThat(failed).isEmpty();
        } else {
            assertThat(failed).as("rows that did not hold").anySatisfy(r -> {
                assertThat(r.testName()).isEqualTo(row);
                assertThat(r.message()).contains(message);
                assertThat(r.source()).isNotNull();
            });
        }
    }

    @Test
    void aMissingStageFailsEveryGateOnItAndSaysSo() throws Exception {
        Path ev = TestEvidence.copy(TestEvidence.DEMO_BOX_PASS, tmp.resolve("ev"));
        try (Stream<Path> files = Files.walk(ev.resolve("bench-vllm"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        GateRun run = gate(ev, TestEvidence.DEMO_BOX_BASELINE);
        assertThat(run.verdict()).isEqualTo(Verdict.FAILURE);
        assertThat(run.report().gates()).filteredOn(r -> r.id().startsWith("vllm-")).extracting(GateResult::status)
                .containsExactly(GateStatus.FAILED, GateStatus.FAILED, GateStatus.SKIPPED);
        assertThat(run.report().gates()).filteredOn(r -> r.id().equals("vllm-throughput")).singleElement()
                .extracting(GateResult::message)
                .isEqualTo("no evidence for vllm.output_tokens_per_s (the evidence has no stage bench-vllm)");
    }

    @Test
    void aMissingGpuFailsTheCount() throws Exception {
        Path ev = TestEvidence.copy(TestEvidence.DEMO_BOX_PASS, tmp.resolve("ev"));
        TestEvidence.remove(ev, "gpu", "gpu[3].memory_total_mib");
        GateRun run = gate(ev, null);
        assertThat(run.verdict()).isEqualTo(Verdict.FAILURE);
        assertThat(run.report().gates()).filteredOn(GateResult::failed).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("gpu-memory");
            assertThat(r.message()).isEqualTo("expected 4 entities, found 3 matching gpu[*].memory_total_mib:"
                    + " gpu[0], gpu[1], gpu[2]");
        });
    }
}
