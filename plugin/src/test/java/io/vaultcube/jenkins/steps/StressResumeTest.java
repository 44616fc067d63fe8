package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import io.vaultcube.jenkins.testing.Await;
import io.vaultcube.jenkins.testing.Fixtures;
import io.vaultcube.jenkins.testing.Serialized;
import io.vaultcube.jenkins.testing.TestStepContext;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.run.stress.DetachedSoak;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * vaultStressTest across a controller restart, driven through the test StepContext: the execution
 * is serialized mid-soak (as Pipeline persists it), deserialized with the context of the restarted
 * controller, and {@code onResume()} follows the same detached soak (real processes: the core's
 * SYNTHETIC stand-in sampler and workload) to its end; or fails naming its directory when the soak
 * is gone. The JenkinsRule restart test of the real build (plugin/jenkins, StressRestartITest) is
 * not run here.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class StressResumeTest {
    @TempDir
    Path ws;

    private TestStepContext context() {
        return new TestStepContext(ws.toFile(), Map.of("BUILD_NUMBER", "7"));
    }

    private VaultStressTestStep soak(String duration) {
        VaultStressTestStep step = new VaultStressTestStep(duration);
        step.setCommand(List.of(Fixtures.RUN.resolve("stress/fake-workload.sh").toString()));
        step.setSampler(Fixtures.RUN.resolve("stress/fake-sampler.sh").toString());
        step.setInterval("1s");
        step.setProgressEvery("1s");
        step.setStopGrace("20s");
        return step;
    }

    private Path stageDir() {
        return ws.resolve("vault-runs/build-7/stress").toAbsolutePath();
    }

    /** Starts the step and waits until its workload runs; returns the execution as Pipeline would persist it then. */
    private byte[] startAndPersistMidSoak(TestStepContext before, VaultStressTestStep step) throws Exception {
        StepExecution execution = step.start(before);
        assertThat(execution.start()).as("asynchronous").isFalse();
        Await.until("the workload runs", () -> before.log().contains("fake workload: 1 s"));
        assertThat(execution.blocksRestart()).isFalse();
        return Serialized.bytes(execution);
    }

    private static StepExecution restored(byte[] persisted) throws Exception {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(persisted))) {
            return (StepExecution) in.readObject();
        }
    }

    @Test
    void afterARestartTheExecutionReattachesAndReportsTheWholeSoak() throws Exception {
        TestStepContext before = context();
        TestStepContext after = context();
        before.restartsAs(after);
        byte[] persisted = startAndPersistMidSoak(before, soak("6s"));
        // The persisted execution is small and names the soak's directory on the agent.
        assertThat(new String(persisted, java.nio.charset.StandardCharsets.ISO_8859_1)).contains(stageDir().toString());

        StepExecution resumed = restored(persisted);
        resumed.onResume();
        Object value = after.awaitOutcome();

        assertThat(after.log()).contains("re-attaching after a restart to the detached soak in " + stageDir(),
                "fake workload: running", "vault: stress: complete");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) value;
        assertThat(result).containsEntry("status", "SUCCEEDED").containsEntry("stage", "stress")
                .containsEntry("evidence", "vault-runs/build-7/stress");
        assertThat((Map<String, Object>) result.get("metrics")).containsEntry("stress.complete", true)
                .containsEntry("stress.planned_duration_s", 6L);
        assertThat(EvidenceDir.open(ws.resolve("vault-runs/build-7")).stage("stress").readRecord().status())
                .isEqualTo(StageStatus.SUCCEEDED);
        // The execution from before the restart (its controller "gone") followed the same soak: same end.
        assertThat(before.awaitOutcome()).isEqualTo(value);
    }

    @Test
    void aSoakGoneDuringTheRestartFailsTheStepNamingItsDirectory() throws Exception {
        TestStepContext before = context();
        TestStepContext after = context();
        before.restartsAs(after);
        byte[] persisted = startAndPersistMidSoak(before, soak("10m"));
        DetachedSoak.State state = DetachedSoak.readState(stageDir());
        // While the controller is down, the agent loses the soak (its supervisor killed; nothing written).
        ProcessHandle supervisor = ProcessHandle.of(state.pid()).orElseThrow();
        supervisor.destroyForcibly();
        supervisor.onExit().join();

        restored(persisted).onResume();
        assertThatThrownBy(after::awaitOutcome).isInstanceOf(AbortException.class)
                .hasMessageContaining("vaultStressTest (stress) FAILED")
                .hasMessageContaining("ended without a result").hasMessageContaining(stageDir().toString());
        assertThatThrownBy(before::awaitOutcome).isInstanceOf(AbortException.class);
    }

    @Test
    void aRestartBeforeTheSoakStartedFailsSayingThereIsNothingToReattachTo() throws Exception {
        TestStepContext before = context();
        TestStepContext after = context();
        before.restartsAs(after);
        StepExecution notStarted = soak("1h").start(before);
        restored(Serialized.bytes(notStarted)).onResume();
        assertThatThrownBy(after::awaitOutcome).isInstanceOf(AbortException.class)
                .hasMessageContaining("nothing to re-attach to");
        assertThat(Files.exists(ws.resolve("vault-runs"))).isFalse();
    }

    @Test
    void stoppingTheBuildStopsTheSoakAndRecordsItAborted() throws Exception {
        TestStepContext context = context();
        StepExecution execution = soak("10m").start(context);
        execution.start();
        Await.until("the workload runs", () -> context.log().contains("fake workload: 1 s"));
        InterruptedException cause = new InterruptedException("aborted by the user");
        execution.stop(cause);
        assertThatThrownBy(context::awaitOutcome).isSameAs(cause);
        assertThat(context.log()).contains("stopping the soak", "fake workload: stopped (INT)",
                "vault: stress: INCOMPLETE");
        assertThat(EvidenceDir.open(ws.resolve("vault-runs/build-7")).stage("stress").readRecord().status())
                .isEqualTo(StageStatus.ABORTED);
        assertThat(DetachedSoak.running(DetachedSoak.readState(stageDir()))).isFalse();
    }
}
