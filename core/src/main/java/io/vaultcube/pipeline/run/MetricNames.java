package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;

/** Moving a parser's metrics under another name, e.g. one run's {@code ansible.ok} to {@code ansible.run[2].ok}. */
public final class MetricNames {
    private MetricNames() {
    }

    /**
     * Every metric whose name starts with {@code from} (a whole first part of the name, e.g.
     * {@code ansible}) renamed to start with {@code to} instead ({@code ansible.run[2]}); metrics
     * with other names are refused, so nothing is silently dropped.
     */
    public static MetricSet rebase(MetricSet metrics, String from, String to) {
        MetricName.parse(from);
        MetricName.parse(to);
        MetricSet out = new MetricSet();
        for (Metric m : metrics) {
            String name = m.name().toString();
            String rest;
            if (name.equals(from)) {
                rest = "";
            } else if (name.startsWith(from + ".")) {
                rest = name.substring(from.length());
            } else {
                throw new IllegalArgumentException("metric " + name + " is not under " + from);
            }
            out.add(new Metric(MetricName.parse(to + rest), m.value(), m.unit(), m.source()));
        }
        return out;
    }
}
