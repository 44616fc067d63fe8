package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.evidence.StageEvidence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/** Synthetic evidence for the gate tests (never measured; see src/test/resources/gate/README.md). */
final class TestEvidence {
    /** The synthetic evidence on which policies/demo-box.yaml passes. */
    static final Path DEMO_BOX_PASS = resource("gate/evidence/demo-box-pass");
    /** A synthetic baseline for the demo box's ratio gates. */
    static final Path DEMO_BOX_BASELINE = resource("gate/evidence/demo-box-baseline");

    private TestEvidence() {
    }

    static Path resource(String name) {
        try {
            return Paths.get(TestEvidence.class.getClassLoader().getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of a directory tree, to change without touching the resources. */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(f -> {
                try {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }

    /** Replaces (or adds) one metric of a stage, keeping its unit and source when it had one. */
    static void set(Path evidence, String stage, String name, Object value) throws IOException {
        StageEvidence s = EvidenceDir.open(evidence).stage(stage);
        MetricSet out = new MetricSet();
        MetricName target = MetricName.parse(name);
        Metric old = null;
        for (Metric m : s.readMetrics()) {
            if (m.name().equals(target)) {
                old = m;
            } else {
                out.add(m);
            }
        }
        MetricValue v = value instanceof Number n ? MetricValue.of(n.doubleValue())
                : value instanceof Boolean b ? MetricValue.of(b) : MetricValue.of((String) value);
        out.add(new Metric(target, v, old == null ? null : old.unit(),
                old == null ? EvidenceSource.file(stage + "/synthetic") : old.source()));
        s.writeMetrics(out);
    }

    /** Removes one metric of a stage. */
    static void remove(Path evidence, String stage, String name) throws IOException {
        StageEvidence s = EvidenceDir.open(evidence).stage(stage);
        MetricSet out = new MetricSet();
        for (Metric m : s.readMetrics()) {
            if (!m.name().toString().equals(name)) {
                out.add(m);
            }
        }
        s.writeMetrics(out);
    }

    /** Metrics made inline: name, value, name, value, ... (values: Number, Boolean or String). */
    static MetricSet metrics(Object... nameValue) {
        MetricSet set = new MetricSet();
        for (int i = 0; i < nameValue.length; i += 2) {
            String name = (String) nameValue[i];
            Object value = nameValue[i + 1];
            EvidenceSource source = EvidenceSource.line("stage/file.txt", i / 2 + 1);
            if (value instanceof Number n) {
                set.add(Metric.number(name, n.doubleValue(), null, source));
            } else if (value instanceof Boolean b) {
                set.add(Metric.bool(name, b, source));
            } else {
                set.add(Metric.text(name, (String) value, source));
            }
        }
        return set;
    }
}
