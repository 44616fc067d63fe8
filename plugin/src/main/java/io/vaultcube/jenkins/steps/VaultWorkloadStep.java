package io.vaultcube.jenkins.steps;

import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import java.util.List;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The base of the runner steps that run a workload with telemetry sampled while it runs
 * ({@code vaultBenchmark}, {@code vaultStressTest}): its {@code command} (argv, never a shell
 * string), the sampling ({@code interval}, {@code sampler}), or a {@code recorded} stage read
 * through the same parsing instead. Public, as its setters are: Jenkins binds
 * {@code @DataBoundSetter}s of superclasses too.
 */
public abstract class VaultWorkloadStep extends VaultRunnerStep {
    private List<String> command;
    private String recorded;
    private String interval;
    private String sampler;

    protected VaultWorkloadStep(String functionName, RunnerKind kind) {
        super(functionName, kind);
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
        this.interval = duration("interval", interval);
    }

    public String getSampler() {
        return sampler;
    }

    @DataBoundSetter
    public void setSampler(String sampler) {
        this.sampler = blankToNull(sampler);
    }

    @Override
    protected boolean recorded() {
        return recorded != null;
    }

    /** Refused without a workload to run or a recorded stage to read. */
    @Override
    public StageRequest request(String evidence, String credentialUser) {
        if (recorded == null && (command == null || command.isEmpty())) {
            throw new IllegalArgumentException(functionName() + ": give the workload's command (a list), or"
                    + " recorded: DIR");
        }
        return super.request(evidence, credentialUser);
    }

    /** The workload and its sampling; a subclass adds its own parameters after {@code super}. */
    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.list("command", command).text("recorded", recorded).text("interval", interval).text("sampler", sampler);
    }

    /** The form checks of the shared parameters. */
    public abstract static class WorkloadDescriptor extends VaultStepDescriptor {
        protected WorkloadDescriptor(String functionName, String displayName) {
            super(functionName, displayName);
        }

        public FormValidation doCheckInterval(@QueryParameter String value) {
            return Checks.form(Checks.duration("interval", value));
        }
    }
}
