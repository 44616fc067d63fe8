package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.gate.PolicyParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers of the GPU, benchmark and stress runner tests: stand-ins, repository files, gates. */
public final class GpuRunTestSupport {
    private GpuRunTestSupport() {
    }

    /** The repository's root (scripts/, policies/, tests/ are there). */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("scripts/validate-gpus.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("scripts/validate-gpus.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** tests/bats/fixtures: the recorded-output stand-ins and their scenarios (see its SOURCE.md). */
    public static Path batsFixtures() {
        return repositoryRoot().resolve("tests/bats/fixtures");
    }

    /** The synthetic telemetry sampler of the runner tests (run/stress/fake-sampler.sh). */
    public static Path fakeSampler() {
        return RunTestSupport.resource("stress/fake-sampler.sh");
    }

    /** The synthetic journalctl of the runner tests (run/stress/fake-journalctl.sh). */
    public static Path fakeJournalctl() {
        return RunTestSupport.resource("stress/fake-journalctl.sh");
    }

    /** The synthetic stress workload of the runner tests (run/stress/fake-workload.sh). */
    public static Path fakeWorkload() {
        return RunTestSupport.resource("stress/fake-workload.sh");
    }

    /** Waits (at most two minutes) until the condition holds. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Lines of a file, 0 when it is not there yet. */
    public static long lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** A metric's plain value (Long, Double, Boolean or String), or null when it is not there. */
    public static Object value(MetricSet m, String name) {
        return m.get(name).map(x -> x.value().raw()).orElse(null);
    }

    /** Evaluates a policy over an evidence directory; rows by gate id (first row of each). */
    public static Map<String, GateResult> gate(Path policy, Path evidence) throws IOException {
        GateRun run = GateRun.evaluate(PolicyParser.load(policy), evidence, null, Clock.systemUTC());
        Map<String, GateResult> rows = new LinkedHashMap<>();
        for (GateResult r : run.report().gates()) {
            rows.putIfAbsent(r.id(), r);
        }
        return rows;
    }

    public static void assertRow(Map<String, GateResult> rows, String id, GateStatus status, String messagePart) {
        assertThat(rows).containsKey(id);
        GateResult r = rows.get(id);
        assertThat(r.status()).as(id + ": " + r.message()).isEqualTo(status);
        if (messagePart != null) {
            assertThat(r.message()).as(id).contains(messagePart);
        }
    }
}
