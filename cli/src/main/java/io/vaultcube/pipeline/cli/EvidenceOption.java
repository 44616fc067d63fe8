package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Where a run command keeps its evidence: {@code --evidence DIR}, else a fresh {@code ./vault-runs/<UTC time>/}. */
final class EvidenceOption {
    static final Path DEFAULT_PARENT = Path.of("vault-runs");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private EvidenceOption() {
    }

    /**
     * The evidence directory to use. A given directory is used as is (the runner refuses a stage
     * that already holds a run). The default is new for each command: the UTC time, and a suffix
     * when two commands start in the same second and would write the same stage.
     */
    static EvidenceDir open(Path given, String stage) throws IOException {
        if (given != null) {
            return EvidenceDir.create(given);
        }
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        Path dir = DEFAULT_PARENT.resolve(stamp);
        for (int n = 2; Files.exists(dir.resolve(stage)); n++) {
            dir = DEFAULT_PARENT.resolve(stamp + "-" + n);
        }
        return EvidenceDir.create(dir.toAbsolutePath());
    }

    /** Parses {@code K=V}; the message names the option, and the text only when it is no secret. */
    static String[] keyValue(String option, String text, boolean secret) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw CliException.usage(option + " expects NAME=VALUE"
                    + (secret ? " (the argument given has no NAME= before its value)" : ", not '" + text + "'"));
        }
        return new String[] {text.substring(0, eq), text.substring(eq + 1)};
    }
}
