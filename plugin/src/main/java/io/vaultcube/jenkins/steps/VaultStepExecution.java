package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import java.io.IOException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The context getters of every {@code vault*} execution. An execution is persisted by Pipeline:
 * subclasses keep their step {@code transient} and never hold a secret in a field.
 */
public abstract class VaultStepExecution<T> extends SynchronousNonBlockingStepExecution<T> {
    private static final long serialVersionUID = 1L;

    protected VaultStepExecution(StepContext context) {
        super(context);
    }

    protected FilePath workspace() throws IOException, InterruptedException {
        FilePath ws = getContext().get(FilePath.class);
        if (ws == null) {
            throw new AbortException("No workspace available: run this step inside node or agent");
        }
        return ws;
    }

    protected TaskListener listener() throws IOException, InterruptedException {
        TaskListener l = getContext().get(TaskListener.class);
        if (l == null) {
            throw new AbortException("No build log available to this step");
        }
        return l;
    }

    protected EnvVars env() throws IOException, InterruptedException {
        EnvVars env = getContext().get(EnvVars.class);
        return env == null ? new EnvVars() : env;
    }

    /** Runs the step's work; the tests call this as the Pipeline's thread pool does. */
    @Override
    protected abstract T run() throws Exception;
}
