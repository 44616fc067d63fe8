package io.vaultcube.jenkins.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.vaultcube.jenkins.agent.RunnerCallable;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.agent.StageSummary;
import io.vaultcube.jenkins.credentials.SecretNames;
import io.vaultcube.jenkins.credentials.StepSecrets;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The base of the five steps that run a core runner (as {@code DurableTaskStep} is of {@code sh}):
 * a subclass is its parameters, how they become a {@link StageRequest}, and its descriptor. The
 * one execution here runs {@link RunnerCallable} on the workspace's agent.
 */
public abstract class VaultRunnerStep extends VaultStep {
    private final RunnerKind kind;

    protected VaultRunnerStep(String functionName, RunnerKind kind) {
        super(functionName);
        this.kind = kind;
    }

    /** The stage kind this step runs. */
    protected final RunnerKind kind() {
        return kind;
    }

    /** The step's parameters as request values; {@code credentialUser} is the SSH credential's user, or null. */
    protected abstract void describe(StageRequest.Builder request, String credentialUser);

    /** The names of the secrets the step needs (never their values); none by default. */
    protected SecretNames secretNames() {
        return SecretNames.none();
    }

    /** Whether the step reads recorded evidence instead of running a tool. */
    protected boolean recorded() {
        return false;
    }

    @Override
    protected String defaultStage() {
        return kind.defaultStage();
    }

    /** The request for this build's evidence directory. */
    public StageRequest request(String evidence, String credentialUser) {
        StageRequest.Builder b = StageRequest.builder(kind, evidence, stageName());
        describe(b, credentialUser);
        return b.build();
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    /**
     * Runs the step: secrets looked up and staged, the callable on the agent, the summary back.
     * Holds the step only transiently; Pipeline persists nothing of it (the step cannot resume
     * after a controller restart, as {@code SynchronousNonBlockingStepExecution} says).
     */
    static final class Execution extends VaultStepExecution<VaultRunnerStep> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context, VaultRunnerStep step) {
            super(context, step);
        }

        @Override
        protected Map<String, Object> run(FilePath ws, TaskListener listener, EnvVars env, String evidence)
                throws Exception {
            SecretNames names = step.secretNames();
            StepSecrets.Found found = names.isEmpty() ? StepSecrets.Found.NONE
                    : StepSecrets.lookUp(names, env, getContext().get(Run.class));
            StageRequest request = step.request(evidence, found.username());
            listener.getLogger().println("vault: " + function + ": stage " + request.stage() + ", evidence "
                    + evidence + "/" + request.stage());
            StageSummary summary = actWithSecrets(ws, found, staged -> new RunnerCallable(request, staged, listener));
            return StepResults.orFail(function, request.stage(), summary, step.recorded());
        }
    }
}
