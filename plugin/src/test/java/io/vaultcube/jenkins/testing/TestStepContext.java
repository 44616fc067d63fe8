package io.vaultcube.jenkins.testing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.TaskListener;
import java.io.File;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A step context for unit tests: a workspace on this machine, a log in memory, the environment of
 * a build, and the results the step set. No Run, Launcher or FlowNode: what needs them is covered
 * by the JenkinsRule tests of the real build.
 */
public final class TestStepContext extends StepContext {
    private static final long serialVersionUID = 1L;

    private final transient FilePath workspace;
    private final transient TestListener listener = new TestListener();
    private final transient EnvVars env;
    private transient Result result;

    public TestStepContext(File workspace, Map<String, String> env) {
        this.workspace = new FilePath(workspace);
        this.env = new EnvVars(env);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Class<T> key) {
        if (key == FilePath.class) {
            return (T) workspace;
        }
        if (key == TaskListener.class) {
            return (T) listener;
        }
        if (key == EnvVars.class) {
            return (T) env;
        }
        return null;
    }

    public String log() {
        return listener.text();
    }

    /** The worst result the step set, or null when it set none. */
    public Result result() {
        return result;
    }

    @Override
    public void setResult(Result r) {
        // as Run.setResult: a result only ever gets worse
        if (result == null || r.isWorseThan(result)) {
            result = r;
        }
    }

    @Override
    public void onSuccess(Object value) {
        throw new AssertionError("the tests call run() directly");
    }

    @Override
    public void onFailure(Throwable t) {
        throw new AssertionError("the tests call run() directly", t);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public ListenableFuture<Void> saveState() {
        return Futures.immediateFuture(null);
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        throw new IllegalStateException("no body");
    }

    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
