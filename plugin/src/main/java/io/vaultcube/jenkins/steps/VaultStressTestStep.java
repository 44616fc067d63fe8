package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.StageKind;
import io.vaultcube.jenkins.agent.StageRequest;
import java.util.List;
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
public class VaultStressTestStep extends VaultRunnerStep {
    public static final String FUNCTION = "vaultStressTest";

    private final String duration;
    private List<String> command;
    private String recorded;
    private String interval;
    private String sampler;
    private String progressEvery;
    private String endGrace;
    private String stopGrace;

    @DataBoundConstructor
    public VaultStressTestStep(String duration) {
        Checks.require(Checks.required("duration", duration));
        Checks.require(Checks.duration("duration", duration));
        this.duration = duration.strip();
    }

    public String getDuration() {
        return duration;
    }

    public List<String> getCommand() {
        return command;
    }

    @DataBoundSetter
    public void setCommand(List<String> command) {
        this.command = texts(command);
    }

    public String getRecorded() {
        return recorded;
    }

    @DataBoundSetter
    public void setRecorded(String recorded) {
        this.recorded = blankToNull(recorded);
    }

    public String getInterval() {
        return interval;
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        Checks.require(Checks.duration("interval", interval));
        this.interval = blankToNull(interval);
    }

    public String getSampler() {
        return sampler;
    }

    @DataBoundSetter
    public void setSampler(String sampler) {
        this.sampler = blankToNull(sampler);
    }

    public String getProgressEvery() {
        return progressEvery;
    }

    @DataBoundSetter
    public void setProgressEvery(String progressEvery) {
        Checks.require(Checks.duration("progressEvery", progressEvery));
        this.progressEvery = blankToNull(progressEvery);
    }

    public String getEndGrace() {
        return endGrace;
    }

    @DataBoundSetter
    public void setEndGrace(String endGrace) {
        Checks.require(Checks.duration("endGrace", endGrace));
        this.endGrace = blankToNull(endGrace);
    }

    public String getStopGrace() {
        return stopGrace;
    }

    @DataBoundSetter
    public void setStopGrace(String stopGrace) {
        Checks.require(Checks.duration("stopGrace", stopGrace));
        this.stopGrace = blankToNull(stopGrace);
    }

    @Override
    public String functionName() {
        return FUNCTION;
    }

    @Override
    protected StageKind kind() {
        return StageKind.STRESS;
    }

    @Override
    protected boolean recorded() {
        return recorded != null;
    }

    @Override
    public StageRequest request(String evidence, String credentialUser) {
        if (recorded == null && (command == null || command.isEmpty())) {
            throw new IllegalArgumentException(FUNCTION + ": give the workload's command (a list), or recorded: DIR");
        }
        return super.request(evidence, credentialUser);
    }

    /**
     * A soak with a workload runs detached on the agent and survives a controller restart
     * ({@link DetachedStressExecution}); a recorded soak is read as every runner step reads.
     */
    @Override
    public StepExecution start(StepContext context) throws Exception {
        return recorded != null ? super.start(context) : new DetachedStressExecution(context, this);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("duration", duration).list("command", command).text("recorded", recorded).text("interval", interval)
                .text("sampler", sampler).text("progressEvery", progressEvery).text("endGrace", endGrace)
                .text("stopGrace", stopGrace);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends VaultStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Run the thermal soak with telemetry (vault)";
        }

        @Override
        protected Class<? extends VaultStep> stepType() {
            return VaultStressTestStep.class;
        }

        public FormValidation doCheckDuration(@QueryParameter String value) {
            String problem = Checks.required("duration", value);
            return Checks.form(problem != null ? problem : Checks.duration("duration", value));
        }

        public FormValidation doCheckInterval(@QueryParameter String value) {
            return Checks.form(Checks.duration("interval", value));
        }
    }
}
