package io.vaultcube.pipeline.run;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * What every runner's settings have in common: the stage they write and how the tool's process is
 * started and stopped. Serializable, so that a Jenkins step can send settings to the agent that
 * runs the tool; paths are held as text behind {@code Path} accessors for that reason.
 */
public interface StageSettings extends Serializable {
    /**
     * The evidence stage the run writes (its directory under the evidence directory) when the caller
     * names none, as the CLI does. Bench and stress settings hold the caller's name, since their
     * metric names follow it; the others give their runner's default ({@code packer}, ...).
     */
    String stageName();

    /** Where the tool runs, its environment, its time limit, its graces and the values to mask. */
    ProcessControl process();

    /** A path as settings hold it: its text, or null. */
    static String text(Path path) {
        return path == null ? null : path.toString();
    }

    /** Paths as settings hold them. */
    static List<String> texts(List<Path> paths) {
        return paths.stream().map(Path::toString).toList();
    }

    /** A path held as text, back as a path, or null: what every settings' {@code Path} accessor returns. */
    static Path path(String text) {
        return text == null ? null : Path.of(text);
    }

    /** Paths held as text, back as paths. */
    static List<Path> paths(List<String> texts) {
        return texts.stream().map(Path::of).toList();
    }
}
