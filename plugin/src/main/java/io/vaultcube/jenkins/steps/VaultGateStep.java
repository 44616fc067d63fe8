package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.jenkins.model.BuildPages;
import io.vaultcube.jenkins.model.ResultMarker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultGate}: judges this build's evidence with a policy ({@code vault gate}), writes the
 * reports into the gate's stage, prints the gate table, and turns the verdict into the stage's and
 * the build's result: UNSTABLE marks both unstable (as {@code junit} does); FAILURE marks them
 * failed and, with {@code stopOnFailure} (the default), ends the pipeline here.
 */
public class VaultGateStep extends VaultStep {
    public static final String FUNCTION = "vaultGate";

    private final String policy;
    private String baseline;
    private boolean stopOnFailure = true;
    private boolean archiveRawTelemetry;

    @DataBoundConstructor
    public VaultGateStep(String policy) {
        super(FUNCTION);
        Checks.require(Checks.required("policy", policy));
        this.policy = policy.strip();
    }

    public String getPolicy() {
        return policy;
    }

    public String getBaseline() {
        return baseline;
    }

    /** The evidence directory of the baseline (e.g. the last promoted image's) for ratio gates. */
    @DataBoundSetter
    public void setBaseline(String baseline) {
        this.baseline = blankToNull(baseline);
    }

    public boolean isStopOnFailure() {
        return stopOnFailure;
    }

    @DataBoundSetter
    public void setStopOnFailure(boolean stopOnFailure) {
        this.stopOnFailure = stopOnFailure;
    }

    public boolean isArchiveRawTelemetry() {
        return archiveRawTelemetry;
    }

    /** Also copy every stage's raw {@code telemetry.csv} (a day of samples for a soak) into the build. */
    @DataBoundSetter
    public void setArchiveRawTelemetry(boolean archiveRawTelemetry) {
        this.archiveRawTelemetry = archiveRawTelemetry;
    }

    @Override
    protected String defaultStage() {
        return "gate";
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    /** Only the step's values, transiently; the verdict goes into the build's result and the return value. */
    static final class Execution extends VaultStepExecution<VaultGateStep> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context, VaultGateStep step) {
            super(context, step);
        }

        @Override
        protected Map<String, Object> run(FilePath ws, TaskListener listener, EnvVars env, String evidence)
                throws Exception {
            GateCallable.Outcome outcome = ws.act(new GateCallable(step.policy, step.baseline, evidence,
                    step.stageName(), listener));
            Run<?, ?> build = getContext().get(Run.class);
            if (build != null) {
                // Before the verdict can end the pipeline: the page shows a failed gate too.
                BuildPages.recordGate(build, ws, env.get("NODE_NAME"), evidence, step.stageName(),
                        outcome.verdict(), step.archiveRawTelemetry);
            }
            Result result = ResultMarker.resultOf(outcome.verdict());
            String message = "vault gate verdict " + outcome.verdict() + ": " + outcome.summary() + " (reports in "
                    + outcome.reportDirectory() + ")";
            ResultMarker.mark(getContext(), getContext().get(FlowNode.class), result, message);
            if (result == Result.FAILURE && step.stopOnFailure) {
                throw new AbortException(message);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", outcome.verdict());
            m.put("verdict", outcome.verdict());
            m.put("summary", outcome.summary());
            m.put("counts", new LinkedHashMap<>(outcome.counts()));
            m.put("evidence", outcome.reportDirectory());
            m.put("stage", step.stageName());
            return m;
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends VaultStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Gate this build's evidence with a policy (vault)");
        }

        public FormValidation doCheckPolicy(@QueryParameter String value) {
            return Checks.form(Checks.required("policy", value));
        }
    }
}
