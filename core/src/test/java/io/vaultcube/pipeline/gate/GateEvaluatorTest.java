package io.vaultcube.pipeline.gate;

import static io.vaultcube.pipeline.gate.TestEvidence.metrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.evidence.StageStatus;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateEvaluatorTest {

    static GateSpec gate(String yamlGate) {
        try {
            return PolicyParser.parse("schema: vault-policy/1\nname: t\ngates:\n" + yamlGate, "p.yaml", "x")
                    .gates().get(0);
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static List<GateResult> eval(String yamlGate, MetricSet evidence) {
        return new GateEvaluator(evidence, null, null, List.of()).evaluate(gate(yamlGate));
    }

    static List<GateResult> eval(String yamlGate, MetricSet evidence, MetricSet baseline) {
        return new GateEvaluator(evidence, baseline, "base", List.of()).evaluate(gate(yamlGate));
    }

    static GateResult one(String yamlGate, MetricSet evidence) {
        List<GateResult> rows = eval(yamlGate, evidence);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            min: 32000           | 32607     | PASSED | 32607 MiB >= min 32000 MiB
            min: 32000           | 32000     | PASSED | 32000 MiB >= min 32000 MiB
            min: 32000           | 31000     | FAILED | observed 31000 MiB < min 32000 MiB
            max: 33000           | 33000     | PASSED | 33000 MiB <= max 33000 MiB
            max: 33000           | 33000.5   | FAILED | observed 33000.5 MiB > max 33000 MiB
            above: 10            | 10.01     | PASSED | 10.01 MiB > 10 MiB
            above: 10            | 10        | FAILED | observed 10 MiB is not above 10 MiB
            below: 60            | 59.9      | PASSED | 59.9 MiB < 60 MiB
            below: 60            | 60        | FAILED | observed 60 MiB is not below 60 MiB
            eq: 4                | 4         | PASSED | 4 MiB = 4 MiB
            eq: 4                | 3         | FAILED | observed 3 MiB, expected 4 MiB
            not_eq: 4            | 3         | PASSED | 3 MiB ≠ 4 MiB
            not_eq: 4            | 4.0       | FAILED | observed 4 MiB, which is excluded
            in: [4, 5]           | 5         | PASSED | 5 MiB is in [4, 5]
            in: [4, 5]           | 3         | FAILED | observed 3 MiB is not one of [4, 5]
            """)
    void numericConditions(String condition, double observed, GateStatus status, String message) {
        MetricSet evidence = new MetricSet().add(Metric.number("gpu[0].memory_total_mib", observed, "MiB",
                EvidenceSource.line("gpu/q.csv", 2)));
        GateResult r = one("  - metric: gpu[0].memory_total_mib\n    " + condition + "\n", evidence);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.condition()).isEqualTo(condition.replace(":", ""));
        assertThat(r.observed()).isEqualTo(MetricValue.of(observed));
        assertThat(r.unit()).isEqualTo("MiB");
        assertThat(r.source()).hasToString("gpu/q.csv:2");
        assertThat(r.entity()).isNull();
        assertThat(r.metric()).isEqualTo("gpu[0].memory_total_mib");
    }

    @ParameterizedTest(name = "{0} with {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            matches: "NVIDIA GeForce RTX 5090"      | NVIDIA GeForce RTX 5090   | PASSED | matches
            matches: "NVIDIA GeForce RTX 5090"      | NVIDIA GeForce RTX 5090 D | FAILED | observed "NVIDIA GeForce RTX 5090 D" does not match "NVIDIA GeForce RTX 5090"
            matches: "NVIDIA GeForce RTX 5090"      | NVIDIA GeForce RTX 4090   | FAILED | does not match
            matches: "NVIDIA GeForce RTX 50[0-9]0"  | NVIDIA GeForce RTX 5080   | PASSED | matches
            eq: "NVIDIA GeForce RTX 5090"           | NVIDIA GeForce RTX 5090   | PASSED | =
            eq: "NVIDIA GeForce RTX 5090"           | nvidia geforce rtx 5090   | FAILED | expected "NVIDIA GeForce RTX 5090"
            not_eq: "570.86.15"                     | 570.86.16                 | PASSED | "570.86.16" ≠ "570.86.15"
            not_eq: "570.86.15"                     | 570.86.15                 | FAILED | observed "570.86.15", which is excluded
            in: ["a", "b"]                          | b                         | PASSED | is in ["a", "b"]
            in: ["a", "b"]                          | c                         | FAILED | observed "c" is not one of ["a", "b"]
            """)
    void textConditions(String condition, String observed, GateStatus status, String message) {
        GateResult r = one("  - metric: gpu[0].name\n    " + condition + "\n", metrics("gpu[0].name", observed));
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.message()).contains(message);
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES) // a guard: without the bound this never ends
    void aCatastrophicallyBacktrackingPatternFailsTheGateInsteadOfHangingIt() {
        // java.util.regex memoises simple nested loops such as (a+)+$, but (.*a){20} against 40 a's
        // and a '!' still backtracks through about C(40,20) splits (measured: 5.6 s for 28 a's).
        String hostile = "a".repeat(40) + "!";
        GateResult r = one("  - metric: gpu[0].name\n    matches: \"(.*a){20}\"\n", metrics("gpu[0].name", hostile));
        assertThat(r.status()).isEqualTo(GateStatus.FAILED);
        assertThat(r.message()).startsWith("could not decide whether \"" + hostile + "\" matches \"(.*a){20}\"")
                .contains("backtracks too much");
        // A sane pattern on a long value is decided as before.
        String longName = "NVIDIA GeForce RTX 5090 ".repeat(2000);
        assertThat(one("  - metric: gpu[0].name\n    matches: \"(NVIDIA GeForce RTX 5090 )+\"\n",
                metrics("gpu[0].name", longName)).status()).isEqualTo(GateStatus.PASSED);
    }

    @Test
    void aPatternMatchStopsWhenItsThreadIsInterrupted() {
        // Within the step bound a match over a long value takes seconds; Ctrl-C must not wait for it.
        java.util.regex.Matcher hostile = java.util.regex.Pattern.compile("(.*a){20}")
                .matcher(new BoundedText("a".repeat(20_000) + "!"));
        Thread.currentThread().interrupt();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(hostile::matches)
                    .isInstanceOf(GateEvaluator.Interrupted.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void booleanConditions() {
        assertThat(one("  - metric: ansible.idempotent\n    is: true\n", metrics("ansible.idempotent", true))
                .status()).isEqualTo(GateStatus.PASSED);
        GateResult no = one("  - metric: ansible.idempotent\n    is: true\n", metrics("ansible.idempotent", false));
        assertThat(no.status()).isEqualTo(GateStatus.FAILED);
        assertThat(no.message()).isEqualTo("observed false, expected true");
        assertThat(one("  - metric: stress.aborted\n    is: false\n", metrics("stress.aborted", false)).status())
                .isEqualTo(GateStatus.PASSED);
        assertThat(one("  - metric: stress.aborted\n    is: false\n", metrics("stress.aborted", true)).status())
                .isEqualTo(GateStatus.FAILED);
    }

    @Test
    void allConditionsMustHoldAndEveryFailureIsNamed() {
        GateResult r = one("  - metric: x.y\n    min: 10\n    max: 20\n    above: 12\n", metrics("x.y", 11));
        assertThat(r.status()).isEqualTo(GateStatus.FAILED);
        assertThat(r.message()).isEqualTo("observed 11 is not above 12");
        assertThat(r.condition()).isEqualTo("min 10, max 20, above 12");
        assertThat(one("  - metric: x.y\n    min: 10\n    max: 20\n", metrics("x.y", 15)).message())
                .isEqualTo("15 >= min 10; 15 <= max 20");
    }

    @Test
    void typeMismatchesFailNeverPass() {
        // Text where a number is needed, a number where text is needed, a boolean for eq: all fail,
        // optional or not: the evidence is there and wrong.
        GateResult text = one("  - metric: gpu.count\n    min: 4\n    optional: true\n", metrics("gpu.count", "4"));
        assertThat(text.status()).isEqualTo(GateStatus.FAILED);
        assertThat(text.message()).isEqualTo("observed \"4\" is text; min 4 needs a number");
        assertThat(one("  - metric: gpu[0].name\n    matches: \"5090\"\n", metrics("gpu[0].name", 5090)).message())
                .isEqualTo("observed 5090 is a number; matches \"5090\" needs text");
        assertThat(one("  - metric: gpu.count\n    eq: 4\n", metrics("gpu.count", true)).status())
                .isEqualTo(GateStatus.FAILED);
        assertThat(one("  - metric: gpu.count\n    eq: \"4\"\n", metrics("gpu.count", 4)).status())
                .isEqualTo(GateStatus.FAILED);
        assertThat(one("  - metric: ansible.idempotent\n    is: true\n", metrics("ansible.idempotent", "true"))
                .status()).isEqualTo(GateStatus.FAILED);
        assertThat(one("  - metric: ansible.idempotent\n    is: false\n", metrics("ansible.idempotent", 0))
                .status()).isEqualTo(GateStatus.FAILED);
    }

    @Test
    void aUnitTheMetricDoesNotCarryFails() {
        MetricSet gib = new MetricSet().add(Metric.number("gpu[0].memory_total_mib", 31.8, "GiB", null));
        GateResult r = one("  - metric: gpu[0].memory_total_mib\n    min: 30\n    unit: MiB\n", gib);
        assertThat(r.status()).isEqualTo(GateStatus.FAILED);
        assertThat(r.message()).isEqualTo("observed 31.8 GiB is in GiB; the policy expects MiB");
        assertThat(one("  - metric: gpu[0].memory_total_mib\n    min: 30\n    unit: MiB\n",
                metrics("gpu[0].memory_total_mib", 32607)).message()).contains("has no unit");
    }

    @Test
    void missingEvidenceFailsUnlessOptional() {
        GateResult r = one("  - metric: ddp.scaling_efficiency\n    min: 0.8\n", metrics("gpu.count", 4));
        assertThat(r.status()).isEqualTo(GateStatus.FAILED);
        assertThat(r.message()).isEqualTo("no evidence for ddp.scaling_efficiency");
        assertThat(r.observed()).isNull();
        assertThat(r.source()).isNull();
        GateResult unstable = one("  - metric: ddp.scaling_efficiency\n    min: 0.8\n    severity: unstable\n",
                metrics());
        assertThat(unstable.status()).isEqualTo(GateStatus.UNSTABLE);
        GateResult optional = one("  - metric: dcgm.passed\n    is: true\n    optional: true\n", metrics());
        assertThat(optional.status()).isEqualTo(GateStatus.SKIPPED);
        assertThat(optional.message()).isEqualTo("no evidence for dcgm.passed (optional gate: skipped)");
    }

    @Test
    void missingEvidenceSaysWhichStageShouldHaveIt() {
        GateSpec g = gate("  - metric: ddp.scaling_efficiency\n    min: 0.8\n");
        List<StageInfo> noStage = List.of(new StageInfo("gpu", StageStatus.SUCCEEDED, null, true, List.of()));
        assertThat(new GateEvaluator(metrics(), null, null, noStage).evaluate(g).get(0).message())
                .isEqualTo("no evidence for ddp.scaling_efficiency (the evidence has no stage bench-ddp)");
        List<StageInfo> aborted = List.of(new StageInfo("bench-ddp", StageStatus.ABORTED, null, false, List.of()));
        assertThat(new GateEvaluator(metrics(), null, null, aborted).evaluate(g).get(0).message())
                .isEqualTo("no evidence for ddp.scaling_efficiency (stage bench-ddp has no metrics.json; its status"
                        + " is ABORTED)");
    }

    @Test
    void missingWorkloadVerdictsSayTheStressStageShouldHaveThem() {
        // The subjects the report draws as benchmarks and the stages the gate names are one list:
        // gpu_burn and stress_gpus once were benchmarks for the report but unknown to the gate.
        List<StageInfo> noStress = List.of(new StageInfo("gpu", StageStatus.SUCCEEDED, null, true, List.of()));
        for (String metric : List.of("gpu_burn.ok", "stress_gpus.ok")) {
            GateSpec g = gate("  - metric: " + metric + "\n    is: true\n");
            assertThat(new GateEvaluator(metrics(), null, null, noStress).evaluate(g).get(0).message())
                    .isEqualTo("no evidence for " + metric + " (the evidence has no stage stress)");
        }
    }

    @Test
    void everySubjectTheReportDrawsAsABenchmarkHasAnEntryWithItsStage() {
        assertThat(io.vaultcube.pipeline.parse.ParserRegistry.SUBJECTS)
                .extracting(io.vaultcube.pipeline.parse.Subject::name).doesNotHaveDuplicates()
                .contains("ddp", "vllm", "tensorflow", "nccl", "gpu_burn", "dcgm", "stress_gpus");
    }

    // --- ratios ---------------------------------------------------------------------------------

    static final String NOT_SLOWER = "  - metric: vllm.output_tokens_per_s\n    min_ratio: 0.9\n";
    static final String NOT_LONGER = "  - metric: packer.duration_s\n    max_ratio: 1.1\n";

    @Test
    void minRatioPassesAFasterRunAndFailsAMuchSlowerOne() {
        MetricSet base = metrics("vllm.output_tokens_per_s", 1000);
        GateResult faster = eval(NOT_SLOWER, metrics("vllm.output_tokens_per_s", 5000), base).get(0);
        assertThat(faster.status()).isEqualTo(GateStatus.PASSED);
        assertThat(faster.baseline()).isEqualTo(1000.0);
        assertThat(eval(NOT_SLOWER, metrics("vllm.output_tokens_per_s", 900), base).get(0).status())
                .isEqualTo(GateStatus.PASSED);
        GateResult slower = eval(NOT_SLOWER, metrics("vllm.output_tokens_per_s", 899), base).get(0);
        assertThat(slower.status()).isEqualTo(GateStatus.FAILED);
        assertThat(slower.message()).isEqualTo("observed 899 < 0.9 x baseline 1000 = 900 (observed is 89.9 % of"
                + " baseline)");
        assertThat(slower.baseline()).isEqualTo(1000.0);
    }

    @Test
    void maxRatioPassesAShorterRunAndFailsAMuchLongerOne() {
        MetricSet base = metrics("packer.duration_s", 1000);
        assertThat(eval(NOT_LONGER, metrics("packer.duration_s", 10), base).get(0).status())
                .isEqualTo(GateStatus.PASSED);
        assertThat(eval(NOT_LONGER, metrics("packer.duration_s", 1100), base).get(0).status())
                .isEqualTo(GateStatus.PASSED);
        GateResult longer = eval(NOT_LONGER, metrics("packer.duration_s", 1101), base).get(0);
        assertThat(longer.status()).isEqualTo(GateStatus.FAILED);
        assertThat(longer.message()).startsWith("observed 1101 > 1.1 x baseline 1000 = 1100");
    }

    @Property(tries = 300)
    void aFasterRunNeverFailsANotSlowerGate(@ForAll @DoubleRange(min = 0.01, max = 1e7) double baseline,
            @ForAll @DoubleRange(min = 0.01, max = 1e7) double observed,
            @ForAll @DoubleRange(min = 1.0, max = 100) double speedup) {
        MetricSet base = metrics("vllm.output_tokens_per_s", baseline);
        GateStatus before = eval(NOT_SLOWER, metrics("vllm.output_tokens_per_s", observed), base).get(0).status();
        GateStatus after = eval(NOT_SLOWER, metrics("vllm.output_tokens_per_s", observed * speedup), base).get(0)
                .status();
        if (before == GateStatus.PASSED) {
            assertThat(after).isEqualTo(GateStatus.PASSED);
        }
        // And the direction: anything at or above 0.9 x baseline passes, anything below fails.
        assertThat(before == GateStatus.PASSED).isEqualTo(observed >= 0.9 * baseline);
    }

    @Property(tries = 300)
    void aShorterRunNeverFailsANotLongerGate(@ForAll @DoubleRange(min = 0.01, max = 1e7) double baseline,
            @ForAll @DoubleRange(min = 0.01, max = 1e7) double observed,
            @ForAll @DoubleRange(min = 1.0, max = 100) double speedup) {
        MetricSet base = metrics("packer.duration_s", baseline);
        GateStatus before = eval(NOT_LONGER, metrics("packer.duration_s", observed), base).get(0).status();
        GateStatus after = eval(NOT_LONGER, metrics("packer.duration_s", observed / speedup), base).get(0).status();
        if (before == GateStatus.PASSED) {
            assertThat(after).isEqualTo(GateStatus.PASSED);
        }
        assertThat(before == GateStatus.PASSED).isEqualTo(observed <= 1.1 * baseline);
    }

    @Test
    void aRatioWithoutAUsableBaselineFailsClosed() {
        MetricSet now = metrics("vllm.output_tokens_per_s", 3500);
        GateResult noDir = eval(NOT_SLOWER, now, null).get(0);
        assertThat(noDir.status()).isEqualTo(GateStatus.FAILED);
        assertThat(noDir.message()).contains("no baseline evidence given");
        assertThat(noDir.observed()).isEqualTo(MetricValue.of(3500));

        GateResult noValue = eval(NOT_SLOWER, now, metrics("gpu.count", 4)).get(0);
        assertThat(noValue.status()).isEqualTo(GateStatus.FAILED);
        assertThat(noValue.message()).isEqualTo("no baseline value for vllm.output_tokens_per_s in base");

        assertThat(eval(NOT_SLOWER, now, metrics("vllm.output_tokens_per_s", "fast")).get(0).message())
                .isEqualTo("the baseline value of vllm.output_tokens_per_s is \"fast\", not a number");
        assertThat(eval(NOT_SLOWER, now, metrics("vllm.output_tokens_per_s", 0)).get(0).message())
                .isEqualTo("the baseline value of vllm.output_tokens_per_s is 0; a ratio needs a positive baseline");
        assertThat(eval(NOT_SLOWER, now, metrics("vllm.output_tokens_per_s", 0)).get(0).status())
                .isEqualTo(GateStatus.FAILED);

        MetricSet otherUnit = new MetricSet().add(Metric.number("vllm.output_tokens_per_s", 3.6, "ktokens/s", null));
        MetricSet nowUnit = new MetricSet().add(Metric.number("vllm.output_tokens_per_s", 3500, "tokens/s", null));
        assertThat(eval(NOT_SLOWER, nowUnit, otherUnit).get(0).status()).isEqualTo(GateStatus.FAILED);
    }

    @Test
    void anOptionalRatioWithoutBaselineIsSkippedNotPassed() {
        String optional = NOT_SLOWER + "    optional: true\n    severity: unstable\n";
        GateResult r = eval(optional, metrics("vllm.output_tokens_per_s", 3500), null).get(0);
        assertThat(r.status()).isEqualTo(GateStatus.SKIPPED);
        assertThat(r.message()).endsWith("(optional gate: skipped)");
        GateResult slow = eval(optional, metrics("vllm.output_tokens_per_s", 100),
                metrics("vllm.output_tokens_per_s", 3500)).get(0);
        assertThat(slow.status()).isEqualTo(GateStatus.UNSTABLE);
    }

    // --- per-entity gates -----------------------------------------------------------------------

    static final String MEMORY = "  - id: gpu-memory\n    metric: gpu[*].memory_total_mib\n    min: 32000\n"
            + "    max: 33000\n";

    @Test
    void aPerEntityGateChecksEveryGpuAndNamesTheOneThatFailed() {
        MetricSet evidence = metrics("gpu[0].memory_total_mib", 32607, "gpu[1].memory_total_mib", 32607,
                "gpu[10].memory_total_mib", 32607, "gpu[2].memory_total_mib", 31000, "gpu.memory_total_mib.min", 31000);
        List<GateResult> rows = eval(MEMORY, evidence);
        assertThat(rows).extracting(GateResult::entity).containsExactly("gpu[0]", "gpu[1]", "gpu[2]", "gpu[10]");
        assertThat(rows).extracting(GateResult::metric).containsExactly("gpu[0].memory_total_mib",
                "gpu[1].memory_total_mib", "gpu[2].memory_total_mib", "gpu[10].memory_total_mib");
        GateResult bad = rows.get(2);
        assertThat(bad.status()).isEqualTo(GateStatus.FAILED);
        assertThat(bad.message()).isEqualTo("observed 31000 < min 32000");
        assertThat(bad.testName()).isEqualTo("gpu-memory (gpu[2])");
        assertThat(bad.source()).hasToString("stage/file.txt:4");
        assertThat(rows).filteredOn(r -> r != bad).allSatisfy(r -> assertThat(r.status()).isEqualTo(GateStatus.PASSED));
    }

    @Test
    void aPerEntityGateThatMatchesNothingIsNoEvidence() {
        GateResult none = one(MEMORY, metrics("gpu.count", 4, "gpu.memory_total_mib.min", 32607));
        assertThat(none.status()).isEqualTo(GateStatus.FAILED);
        assertThat(none.message()).isEqualTo("no evidence for gpu[*].memory_total_mib");
        assertThat(none.metric()).isEqualTo("gpu[*].memory_total_mib");
        assertThat(one(MEMORY + "    optional: true\n", metrics()).status()).isEqualTo(GateStatus.SKIPPED);
    }

    @Test
    void expectCountFailsWhenAnEntityIsMissingAndListsThoseFound() {
        MetricSet three = metrics("gpu[0].memory_total_mib", 32607, "gpu[1].memory_total_mib", 32607,
                "gpu[3].memory_total_mib", 32607);
        List<GateResult> rows = eval(MEMORY + "    expect_count: 4\n", three);
        assertThat(rows).hasSize(4);
        GateResult count = rows.get(0);
        assertThat(count.status()).isEqualTo(GateStatus.FAILED);
        assertThat(count.condition()).isEqualTo("expect_count 4");
        assertThat(count.observed()).isEqualTo(MetricValue.of(3));
        assertThat(count.message()).isEqualTo("expected 4 entities, found 3 matching gpu[*].memory_total_mib:"
                + " gpu[0], gpu[1], gpu[3]");
        assertThat(rows.subList(1, 4)).allSatisfy(r -> assertThat(r.status()).isEqualTo(GateStatus.PASSED));
    }

    @Test
    void entitiesOfPatternsWithSeveralWildcards() {
        MetricSet runs = metrics("ansible.run[2].host[web-1].changed", 0, "ansible.run[2].host[db\\[1\\]].changed", 2,
                "ansible.run[3].host[web-1].changed", 0);
        List<GateResult> rows = eval("  - metric: ansible.run[*].host[*].changed\n    eq: 0\n", runs);
        assertThat(rows).extracting(GateResult::entity).containsExactly("run[2].host[db\\[1\\]]",
                "run[2].host[web-1]", "run[3].host[web-1]");
        assertThat(rows.get(0).status()).isEqualTo(GateStatus.FAILED);
        List<GateResult> one = eval("  - metric: ansible.run[3].host[*].changed\n    eq: 0\n", runs);
        assertThat(one).extracting(GateResult::entity).containsExactly("host[web-1]");
    }

    @Test
    void perEntityRatiosCompareTheSameEntity() {
        MetricSet now = metrics("telemetry.gpu[0].gflops", 100, "telemetry.gpu[1].gflops", 50);
        MetricSet base = metrics("telemetry.gpu[0].gflops", 100, "telemetry.gpu[1].gflops", 100);
        List<GateResult> rows = eval("  - metric: telemetry.gpu[*].gflops\n    min_ratio: 0.9\n", now, base);
        assertThat(rows).extracting(GateResult::status).containsExactly(GateStatus.PASSED, GateStatus.FAILED);
        assertThat(rows.get(1).entity()).isEqualTo("gpu[1]");
    }

    // --- verdict --------------------------------------------------------------------------------

    @Test
    void theVerdictIsTheWorstRow() {
        GateResult passed = row(GateStatus.PASSED);
        GateResult skipped = row(GateStatus.SKIPPED);
        GateResult unstable = row(GateStatus.UNSTABLE);
        GateResult failed = row(GateStatus.FAILED);
        assertThat(Verdict.of(List.of(passed, skipped))).isEqualTo(Verdict.SUCCESS);
        assertThat(Verdict.of(List.of(passed, unstable, skipped))).isEqualTo(Verdict.UNSTABLE);
        assertThat(Verdict.of(List.of(unstable, failed, passed))).isEqualTo(Verdict.FAILURE);
        // Nothing checked is not a pass: no rows, or only skipped ones, or unstable ones without a pass.
        assertThat(Verdict.of(List.of())).isEqualTo(Verdict.FAILURE);
        assertThat(Verdict.of(List.of(skipped, skipped))).isEqualTo(Verdict.FAILURE);
        assertThat(Verdict.of(List.of(unstable, skipped))).isEqualTo(Verdict.FAILURE);
    }

    private static GateResult row(GateStatus status) {
        return new GateResult("g", "m", null, "eq 1", null, null, null, status, Severity.FAILURE, "x", null, null);
    }
}
