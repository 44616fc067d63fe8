package io.vaultcube.pipeline.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a tool before a run starts, so that a missing tool is a setup error with a clear message. */
public final class Executables {
    private Executables() {
    }

    /**
     * The executable a program name means: a path (containing {@code /}) as is, else the first
     * match on {@code path} (a PATH value; null means this process's PATH).
     */
    public static Optional<Path> find(String program, String path) {
        if (program == null || program.isEmpty()) {
            return Optional.empty();
        }
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String search = path == null ? System.getenv("PATH") : path;
        if (search == null) {
            return Optional.empty();
        }
        for (String dir : search.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #find}, but a missing tool is a {@link RunSetupException} naming how to get it. */
    public static Path require(String program, String path, String howToInstall) throws RunSetupException {
        return find(program, path).orElseThrow(() -> new RunSetupException(
                program.contains("/")
                        ? program + " is not an executable file"
                        : program + " is not installed (not found on PATH); " + howToInstall));
    }

    /** A run's working directory: the configured one, else the current one; it must exist. */
    public static Path workingDirectory(Path configured) throws RunSetupException {
        Path dir = configured == null ? Path.of("").toAbsolutePath() : configured.toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new RunSetupException("the working directory " + dir + " does not exist");
        }
        return dir;
    }

    /**
     * Checks that the first word of a command can be run: a path (resolved against the working
     * directory) must be an executable file, a name must be on the child's PATH.
     *
     * @param what how messages name the command ("the benchmark command", "the workload")
     */
    public static void requireCommand(String program, Path workDir, String path, String what)
            throws RunSetupException {
        if (program.contains("/")) {
            Path p = workDir.resolve(program);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new RunSetupException(what + " " + program + " is not an executable file");
            }
        } else {
            require(program, path, "give " + what + "'s path");
        }
    }

    /** The telemetry sampler, resolved against the working directory; it must be an executable file. */
    public static Path requireSampler(Path workDir, Path sampler, String alternatives) throws RunSetupException {
        Path p = workDir.resolve(sampler).normalize();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new RunSetupException("no telemetry sampler at " + p + " (" + alternatives + ")");
        }
        return p;
    }
}
