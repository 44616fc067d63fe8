package io.vaultcube.jenkins.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The core's synthetic runner inputs (core/src/test/resources/run, see its README), copied into a workspace. */
public final class Fixtures {
    public static final Path RUN = Path.of("../core/src/test/resources/run").toAbsolutePath().normalize();

    private Fixtures() {
    }

    public static Path copy(String relative, Path workspace) throws IOException {
        Path from = RUN.resolve(relative);
        Path to = workspace.resolve(from.getFileName().toString());
        Files.createDirectories(workspace);
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        return to;
    }
}
