package io.vaultcube.pipeline.evidence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Metrics by name, in the order they were added. A name appears once: adding it twice is a bug in
 * whoever measured it, and fails rather than letting one value silently replace another.
 */
public final class MetricSet implements Iterable<Metric> {
    private final Map<MetricName, Metric> byName = new LinkedHashMap<>();

    public MetricSet() {
    }

    public MetricSet(Collection<Metric> metrics) {
        metrics.forEach(this::add);
    }

    /** Adds a metric; throws {@link DuplicateMetricException} when the name is already present. */
    public MetricSet add(Metric metric) {
        Metric previous = byName.putIfAbsent(metric.name(), metric);
        if (previous != null) {
            throw new DuplicateMetricException(previous, metric);
        }
        return this;
    }

    public MetricSet addAll(Iterable<Metric> metrics) {
        metrics.forEach(this::add);
        return this;
    }

    /**
     * The same metrics with a namespace in front of each name: {@code xid.count} becomes
     * {@code stress.xid.count}. For a stage that reads a format another stage reads too, so that
     * names stay unique across the evidence directory.
     */
    public MetricSet withPrefix(String prefix) {
        MetricName.parse(prefix);
        MetricSet out = new MetricSet();
        for (Metric m : byName.values()) {
            out.add(new Metric(MetricName.parse(prefix + "." + m.name()), m.value(), m.unit(), m.source()));
        }
        return out;
    }

    /**
     * The same metrics moved from one root to another: {@code ansible.ok} under {@code ansible}
     * becomes {@code ansible.run[2].ok} under {@code ansible.run[2]}. A metric not under
     * {@code from} is refused, so nothing is silently dropped.
     */
    public MetricSet rebased(String from, String to) {
        MetricName.parse(from);
        MetricName.parse(to);
        MetricSet out = new MetricSet();
        for (Metric m : byName.values()) {
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

    public Optional<Metric> get(MetricName name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Metric> get(String name) {
        return get(MetricName.parse(name));
    }

    /** The number a metric holds; empty when there is no such metric or it is not a number. */
    public OptionalDouble number(String name) {
        return get(name).map(Metric::number).orElse(OptionalDouble.empty());
    }

    public boolean contains(String name) {
        return byName.containsKey(MetricName.parse(name));
    }

    /** The metrics a pattern matches, in insertion order. */
    public List<Metric> matching(MetricPattern pattern) {
        List<Metric> found = new ArrayList<>();
        for (Metric m : byName.values()) {
            if (pattern.matches(m.name())) {
                found.add(m);
            }
        }
        return found;
    }

    /** Name → plain value (Long, Double, Boolean or String), in insertion order. */
    public Map<String, Object> values() {
        Map<String, Object> out = new LinkedHashMap<>();
        byName.forEach((name, metric) -> out.put(name.toString(), metric.value().raw()));
        return out;
    }

    public List<Metric> asList() {
        return List.copyOf(byName.values());
    }

    public int size() {
        return byName.size();
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public Iterator<Metric> iterator() {
        return Collections.unmodifiableCollection(byName.values()).iterator();
    }

    /** Thrown when a name is added twice. */
    public static final class DuplicateMetricException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        DuplicateMetricException(Metric first, Metric second) {
            super("metric " + first.name() + " appears twice: " + describe(first) + " and " + describe(second));
        }

        private static String describe(Metric m) {
            return m.source() == null ? "(no source)" : m.source().toString();
        }
    }
}
