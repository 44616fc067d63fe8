package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultStressTest}: the thermal soak ({@code vault stress}) on the agent, for its planned
 * {@code duration} with telemetry, detached so that it survives a controller restart, or a recorded
 * soak ({@code recorded}).
 */
public class VaultStressTestStep extends VaultWorkloadStep {
    public static final String FUNCTION = "vaultStressTest";

    private final String duration;
    private String progressEvery;
    private String endGrace;
    private String stopGrace;

    @DataBoundConstructor
    public VaultStressTestStep(String duration) {
        super(FUNCTION, RunnerKind.STRESS);
        Checks.require(Checks.required("duration", duration));
        Checks.require(Checks.duration("duration", duration));
        this.duration = duration.strip();
    }

    public String getDuration() {
        return duration;
    }

    public String getProgressEvery() {
        return progressEvery;
    }

    @DataBoundSetter
    public void setProgressEvery(String progressEvery) {
        this.progressEvery = duration("progressEvery", progressEvery);
    }

    public String getEndGrace() {
        return endGrace;
    }

    @DataBoundSetter
    public void setEndGrace(String endGrace) {
        this.endGrace = duration("endGrace", endGrace);
    }

    public String getStopGrace() {
        return stopGrace;
    }

    @DataBoundSetter
    public void setStopGrace(String stopGrace) {
        this.stopGrace = duration("stopGrace", stopGrace);
    }

    /**
     * A soak with a workload runs detached on the agent and survives a controller restart
     * ({@link DetachedStressExecution}); a recorded soak is read as every runner step reads.
     */
    @Override
    public StepExecution start(StepContext context) throws Exception {
        return recorded() ? super.start(context) : new DetachedStressExecution(context, this);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        super.describe(r, credentialUser);
        r.text("duration", duration).text("progressEvery", progressEvery).text("endGrace", endGrace)
                .text("stopGrace", stopGrace);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends WorkloadDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Run the thermal soak with telemetry (vault)");
        }

        public FormValidation doCheckDuration(@QueryParameter String value) {
            String problem = Checks.required("duration", value);
            return Checks.form(problem != null ? problem : Checks.duration("duration", value));
        }
    }
}
