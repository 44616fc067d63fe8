package io.vaultcube.pipeline.parse.ansible;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metrics of one or more runs of the same playbook, named as docs/metrics.md says
 * (docs/metrics.md). The {@code ansible} and {@code ansible-json} parsers use it for the runs of one
 * file; the provision runner uses it for runs read from several files (run 1 converges, run 2 checks
 * idempotence): parse each file's runs with {@link AnsibleLogParser#readRuns} or
 * {@link AnsibleJsonParser#readRuns}, then call {@link #metrics(List, EvidenceSource)} once.
 *
 * <ul>
 *   <li>{@code ansible.ok|changed|skipped|rescued|ignored}: sums over the hosts of run 1;</li>
 *   <li>{@code ansible.failed|unreachable}: sums over the hosts of every run;</li>
 *   <li>{@code ansible.host[H].*}: the same per host;</li>
 *   <li>{@code ansible.run[N].*} and {@code ansible.run[N].host[H].*}: each run as it was (N from 1);</li>
 *   <li>{@code ansible.idempotent}: only with two runs or more: true iff runs 2..N have changed=0
 *       and failed=0 on every host;</li>
 *   <li>{@code ansible.duration_s}: the sum of the runs' durations, only when every run has one.</li>
 * </ul>
 */
public final class AnsibleRuns {
    /** The recap counters, in ansible's order. */
    public static final List<String> COUNTERS = List.of("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored");

    private AnsibleRuns() {
    }

    /**
     * @param runs at least one run, in order
     * @param whole the source cited by aggregates over several lines (the input file)
     */
    public static MetricSet metrics(List<AnsibleRun> runs, EvidenceSource whole) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no ansible run");
        }
        MetricSet m = new MetricSet();
        MetricName root = MetricName.root("ansible");
        Set<String> hosts = new LinkedHashSet<>();
        runs.forEach(r -> r.hosts().forEach(h -> hosts.add(h.host())));
        m.add(Metric.number(root.child("runs"), runs.size(), null, whole));
        m.add(Metric.number(root.child("hosts"), hosts.size(), null, whole));
        AnsibleRun first = runs.get(0);
        for (String c : COUNTERS) {
            boolean overAllRuns = c.equals("failed") || c.equals("unreachable");
            long sum = 0;
            for (AnsibleRun r : overAllRuns ? runs : List.of(first)) {
                long v = r.sum(c);
                sum = v < 0 || sum < 0 ? -1 : sum + v;
            }
            if (sum >= 0) { // a counter ansible did not print (before 2.8) is absent, not 0
                m.add(Metric.number(root.child(c), sum, null, whole));
            }
        }
        // Per host, with the same rule.
        Map<String, long[]> perHost = new LinkedHashMap<>();
        Map<String, EvidenceSource> hostSource = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (AnsibleHostStats h : runs.get(i).hosts()) {
                long[] v = perHost.computeIfAbsent(h.host(), k -> new long[COUNTERS.size()]);
                hostSource.merge(h.host(), h.source(), (a, b) -> a.equals(b) ? a : whole);
                for (int k = 0; k < COUNTERS.size(); k++) {
                    String c = COUNTERS.get(k);
                    boolean overAllRuns = c.equals("failed") || c.equals("unreachable");
                    if (overAllRuns || i == 0) {
                        long x = h.get(c);
                        v[k] = x < 0 || v[k] < 0 ? -1 : v[k] + x;
                    }
                }
            }
        }
        for (Map.Entry<String, long[]> e : perHost.entrySet()) {
            MetricName host = root.child("host").at(e.getKey());
            for (int k = 0; k < COUNTERS.size(); k++) {
                if (e.getValue()[k] >= 0) {
                    m.add(Metric.number(host.child(COUNTERS.get(k)), e.getValue()[k], null, hostSource.get(e.getKey())));
                }
            }
        }
        for (int i = 0; i < runs.size(); i++) {
            AnsibleRun r = runs.get(i);
            MetricName run = root.child("run").at(i + 1);
            m.add(Metric.number(run.child("hosts"), r.hosts().size(), null, r.recap()));
            for (String c : COUNTERS) {
                if (r.sum(c) >= 0) {
                    m.add(Metric.number(run.child(c), r.sum(c), null, r.recap()));
                }
            }
            for (AnsibleHostStats h : r.hosts()) {
                MetricName host = run.child("host").at(h.host());
                for (String c : COUNTERS) {
                    if (h.get(c) >= 0) {
                        m.add(Metric.number(host.child(c), h.get(c), null, h.source()));
                    }
                }
            }
            if (r.hasDuration()) {
                m.add(Metric.number(run.child("duration_s"), r.durationS(), "s", r.durationSource()));
            }
        }
        if (runs.size() >= 2) {
            boolean idempotent = true;
            for (AnsibleRun r : runs.subList(1, runs.size())) {
                for (AnsibleHostStats h : r.hosts()) {
                    if (h.changed() != 0 || h.failed() != 0) {
                        idempotent = false;
                    }
                }
            }
            m.add(Metric.bool(root.child("idempotent"), idempotent, whole));
        }
        if (runs.stream().allMatch(AnsibleRun::hasDuration)) {
            double total = 0;
            for (AnsibleRun r : runs) {
                total += r.durationS();
            }
            m.add(Metric.number(root.child("duration_s"), total, "s",
                    runs.size() == 1 ? first.durationSource() : whole));
        }
        return m;
    }
}
