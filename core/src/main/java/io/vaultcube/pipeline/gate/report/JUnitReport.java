package io.vaultcube.pipeline.gate.report;

import static io.vaultcube.pipeline.gate.report.Xml.escape;

import io.vaultcube.pipeline.gate.GateReport;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.gate.ValueFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The verdict as JUnit XML, so any CI shows gates as tests: one test case per row (per gate, and
 * per entity of per-entity gates); failed and unstable gates are {@code <failure>}s (type
 * {@code failure} or {@code unstable}), optional gates without evidence {@code <skipped/>}. Test
 * classes are {@code POLICY.SUBJECT} ({@code demo-box.gpu}), so Jenkins groups gates by subject.
 * The shape is the one Jenkins' junit step reads (Ant's format plus {@code skipped}).
 */
public final class JUnitReport {
    /** Ant's timestamp form: ISO 8601 without a zone; ours is UTC. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private JUnitReport() {
    }

    public static String render(GateReport report) {
        Map<GateStatus, Integer> counts = report.counts();
        int tests = report.gates().size();
        int failures = counts.get(GateStatus.FAILED) + counts.get(GateStatus.UNSTABLE);
        int skipped = counts.get(GateStatus.SKIPPED);
        String suite = "vault-gate." + report.policyName();
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<testsuites name=\"").append(escape(suite)).append("\" tests=\"").append(tests)
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" time=\"0\">\n");
        out.append("  <testsuite name=\"").append(escape(suite)).append("\" tests=\"").append(tests)
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"").append(skipped)
                .append("\" time=\"0\" timestamp=\"").append(TIMESTAMP.format(report.evaluated())).append("\">\n");
        out.append("    <properties>\n");
        property(out, "verdict", report.verdict().name());
        property(out, "policy.file", report.policyFile());
        property(out, "policy.name", report.policyName());
        property(out, "policy.sha256", report.policySha256());
        property(out, "evidence", report.evidence());
        property(out, "baseline", report.baseline() == null ? "" : report.baseline());
        property(out, "evaluated", report.evaluated().toString());
        out.append("    </properties>\n");
        for (GateResult r : report.gates()) {
            out.append("    <testcase classname=\"").append(escape(className(report, r))).append("\" name=\"")
                    .append(escape(r.testName())).append("\" time=\"0\"");
            out.append(">\n");
            if (r.failed()) {
                out.append("      <failure type=\"").append(r.severity().label()).append("\" message=\"")
                        .append(escape(r.message())).append("\">").append(escape(details(r))).append("</failure>\n");
            } else if (r.status() == GateStatus.SKIPPED) {
                out.append("      <skipped message=\"").append(escape(r.message())).append("\"/>\n");
            }
            out.append("      <system-out>").append(escape(details(r))).append("</system-out>\n");
            out.append("    </testcase>\n");
        }
        out.append("    <system-out>").append(escape("Verdict " + report.verdict() + ": " + report.summary()))
                .append("</system-out>\n");
        out.append("  </testsuite>\n");
        out.append("</testsuites>\n");
        return out.toString();
    }

    private static String className(GateReport report, GateResult r) {
        String metric = r.metric();
        int end = 0;
        while (end < metric.length() && metric.charAt(end) != '.' && metric.charAt(end) != '[') {
            end++;
        }
        return report.policyName() + "." + metric.substring(0, end);
    }

    /** Everything a person needs to judge the row, one fact a line. */
    static String details(GateResult r) {
        StringBuilder d = new StringBuilder();
        d.append("status: ").append(r.status()).append(" (severity ").append(r.severity().label()).append(")\n");
        d.append("metric: ").append(r.metric()).append('\n');
        if (r.entity() != null) {
            d.append("entity: ").append(r.entity()).append('\n');
        }
        d.append("observed: ").append(r.observed() == null ? "none" : ValueFormat.value(r.observed(), r.unit()))
                .append('\n');
        d.append("condition: ").append(r.condition()).append('\n');
        if (r.baseline() != null) {
            d.append("baseline: ").append(ValueFormat.number(r.baseline(), r.unit())).append('\n');
        }
        d.append("message: ").append(r.message()).append('\n');
        if (r.source() != null) {
            d.append("source: ").append(r.source()).append('\n');
        }
        if (r.description() != null) {
            d.append("description: ").append(r.description()).append('\n');
        }
        return d.toString();
    }

    private static void property(StringBuilder out, String name, String value) {
        out.append("      <property name=\"").append(escape(name)).append("\" value=\"").append(escape(value))
                .append("\"/>\n");
    }
}
