package jenkins.util;

import java.io.File;
import java.io.Serializable;

public abstract class VirtualFile implements Comparable<VirtualFile>, Serializable {
    private static final long serialVersionUID = 1L;

    private VirtualFile() {
    }

    public static VirtualFile forFile(File f) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
