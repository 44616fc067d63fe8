package io.vaultcube.pipeline.parse.ansible;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import java.util.List;
import java.util.Objects;

/**
 * One {@code ansible-playbook} run as its recap tells it: the hosts' counters in recap order, where
 * the recap was read, and the run's duration when the output says it (the {@code timer} callback,
 * or the json callback's play times); NaN when it does not.
 */
public record AnsibleRun(List<AnsibleHostStats> hosts, EvidenceSource recap, double durationS,
        EvidenceSource durationSource) {
    public AnsibleRun {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(recap, "recap");
    }

    public boolean hasDuration() {
        return !Double.isNaN(durationS) && durationSource != null;
    }

    /** The sum of one counter over the hosts; -1 when a host's recap line does not have it (before ansible 2.8). */
    public long sum(String counter) {
        long s = 0;
        for (AnsibleHostStats h : hosts) {
            long v = h.get(counter);
            if (v < 0) {
                return -1;
            }
            s += v;
        }
        return s;
    }

    AnsibleRun withDuration(double seconds, EvidenceSource source) {
        return new AnsibleRun(hosts, recap, seconds, source);
    }
}
