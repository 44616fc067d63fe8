package io.vaultcube.pipeline.gate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.evidence.EvidenceDigest;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.gate.GateReport;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.StageInfo;
import java.util.List;

/**
 * The verdict as JSON, schema {@code vault-gate-report/1} (docs/policy.md, Reports), which
 * {@code vault promote --gate-report} reads. Beyond the documented members each gate row carries
 * its {@code unit}, and the document carries {@code counts} and {@code stages}: additions only.
 */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    /** The report with its binding to the evidence it judged (what promotion requires). */
    public static String render(GateRun run) {
        return render(run.report(), run.evidenceFiles());
    }

    /** The report without a binding: promotion refuses it (for display and tests of the rows). */
    public static String render(GateReport report) {
        return render(report, null);
    }

    private static String render(GateReport report, List<EvidenceDigest.Entry> evidenceFiles) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", GateReport.SCHEMA);
        root.put("verdict", report.verdict().name());
        ObjectNode policy = root.putObject("policy");
        policy.put("file", report.policyFile());
        policy.put("name", report.policyName());
        policy.put("sha256", report.policySha256());
        root.put("evidence", report.evidence());
        root.put("baseline", report.baseline());
        root.put("evaluated", report.evaluated().toString());
        if (evidenceFiles != null) {
            // What ties this report to the evidence it judged; vault promote recomputes it.
            ObjectNode binding = root.putObject("binding");
            binding.put("evidenceSha256", EvidenceDigest.digest(evidenceFiles));
            ArrayNode files = binding.putArray("evidenceFiles");
            for (EvidenceDigest.Entry e : evidenceFiles) {
                files.addObject().put("path", e.path()).put("sha256", e.sha256());
            }
        }
        ObjectNode counts = root.putObject("counts");
        report.counts().forEach((status, n) -> counts.put(status.name(), n));
        ArrayNode gates = root.putArray("gates");
        for (GateResult r : report.gates()) {
            ObjectNode g = gates.addObject();
            g.put("id", r.id());
            g.put("metric", r.metric());
            g.put("entity", r.entity());
            g.put("condition", r.condition());
            putValue(g, "observed", r.observed());
            g.put("unit", r.unit());
            if (r.baseline() == null) {
                g.putNull("baseline");
            } else {
                putValue(g, "baseline", MetricValue.of(r.baseline()));
            }
            g.put("status", r.status().name());
            g.put("severity", r.severity().label());
            g.put("message", r.message());
            g.put("source", r.source() == null ? null : r.source().toString());
            g.put("description", r.description());
        }
        ArrayNode stages = root.putArray("stages");
        for (StageInfo s : report.stages()) {
            ObjectNode st = stages.addObject();
            st.put("stage", s.stage());
            st.put("status", s.status() == null ? null : s.status().name());
            st.put("recordedFrom", s.recordedFrom());
            st.put("metrics", s.hasMetrics());
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the gate report", e);
        }
    }

    private static void putValue(ObjectNode node, String field, MetricValue value) {
        if (value == null) {
            node.putNull(field);
        } else if (value instanceof MetricValue.Num n) {
            if (n.isIntegral()) {
                node.put(field, (long) n.value());
            } else {
                node.put(field, n.value());
            }
        } else if (value instanceof MetricValue.Bool b) {
            node.put(field, b.value());
        } else {
            node.put(field, ((MetricValue.Text) value).value());
        }
    }
}
