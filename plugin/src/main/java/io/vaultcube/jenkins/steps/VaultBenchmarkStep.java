package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.StageKind;
import io.vaultcube.jenkins.agent.StageRequest;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultBenchmark}: {@code vault bench KIND -- COMMAND} on the agent, with telemetry sampled
 * while it runs, or a recorded benchmark stage ({@code recorded}) read through the same parsing.
 */
public class VaultBenchmarkStep extends VaultRunnerStep {
    public static final String FUNCTION = "vaultBenchmark";

    private final String benchmark;
    private List<String> command;
    private String recorded;
    private String interval;
    private String sampler;
    private boolean telemetry = true;
    private String timeout;

    @DataBoundConstructor
    public VaultBenchmarkStep(String benchmark) {
        Checks.require(Checks.benchmark(benchmark == null ? null : benchmark.strip()));
        this.benchmark = benchmark.strip();
    }

    public String getBenchmark() {
        return benchmark;
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

    public boolean isTelemetry() {
        return telemetry;
    }

    @DataBoundSetter
    public void setTelemetry(boolean telemetry) {
        this.telemetry = telemetry;
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        Checks.require(Checks.duration("timeout", timeout));
        this.timeout = blankToNull(timeout);
    }

    @Override
    public String functionName() {
        return FUNCTION;
    }

    @Override
    protected StageKind kind() {
        return StageKind.BENCH;
    }

    @Override
    protected String defaultStage() {
        return "bench-" + benchmark;
    }

    @Override
    protected boolean recorded() {
        return recorded != null;
    }

    @Override
    public StageRequest request(String evidence, String credentialUser) {
        if (recorded == null && (command == null || command.isEmpty())) {
            throw new IllegalArgumentException(FUNCTION + ": give the benchmark's command (a list), or recorded: DIR");
        }
        return super.request(evidence, credentialUser);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("benchmark", benchmark).list("command", command).text("recorded", recorded)
                .text("interval", interval).text("sampler", sampler).flag("telemetry", telemetry)
                .text("timeout", timeout);
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
            return "Run a benchmark with telemetry (vault)";
        }

        @Override
        protected Class<? extends VaultStep> stepType() {
            return VaultBenchmarkStep.class;
        }

        public FormValidation doCheckBenchmark(@QueryParameter String value) {
            return Checks.form(Checks.benchmark(value));
        }

        public FormValidation doCheckInterval(@QueryParameter String value) {
            return Checks.form(Checks.duration("interval", value));
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Checks.form(Checks.duration("timeout", value));
        }
    }
}
