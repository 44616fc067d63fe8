package io.vaultcube.jenkins;

import hudson.model.Result;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A controller restart during vaultStressTest. Part of the real build; NOT run here. It asserts what
 * the step does today (docs/pipeline-steps.md, Restarts): it is not resumable, so after the restart
 * the build fails with Jenkins' "cannot be resumed" message and never passes. When the core's
 * stress --detach/--attach lands, this becomes: the soak completes across the restart with its
 * telemetry complete.
 */
class StressRestartITest {
    private static final Path RUN = Path.of("../../core/src/test/resources/run").toAbsolutePath().normalize();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aRestartMidSoakNeverPasses() throws Throwable {
        sessions.then(r -> {
            WorkflowJob p = r.createProject(WorkflowJob.class, "soak");
            p.setDefinition(new CpsFlowDefinition("node { vaultStressTest duration: '120s', interval: '1s',"
                    + " sampler: '" + RUN.resolve("stress/fake-sampler.sh") + "', command: ['"
                    + RUN.resolve("stress/fake-workload.sh") + "'] }", true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            r.waitForMessage("workload started", b);
        });
        sessions.then(r -> {
            WorkflowRun b = r.jenkins.getItemByFullName("soak", WorkflowJob.class).getBuildByNumber(1);
            r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));
            r.assertLogContains("cannot be resumed", b);
        });
    }
}
