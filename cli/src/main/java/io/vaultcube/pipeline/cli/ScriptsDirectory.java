package io.vaultcube.pipeline.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the GPU scripts are ({@code validate-gpus.sh}, {@code sample-telemetry.sh}): {@code --scripts
 * DIR}, else {@code $VAULT_SCRIPTS}, else {@code ./scripts} when it holds them, else the
 * {@code scripts/} of the repository the vault jar was built in ({@code ./vault} from anywhere).
 */
final class ScriptsDirectory {
    static final String VARIABLE = "VAULT_SCRIPTS";
    /** Replaces the telemetry sampler (a stand-in in tests, another sampler on a box). */
    static final String SAMPLER_VARIABLE = "VAULT_SAMPLER";

    private ScriptsDirectory() {
    }

    static Path resolve(Path given) {
        if (given != null) {
            return given.toAbsolutePath().normalize();
        }
        String env = System.getenv(VARIABLE);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path here = Path.of("scripts").toAbsolutePath().normalize();
        if (Files.isRegularFile(here.resolve("sample-telemetry.sh"))) {
            return here;
        }
        try {
            // cli/target/vault.jar (or cli/target/classes) -> the repository root.
            Path code = Path.of(ScriptsDirectory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            root = root == null ? null : root.getParent();
            if (root != null && Files.isRegularFile(root.resolve("scripts/sample-telemetry.sh"))) {
                return root.resolve("scripts");
            }
        } catch (URISyntaxException | RuntimeException e) {
            // No location to derive it from: the current directory's scripts/ is named in the error.
        }
        return here;
    }

    /** The telemetry sampler: {@code --sampler}, else {@code $VAULT_SAMPLER}, else SCRIPTS/sample-telemetry.sh. */
    static Path sampler(Path given, Path scriptsGiven) {
        if (given != null) {
            return given.toAbsolutePath().normalize();
        }
        String env = System.getenv(SAMPLER_VARIABLE);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return resolve(scriptsGiven).resolve("sample-telemetry.sh");
    }
}
