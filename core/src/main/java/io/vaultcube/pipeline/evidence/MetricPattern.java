package io.vaultcube.pipeline.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A metric name in which a key may be the wildcard {@code *}: {@code gpu[*].memory_total_mib}
 * matches {@code gpu[0].memory_total_mib}, {@code gpu[1].memory_total_mib}, and so on.
 */
public final class MetricPattern {
    private final String text;
    private final List<MetricName.Segment> segments;

    private MetricPattern(String text, List<MetricName.Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    public static MetricPattern parse(String text) {
        return new MetricPattern(text, NameSyntax.parse(text, true));
    }

    /** True when the pattern has at least one wildcard. */
    public boolean isWildcard() {
        return segments.stream().anyMatch(s -> NameSyntax.WILDCARD.equals(s.key()));
    }

    /** The keys the wildcards took, in order, when {@code name} matches; empty otherwise. */
    public Optional<List<String>> match(MetricName name) {
        List<MetricName.Segment> candidate = name.segments();
        if (candidate.size() != segments.size()) {
            return Optional.empty();
        }
        List<String> bound = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            MetricName.Segment p = segments.get(i);
            MetricName.Segment c = candidate.get(i);
            if (!p.identifier().equals(c.identifier())) {
                return Optional.empty();
            }
            if (NameSyntax.WILDCARD.equals(p.key())) {
                if (!c.hasKey()) {
                    return Optional.empty();
                }
                bound.add(c.key());
            } else if (p.hasKey() != c.hasKey() || (p.hasKey() && !p.key().equals(c.key()))) {
                return Optional.empty();
            }
        }
        return Optional.of(bound);
    }

    public boolean matches(MetricName name) {
        return match(name).isPresent();
    }

    /** The exact name this pattern stands for, when it has no wildcard. */
    public Optional<MetricName> exactName() {
        return isWildcard() ? Optional.empty() : Optional.of(MetricName.of(segments));
    }

    @Override
    public String toString() {
        return text;
    }
}
