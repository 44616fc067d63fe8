package io.vaultcube.pipeline.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What ties a gate report to the evidence it judged: the SHA-256 of every {@code stage.json} and
 * {@code metrics.json} the gate read, and one digest over that list. A promotion recomputes them,
 * so a report made for other evidence (another run, another image, a file changed since) is refused.
 */
public final class EvidenceDigest {
    /** The form of a bound path: STAGE/stage.json or STAGE/metrics.json, nothing else. */
    public static final Pattern BOUND_PATH = Pattern.compile(EvidenceDir.STAGE_NAME.pattern() + "/("
            + Pattern.quote(StageEvidence.RECORD_FILE) + "|" + Pattern.quote(StageEvidence.METRICS_FILE) + ")");

    /** One file the gate read: its path relative to the evidence directory and its SHA-256. */
    public record Entry(String path, String sha256) {
    }

    private EvidenceDigest() {
    }

    /** The record and metrics files of the named stages, in the order given, as they are now. */
    public static List<Entry> of(Path evidenceRoot, List<String> stages) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (String stage : stages) {
            for (String name : List.of(StageEvidence.RECORD_FILE, StageEvidence.METRICS_FILE)) {
                Path file = evidenceRoot.resolve(stage).resolve(name);
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new Entry(stage + "/" + name, sha256(Files.readAllBytes(file))));
                }
            }
        }
        return entries;
    }

    /** One digest over the list: the SHA-256 of its lines "SHA256  PATH\n". */
    public static String digest(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        entries.forEach(e -> b.append(e.sha256()).append("  ").append(e.path()).append('\n'));
        return sha256(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
