package io.vaultcube.jenkins.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.vaultcube.jenkins.agent.RunnerCallable;
import io.vaultcube.jenkins.agent.StageKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.agent.StageSummary;
import io.vaultcube.jenkins.agent.StagedSecrets;
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

    /** The stage kind this step runs. */
    protected abstract StageKind kind();

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
        return kind().defaultStage();
    }

    /** The request for this build's evidence directory. */
    public StageRequest request(String evidence, String credentialUser) {
        StageRequest.Builder b = StageRequest.builder(kind(), evidence, stageName());
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
    static final class Execution extends VaultStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient VaultRunnerStep step;
        private final String function;

        Execution(StepContext context, VaultRunnerStep step) {
            super(context);
            this.step = step;
            this.function = step.functionName();
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            FilePath ws = workspace();
            TaskListener listener = listener();
            EnvVars env = env();
            String evidence = step.evidenceDirectory(env);
            SecretNames names = step.secretNames();
            StepSecrets.Found found = names.isEmpty() ? StepSecrets.Found.NONE
                    : StepSecrets.lookUp(names, env, getContext().get(Run.class));
            StageRequest request = step.request(evidence, found.username());
            listener.getLogger().println("vault: " + function + ": stage " + request.stage() + ", evidence "
                    + evidence + "/" + request.stage());
            StagedSecrets staged = StepSecrets.stage(found, ws);
            StageSummary summary;
            try {
                summary = ws.act(new RunnerCallable(request, staged, listener));
            } finally {
                StepSecrets.remove(staged, ws);
            }
            return StepResults.orFail(function, request.stage(), summary, step.recorded());
        }
    }
}
