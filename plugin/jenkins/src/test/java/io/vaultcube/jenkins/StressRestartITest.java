package io.vaultcube.jenkins;

import hudson.model.Result;
import io.vaultcube.pipeline.run.stress.DetachedSoak;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart during vaultStressTest. Part of the real build (profile jenkins); NOT run
 * here. The soak runs detached on the node (docs/pipeline-steps.md, Restarts): after the restart
 * the step re-attaches and the build passes with the whole soak; a soak lost while the controller
 * was down fails the build naming its evidence directory, never passes. The same execution is
 * driven through a test StepContext in the default build (plugin/src/test, StressResumeTest).
 */
class StressRestartITest {
    private static final Path RUN = Path.of("../../core/src/test/resources/run").toAbsolutePath().normalize();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static String soak(String duration) {
        return "node { vaultStressTest duration: '" + duration + "', interval: '1s', progressEvery: '1s',"
                + " sampler: '" + RUN.resolve("stress/fake-sampler.sh") + "', command: ['"
                + RUN.resolve("stress/fake-workload.sh") + "'] }";
    }

    @Test
    void aRestartMidSoakReattachesAndTheBuildReportsTheWholeSoak() throws Throwable {
        sessions.then(r -> {
            WorkflowJob p = r.createProject(WorkflowJob.class, "soak");
            p.setDefinition(new CpsFlowDefinition(soak("30s"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage("fake workload: 1 s", b);
        });
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("soak", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatusSuccess(r.waitForCompletion(b));
            r.assertLogContains("re-attaching after a restart to the detached soak in", b);
            r.assertLogContains("vault: stress: complete", b);
        });
    }

    @Test
    void aSoakLostDuringTheRestartFailsTheBuildNamingItsDirectory() throws Throwable {
        sessions.then(r -> {
            WorkflowJob p = r.createProject(WorkflowJob.class, "soak");
            p.setDefinition(new CpsFlowDefinition(soak("10m"), true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage("fake workload: 1 s", b);
            Path stage = Path.of(r.jenkins.getWorkspaceFor(p).getRemote(), "vault-runs", "build-1", "stress");
            long pid = DetachedSoak.readState(stage).pid();
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().join();
            });
        });
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("soak", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
            r.assertLogContains("ended without a result", b);
            r.assertLogContains("vault-runs/build-1/stress", b);
        });
    }
}
