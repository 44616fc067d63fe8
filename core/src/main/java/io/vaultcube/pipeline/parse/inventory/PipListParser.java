package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.version.Pep440Version;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Python distributions of one environment (kind {@code pip-list}): {@code pip list
 * --format=json}, a JSON array of {@code {"name": ..., "version": ...}} (what
 * {@code scripts/collect-inventory.sh} writes from {@code importlib.metadata}, without needing pip).
 *
 * <p>Option {@code environment} (required) names the environment. Metrics:
 * {@code inventory.python[ENV].pkg[NAME].version} with NAME normalised as PEP 503 does (lower case,
 * runs of {@code -_.} as one {@code -}: {@code PyYAML} is {@code pyyaml}), and
 * {@code inventory.python[ENV].count}. A version that is not PEP 440 is kept as text (the gate
 * refuses to order it), a name listed twice is refused.
 */
public final class PipListParser implements EvidenceParser {

    @Override
    public String kind() {
        return "pip-list";
    }

    @Override
    public String description() {
        return "pip list --format=json of one Python environment (option environment=NAME)";
    }

    @Override
    public Set<String> options() {
        return Set.of("environment");
    }

    /** PEP 503's normalised name. */
    public static String normalize(String name) {
        return name.replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        String env = input.option("environment");
        if (env == null || env.isBlank()) {
            throw new ParseException(input.sourceName(), 0, "the pip-list format needs the option environment=NAME");
        }
        List<JsonDocuments.Node> docs = JsonDocuments.readAll(input, path -> true);
        if (docs.size() != 1 || !(docs.get(0) instanceof JsonDocuments.Arr list)) {
            throw new ParseException(input.sourceName(), 1, "expected one JSON array of {name, version} objects");
        }
        MetricName root = MetricName.root("inventory").child("python").at(env);
        MetricSet metrics = new MetricSet();
        Map<String, Long> seen = new HashMap<>();
        for (JsonDocuments.Node item : list.items()) {
            if (!(item instanceof JsonDocuments.Obj o) || !(o.get("name") instanceof JsonDocuments.Str name)
                    || !(o.get("version") instanceof JsonDocuments.Str version)) {
                throw new ParseException(input.sourceName(), line(item), "expected an object with text name and version");
            }
            if (name.value().isBlank() || version.value().isBlank()) {
                throw new ParseException(input.sourceName(), line(item), "a distribution without a name or version");
            }
            String key = normalize(name.value());
            Long before = seen.putIfAbsent(key, o.line());
            if (before != null) {
                throw new ParseException(input.sourceName(), o.line(), "distribution " + key + " is listed twice (also line "
                        + before + ")");
            }
            metrics.add(Metric.text(root.child("pkg").at(key).child("version"), version.value(), input.at(o.line())));
            if (!Pep440Version.isValid(version.value())) {
                // Kept, as pip shows it; a min_version gate on it fails with the reason.
                continue;
            }
        }
        metrics.add(Metric.number(root.child("count"), seen.size(), null, input.whole()));
        return metrics;
    }

    private static long line(JsonDocuments.Node node) {
        if (node instanceof JsonDocuments.Obj o) {
            return o.line();
        }
        if (node instanceof JsonDocuments.Str s) {
            return s.line();
        }
        return 1;
    }
}
