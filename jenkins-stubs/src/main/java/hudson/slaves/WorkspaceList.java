package hudson.slaves;

import hudson.FilePath;

public final class WorkspaceList {
    private WorkspaceList() {
    }

    /** Works as the real one: the sibling directory {@code NAME@tmp}. */
    public static FilePath tempDir(FilePath ws) {
        return ws.sibling(ws.getName() + "@tmp");
    }
}
