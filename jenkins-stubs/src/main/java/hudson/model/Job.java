package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
    private Job() {
    }

    public RunT getLastBuild() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public final String getFullName() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
