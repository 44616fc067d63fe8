package hudson.model;

import jenkins.util.VirtualFile;
import org.kohsuke.stapler.HttpResponse;

public final class DirectoryBrowserSupport implements HttpResponse {
    public DirectoryBrowserSupport(ModelObject owner, VirtualFile base, String title, String icon,
            boolean serveDirIndex) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public void setIndexFileName(String fileName) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
