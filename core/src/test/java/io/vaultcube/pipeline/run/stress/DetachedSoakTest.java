package io.vaultcube.pipeline.run.stress;

import static io.vaultcube.pipeline.run.GpuRunTestSupport.await;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.fakeJournalctl;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.fakeSampler;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.fakeWorkload;
import static io.vaultcube.pipeline.run.GpuRunTestSupport.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.MarkedProcesses;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.TelemetrySampler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detached soak with real processes: the supervisor JVM started on exactly the classpath of
 * {@link DetachedSoak#supervisorClasses()} (what the Jenkins plugin ships to an agent), the
 * SYNTHETIC stand-in sampler and workload of src/test/resources/run/stress. The kill-the-attacher
 * acceptance with vault processes is the CLI's DetachedStressCommandTest.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class DetachedSoakTest {
    @TempDir
    Path tmp;

    static DetachedSoak.Launch minimalLaunch() throws Exception {
        List<Path> cp = new java.util.ArrayList<>();
        for (Class<?> c : DetachedSoak.supervisorClasses()) {
            cp.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return new DetachedSoak.Launch(DetachedSoak.javaOfThisJvm(), cp);
    }

    private StressSettings settings(Duration duration) {
        return StressSettings.builder(List.of(fakeWorkload().toString()), duration, fakeSampler())
                .interval(Duration.ofMillis(500)).progressEvery(Duration.ofSeconds(1))
                .journalctl(fakeJournalctl().toString()).graces(Duration.ofSeconds(20), Duration.ofSeconds(5))
                .workingDirectory(tmp).build();
    }

    private StageEvidence stage() throws Exception {
        return EvidenceDir.create(tmp.resolve("evidence")).stage("stress");
    }

    @Test
    void aDetachedSoakRunsToItsEndAndAnAttacherReportsWhatTheSupervisorRecorded() throws Exception {
        StageEvidence stage = stage();
        DetachedSoak.State state = DetachedSoak.detach(settings(Duration.ofSeconds(4)), stage, minimalLaunch());
        assertThat(DetachedSoak.readState(stage.dir())).isEqualTo(state);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = DetachedSoak.attach(stage.dir(), console);
        String out = console.toString(StandardCharsets.UTF_8);

        assertThat(result.status()).as(out).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(out).contains("supervisor pid " + state.pid(), "fake workload: running", "vault: stress: complete",
                "vault: stress (detached): SUCCEEDED");
        assertThat(result.metrics().values()).containsEntry("stress.complete", true)
                .containsEntry("stress.planned_duration_s", 4L);
        assertThat(stage.readRecord().status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(DetachedSoak.running(state)).isFalse();
    }

    @Test
    void aSupervisorKilledMidSoakFailsTheStageNamingItsDirectoryAndItsLeftoversAreStopped() throws Exception {
        StageEvidence stage = stage();
        DetachedSoak.State state = DetachedSoak.detach(settings(Duration.ofMinutes(10)), stage, minimalLaunch());
        await("the workload runs", () -> {
            try {
                return Files.readString(state.console()).contains("fake workload: 1 s");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        List<Long> soak = MarkedProcesses.find(DetachedSoak.SOAK_ID_VARIABLE, state.soakId());
        // the supervisor, the sampler and the workload (with their own children)
        assertThat(soak).contains(state.pid()).hasSizeGreaterThanOrEqualTo(3);
        ProcessHandle.of(state.pid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(state.pid()).ifPresent(h -> h.onExit().join());

        // Two attachers at once: the first records the loss, the other reports that same record.
        java.util.concurrent.CompletableFuture<RunResult> other = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return DetachedSoak.attach(stage.dir(), null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunResult result = DetachedSoak.attach(stage.dir(), console);
        assertThat(other.get().messages()).isEqualTo(result.messages());
        assertThat(other.get().status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).singleElement().asString().contains("ended without a result",
                stage.dir().toString(), "pid " + state.pid());
        assertThat(stage.readRecord().status()).isEqualTo(StageStatus.FAILED);
        assertThat(stage.hasMetrics()).isFalse();
        // The orphaned sampler and workload were told to stop.
        for (long pid : soak) {
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
        }
        assertThat(MarkedProcesses.find(DetachedSoak.SOAK_ID_VARIABLE, state.soakId())).isEmpty();
        assertThat(lines(stage.file(TelemetrySampler.FILE))).isGreaterThan(1);
    }

    @Test
    void nothingIsDetachedWhenTheSoakCannotRun() throws Exception {
        StageEvidence stage = stage();
        StressSettings missing = StressSettings.builder(List.of(tmp.resolve("no-workload").toString()),
                Duration.ofSeconds(40), fakeSampler()).workingDirectory(tmp).build();
        assertThatThrownBy(() -> DetachedSoak.detach(missing, stage, minimalLaunch()))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no-workload");
        assertThat(stage.dir()).isEmptyDirectory();
    }

    @Test
    void attachingToAStageWithoutItsStateFailsNamingTheDirectory() throws Exception {
        StageEvidence stage = stage();
        assertThatThrownBy(() -> DetachedSoak.attach(stage.dir(), null))
                .isInstanceOf(DetachedSoak.AttachException.class)
                .hasMessageContaining(stage.dir().toString()).hasMessageContaining(DetachedSoak.STATE_FILE);
    }
}
