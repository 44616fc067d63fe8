package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.vaultcube.jenkins.agent.StagedSecrets;
import io.vaultcube.jenkins.credentials.StepSecrets;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution of a {@code vault*} step that runs on a thread of its own and returns a map the
 * script can read: the step held transiently (Pipeline persists the execution, never the step, and
 * no secret is ever a field), the context's workspace, log, environment and this build's evidence
 * directory handed to the step's work, and the one way a step runs a callable that needs secrets
 * on the agent. A subclass is the step's work only.
 */
public abstract class VaultStepExecution<S extends VaultStep> extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    protected final transient S step;
    /** The step's function name, for messages. */
    protected final String function;

    protected VaultStepExecution(StepContext context, S step) {
        super(context);
        this.step = step;
        this.function = step.functionName();
    }

    protected FilePath workspace() throws IOException, InterruptedException {
        return workspace(getContext(), "");
    }

    protected TaskListener listener() throws IOException, InterruptedException {
        return listener(getContext());
    }

    protected EnvVars env() throws IOException, InterruptedException {
        EnvVars env = getContext().get(EnvVars.class);
        return env == null ? new EnvVars() : env;
    }

    /** Runs the step's work; the tests call this as the Pipeline's thread pool does. */
    @Override
    protected final Map<String, Object> run() throws Exception {
        FilePath ws = workspace();
        TaskListener listener = listener();
        EnvVars env = env();
        return run(ws, listener, env, step.evidenceDirectory(env));
    }

    /** The step's work in this build's evidence directory ({@code evidence}, relative to {@code ws}). */
    protected abstract Map<String, Object> run(FilePath ws, TaskListener listener, EnvVars env, String evidence)
            throws Exception;

    /** The workspace; without one the step fails, saying so ({@code more}: what else the user should know). */
    static FilePath workspace(StepContext context, String more) throws IOException, InterruptedException {
        FilePath ws = context.get(FilePath.class);
        if (ws == null) {
            throw new AbortException("No workspace available: run this step inside node or agent" + more);
        }
        return ws;
    }

    static TaskListener listener(StepContext context) throws IOException, InterruptedException {
        TaskListener l = context.get(TaskListener.class);
        if (l == null) {
            throw new AbortException("No build log available to this step");
        }
        return l;
    }

    /**
     * Stages the secrets found for this build privately beside the workspace, runs the callable made
     * with them on the agent, and removes them whatever happens: a secret is never a field or an
     * argument, and is left in no file.
     */
    static <V> V actWithSecrets(FilePath ws, StepSecrets.Found found,
            Function<StagedSecrets, FilePath.FileCallable<V>> callable) throws IOException, InterruptedException {
        StagedSecrets staged = StepSecrets.stage(found, ws);
        try {
            return ws.act(callable.apply(staged));
        } finally {
            StepSecrets.remove(staged, ws);
        }
    }
}
