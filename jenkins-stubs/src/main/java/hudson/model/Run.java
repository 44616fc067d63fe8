package hudson.model;

import java.io.File;
import java.io.IOException;
import jenkins.model.ArtifactManager;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    private Run() {
    }

    public Result getResult() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void setResult(Result r) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public RunT getPreviousBuild() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public long getDuration() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public File getRootDir() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public JobT getParent() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getExternalizableId() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getFullDisplayName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public final ArtifactManager pickArtifactManager() throws IOException {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
