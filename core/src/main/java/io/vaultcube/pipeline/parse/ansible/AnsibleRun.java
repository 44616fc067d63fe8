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

    /** The sum of one counter over the hosts. */
    public long sum(String counter) {
        long s = 0;
        for (AnsibleHostStats h : hosts) {
            s += h.get(counter);
        }
        return s;
    }

    AnsibleRun withDuration(double seconds, EvidenceSource source) {
        return new AnsibleRun(hosts, recap, seconds, source);
    }
}
