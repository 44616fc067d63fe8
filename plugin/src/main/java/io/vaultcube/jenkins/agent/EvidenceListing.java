package io.vaultcube.jenkins.agent;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jenkins.MasterToSlaveFileCallable;

/**
 * Chooses, on the agent, which files of this build's evidence directory the build page keeps: the
 * gate's reports and every small evidence file, so that the page works after the agent and its
 * workspace are gone (as warnings-ng copies its files beside {@code build.xml}). The raw telemetry of
 * a soak ({@value #RAW_TELEMETRY}, up to a day of samples) stays on the agent unless the user asks for
 * it: the report already carries its plots and the metrics its summary. Files are listed, not sent:
 * the controller then copies each one (streamed) and checks every path it is given.
 */
public final class EvidenceListing extends MasterToSlaveFileCallable<EvidenceListing.Listing> {
    private static final long serialVersionUID = 1L;

    /** The raw telemetry file of a stage (docs/evidence.md). */
    public static final String RAW_TELEMETRY = "telemetry.csv";
    /** A larger evidence file stays on the agent (named on the page with its size). */
    public static final long MAX_FILE_BYTES = 4L << 20;
    /** At most this much is copied for one build, raw telemetry the user asked for aside. */
    public static final long MAX_TOTAL_BYTES = 32L << 20;
    /** Deeper files are no stage's files (docs/evidence.md: a stage writes plain file names). */
    private static final int MAX_DEPTH = 3;

    private final String evidence;
    private final boolean rawTelemetry;

    /**
     * @param evidence the evidence directory, relative to the workspace
     * @param rawTelemetry also copy every {@value #RAW_TELEMETRY}, whatever its size
     */
    public EvidenceListing(String evidence, boolean rawTelemetry) {
        this.evidence = evidence;
        this.rawTelemetry = rawTelemetry;
    }

    /** A file to copy: its path relative to the evidence directory ('/'-separated) and size. */
    public record Entry(String path, long size) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param copy the files to copy
     * @param leftOnAgent the files not copied, each with why ("raw telemetry, 31457280 bytes")
     */
    public record Listing(List<Entry> copy, List<String> leftOnAgent) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Listing {
            copy = List.copyOf(copy);
            leftOnAgent = List.copyOf(leftOnAgent);
        }
    }

    @Override
    public Listing invoke(File workspace, VirtualChannel channel) throws IOException {
        Path root = workspace.toPath().toAbsolutePath().resolve(evidence).normalize();
        List<Entry> copy = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return new Listing(copy, left);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted(EvidenceListing::order)
                    .toList();
        }
        long total = 0;
        for (Path p : files) {
            String rel = root.relativize(p).toString().replace(File.separatorChar, '/');
            long size = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
            boolean raw = p.getFileName().toString().equals(RAW_TELEMETRY);
            if (raw) {
                if (rawTelemetry) {
                    copy.add(new Entry(rel, size));
                } else {
                    left.add(rel + " (raw telemetry, " + size + " bytes; archiveRawTelemetry: true copies it)");
                }
            } else if (size > MAX_FILE_BYTES) {
                left.add(rel + " (" + size + " bytes, over the " + MAX_FILE_BYTES + "-byte limit)");
            } else if (total + size > MAX_TOTAL_BYTES) {
                left.add(rel + " (" + size + " bytes; the build's " + MAX_TOTAL_BYTES + "-byte copy limit is reached)");
            } else {
                total += size;
                copy.add(new Entry(rel, size));
            }
        }
        return new Listing(copy, left);
    }

    /** The gate's reports first (they must fit the limit), then by path. */
    private static int order(Path a, Path b) {
        boolean ra = isReport(a);
        boolean rb = isReport(b);
        return ra != rb ? (ra ? -1 : 1) : a.compareTo(b);
    }

    private static boolean isReport(Path p) {
        String name = p.getFileName().toString();
        return name.equals("report.json") || name.equals("report.html") || name.equals("report.css")
                || name.equals("build-summary.json") || name.equals("summary.md") || name.equals("junit.xml");
    }
}
