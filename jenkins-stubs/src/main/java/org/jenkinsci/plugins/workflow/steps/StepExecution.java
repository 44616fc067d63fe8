package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Compile-only stub; the constructor and {@link #getContext()} work, so that tests can drive an execution. */
public abstract class StepExecution implements Serializable {
    private static final long serialVersionUID = 1L;

    private StepContext context;

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void onResume() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getStatus() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean blocksRestart() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
