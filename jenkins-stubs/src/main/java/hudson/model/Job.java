package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
    private Job() {
    }

    // The real type's abstract methods: a stub without them would let a subclass compile here that
    // Jenkins cannot load (tests/suites/05-jenkins-api-check.sh).
    protected abstract java.util.SortedMap<Integer, ? extends RunT> _getRuns();

    public abstract boolean isBuildable();

    protected abstract void removeRun(RunT run);

    public RunT getLastBuild() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public final String getFullName() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
