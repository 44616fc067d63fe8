package io.vaultcube.pipeline.parse.ansible;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import java.util.Objects;

/**
 * One host's line of a PLAY RECAP (or its {@code stats} entry in the json callback), with where it
 * was read. {@code failed} is ansible's "failures". {@code skipped}, {@code rescued} and
 * {@code ignored} are -1 when the recap line does not have them: ansible before 2.8 printed only
 * ok, changed, unreachable and failed. An absent counter is absent, not zero.
 */
public record AnsibleHostStats(String host, long ok, long changed, long unreachable, long failed, long skipped,
        long rescued, long ignored, EvidenceSource source) {
    public AnsibleHostStats {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(source, "source");
    }

    /** The counter by its metric name: ok, changed, unreachable, failed, skipped, rescued, ignored. */
    public long get(String counter) {
        switch (counter) {
            case "ok" -> {
                return ok;
            }
            case "changed" -> {
                return changed;
            }
            case "unreachable" -> {
                return unreachable;
            }
            case "failed" -> {
                return failed;
            }
            case "skipped" -> {
                return skipped;
            }
            case "rescued" -> {
                return rescued;
            }
            case "ignored" -> {
                return ignored;
            }
            default -> throw new IllegalArgumentException("no ansible counter " + counter);
        }
    }
}
