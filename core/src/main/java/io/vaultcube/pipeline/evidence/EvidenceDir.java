package io.vaultcube.pipeline.evidence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A run's evidence directory: one subdirectory per stage, each holding the stage's raw output
 * files, its {@code metrics.json} and its {@code stage.json}. See docs/evidence.md.
 */
public final class EvidenceDir {
    /** Stage names: lower case letters, digits and dashes, starting with a letter. */
    public static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private final Path root;

    private EvidenceDir(Path root) {
        this.root = root;
    }

    /** Opens the directory, creating it when missing. */
    public static EvidenceDir create(Path root) throws IOException {
        Files.createDirectories(root);
        return new EvidenceDir(root.toAbsolutePath().normalize());
    }

    /** Opens an existing directory for reading; fails when it is not there. */
    public static EvidenceDir open(Path root) throws EvidenceException {
        if (!Files.isDirectory(root)) {
            throw new EvidenceException("evidence directory " + root + " does not exist or is not a directory");
        }
        return new EvidenceDir(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    /** The stage's directory, created when missing. */
    public StageEvidence stage(String name) throws IOException {
        requireStageName(name);
        Path dir = root.resolve(name);
        Files.createDirectories(dir);
        return new StageEvidence(this, name, dir);
    }

    /** The stages present, by directory name, sorted. */
    public List<StageEvidence> stages() throws IOException {
        List<StageEvidence> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && STAGE_NAME.matcher(name).matches()) {
                    found.add(new StageEvidence(this, name, entry));
                }
            }
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return found;
    }

    /**
     * All stages' metrics together. Fails on an unreadable or garbled {@code metrics.json} and on a
     * name that two stages both report, naming both files: evidence that cannot be trusted is an
     * error, never a silent gap. A stage directory without {@code metrics.json} contributes nothing
     * (its gates then find no evidence).
     */
    public MetricSet readAllMetrics() throws IOException {
        MetricSet all = new MetricSet();
        Map<MetricName, String> origin = new HashMap<>();
        for (StageEvidence stage : stages()) {
            if (!stage.hasMetrics()) {
                continue;
            }
            String file = stage.name() + "/" + StageEvidence.METRICS_FILE;
            for (Metric m : stage.readMetrics()) {
                String first = origin.putIfAbsent(m.name(), file);
                if (first != null) {
                    throw new EvidenceException("metric " + m.name() + " is reported by both " + first + " and " + file
                            + " in " + root);
                }
                all.add(m);
            }
        }
        return all;
    }

    /** The path of a file relative to this directory, with forward slashes, for an {@link EvidenceSource}. */
    public String relativize(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!absolute.startsWith(root)) {
            return absolute.toString();
        }
        return root.relativize(absolute).toString().replace('\\', '/');
    }

    static void requireStageName(String name) {
        if (name == null || !STAGE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "not a stage name (a-z, then a-z, 0-9, -; at most 64): '" + name + "'");
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
