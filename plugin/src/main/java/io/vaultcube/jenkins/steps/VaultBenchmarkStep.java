package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultBenchmark}: {@code vault bench KIND -- COMMAND} on the agent, with telemetry sampled
 * while it runs, or a recorded benchmark stage ({@code recorded}) read through the same parsing.
 */
public class VaultBenchmarkStep extends VaultWorkloadStep {
    public static final String FUNCTION = "vaultBenchmark";

    private final String benchmark;
    private boolean telemetry = true;
    private String timeout;

    @DataBoundConstructor
    public VaultBenchmarkStep(String benchmark) {
        super(FUNCTION, RunnerKind.BENCH);
        Checks.require(Checks.benchmark(benchmark == null ? null : benchmark.strip()));
        this.benchmark = benchmark.strip();
    }

    public String getBenchmark() {
        return benchmark;
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
        this.timeout = duration("timeout", timeout);
    }

    @Override
    protected String defaultStage() {
        return "bench-" + benchmark;
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        super.describe(r, credentialUser);
        r.text("benchmark", benchmark).flag("telemetry", telemetry).text("timeout", timeout);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends WorkloadDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Run a benchmark with telemetry (vault)");
        }

        public FormValidation doCheckBenchmark(@QueryParameter String value) {
            return Checks.form(Checks.benchmark(value));
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Checks.form(Checks.duration("timeout", value));
        }
    }
}
