package io.vaultcube.jenkins.model;

import io.vaultcube.pipeline.gate.report.BuildSummary;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The evidence files a build keeps beside its {@code build.xml}, in {@code <build dir>/vault/} (a
 * build's further gates: {@code vault-2/}, ...): {@code <stage>/<file>} as on the agent. Only the
 * build's own pages read them; trends never do.
 */
public class BuildStore {
    /** A summary file larger than this was not written by vault: it is not read. */
    static final long MAX_SUMMARY_BYTES = 4L << 20;

    private final Path root;

    /** @param directory the gate's directory inside the build's directory */
    public BuildStore(File directory) {
        this.root = directory.toPath().toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Where an evidence file with this relative path goes, or an error when the path could leave the
     * directory. The paths come from the agent: an agent may not write anywhere else on the controller.
     */
    public Path target(String relative) throws IOException {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")
                || relative.contains("\0")) {
            throw new IOException("refused evidence path from the agent: " + relative);
        }
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IOException("refused evidence path from the agent: " + relative);
            }
        }
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IOException("refused evidence path from the agent: " + relative);
        }
        return p;
    }

    /** Reads the stage's build summary; the only file a build page reads to draw itself. */
    public BuildSummary summary(String stage) throws IOException {
        return BuildSummary.fromJson(read(stage + "/" + BuildSummary.FILE), stage + "/" + BuildSummary.FILE);
    }

    /** Reads one stored file as text (overridden by tests to count reads). */
    protected String read(String relative) throws IOException {
        Path p = target(relative);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("this build kept no " + relative);
        }
        if (Files.size(p) > MAX_SUMMARY_BYTES) {
            throw new IOException(relative + " is larger than " + MAX_SUMMARY_BYTES + " bytes");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** The stored files, relative and '/'-separated, sorted: for the page's links. */
    public List<String> files() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted()
                    .forEach(p -> out.add(root.relativize(p).toString().replace(File.separatorChar, '/')));
        }
        return out;
    }
}
