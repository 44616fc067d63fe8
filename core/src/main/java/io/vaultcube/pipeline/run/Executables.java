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
}
