package org.jenkinsci.plugins.workflow.graph;

import hudson.model.Actionable;
import hudson.model.Saveable;
import java.io.IOException;

public abstract class FlowNode extends Actionable implements Saveable {
    private FlowNode() {
    }

    protected abstract String getTypeDisplayName();

    @Override
    public void save() throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
