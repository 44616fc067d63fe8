package hudson.model;

public abstract class Actionable {
    public void addAction(Action a) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public boolean addOrReplaceAction(Action a) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public <T extends Action> java.util.List<T> getActions(Class<T> type) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
