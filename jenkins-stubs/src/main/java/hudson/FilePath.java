package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/**
 * Compile-only stub. Unlike most stubs, the members the plugin's unit tests need work on a local
 * file (no channel), so that an execution can be driven against a temporary workspace.
 */
public final class FilePath implements SerializableOnlyOverRemoting {
    private static final long serialVersionUID = 1L;
    private final String remote;

    public FilePath(File localPath) {
        this.remote = localPath.getPath();
    }

    public FilePath(FilePath base, String rel) {
        this.remote = new File(base.remote, rel).getPath();
    }

    public String getRemote() {
        return remote;
    }

    public String getName() {
        return new File(remote).getName();
    }

    public VirtualChannel getChannel() {
        return null;
    }

    public FilePath getParent() {
        File parent = new File(remote).getParentFile();
        return parent == null ? null : new FilePath(parent);
    }

    public FilePath child(String relOrAbsolute) {
        File f = new File(relOrAbsolute);
        return f.isAbsolute() ? new FilePath(f) : new FilePath(this, relOrAbsolute);
    }

    public FilePath sibling(String rel) {
        return getParent().child(rel);
    }

    public <T> T act(FileCallable<T> callable) throws IOException, InterruptedException {
        return callable.invoke(new File(remote), null);
    }

    public void mkdirs() throws IOException, InterruptedException {
        Files.createDirectories(new File(remote).toPath());
    }

    public boolean exists() throws IOException, InterruptedException {
        return new File(remote).exists();
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        return new File(remote).isDirectory();
    }

    public FilePath createTempDir(String prefix, String suffix) throws IOException, InterruptedException {
        mkdirs();
        return new FilePath(Files.createTempDirectory(new File(remote).toPath(), prefix + suffix).toFile());
    }

    public void write(String content, String encoding) throws IOException, InterruptedException {
        Files.writeString(new File(remote).toPath(), content, Charset.forName(encoding));
    }

    public OutputStream write() throws IOException, InterruptedException {
        return Files.newOutputStream(new File(remote).toPath());
    }

    public InputStream read() throws IOException, InterruptedException {
        return Files.newInputStream(new File(remote).toPath());
    }

    /** Local here (the unit tests copy evidence with it); over a channel in Jenkins, streamed. */
    public void copyTo(FilePath target) throws IOException, InterruptedException {
        File to = new File(target.remote);
        if (to.getParentFile() != null) {
            Files.createDirectories(to.getParentFile().toPath());
        }
        Files.copy(new File(remote).toPath(), to.toPath(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    public void chmod(int mask) throws IOException, InterruptedException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mask & (1 << i)) != 0) {
                perms.add(order[i]);
            }
        }
        Files.setPosixFilePermissions(new File(remote).toPath(), perms);
    }

    public void deleteRecursive() throws IOException, InterruptedException {
        File root = new File(remote);
        if (!root.exists()) {
            return;
        }
        try (Stream<java.nio.file.Path> all = Files.walk(root.toPath())) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Override
    public String toString() {
        return remote;
    }

    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
