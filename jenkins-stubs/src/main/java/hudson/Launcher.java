package hudson;

public abstract class Launcher {
    private Launcher() {
    }

    public boolean isUnix() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
