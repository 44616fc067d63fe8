package io.vaultcube.jenkins.testing;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.TaskListener;
import java.io.File;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
    private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();
    private static final Map<String, TestStepContext> RESTARTED = new ConcurrentHashMap<>();
    private final String id = UUID.randomUUID().toString();

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

    /** How an asynchronous execution ended: onSuccess's value or onFailure's error (run() never calls them). */
    @Override
    public void onSuccess(Object value) {
        outcome.complete(value);
    }

    @Override
    public void onFailure(Throwable t) {
        outcome.completeExceptionally(t);
    }

    /** Waits for onSuccess or onFailure (an event; two minutes at most) and returns the value or throws the error. */
    public Object awaitOutcome() throws Exception {
        try {
            return outcome.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /** True once onSuccess or onFailure was called. */
    public boolean ended() {
        return outcome.isDone();
    }

    /**
     * A controller restart: an execution serialized with this context is deserialized with
     * {@code after} (as Pipeline hands a resumed execution the context of the same step).
     */
    public void restartsAs(TestStepContext after) {
        RESTARTED.put(id, after);
    }

    private Object readResolve() {
        return RESTARTED.getOrDefault(id, this);
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
