package io.vaultcube.pipeline.gate.report;

import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateReport;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.StageInfo;
import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.gate.GateStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The verdict as Markdown: a verdict line, notes on recorded or failed stages, and a table with
 * every row that did not pass (failed first, each entity on its own row) and then one row per
 * passed gate (a per-entity gate's entities on one row). Reads in a terminal and renders in a pull
 * request.
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    public static String render(GateReport report) {
        return render(ReportModel.of(report));
    }

    /** The summary of a report model (the rows the HTML report and the Jenkins pages show too). */
    public static String render(ReportModel model) {
        GateReport report = model.getReport();
        StringBuilder out = new StringBuilder();
        out.append("## Gate ").append(report.verdict()).append(": policy ").append(report.policyName())
                .append(" (").append(report.summary()).append(")\n\n");
        out.append("Evidence `").append(code(report.evidence())).append("`");
        if (report.baseline() != null) {
            out.append(", baseline `").append(code(report.baseline())).append("`");
        }
        out.append(", policy `").append(code(report.policyFile())).append("` (sha256 ")
                .append(report.policySha256() == null ? "?" : report.policySha256().substring(0, 12))
                .append("), evaluated ").append(report.evaluated()).append(".\n");
        Map<String, List<String>> recorded = new LinkedHashMap<>();
        for (StageInfo s : report.stages()) {
            if (s.status() == StageStatus.RECORDED) {
                recorded.computeIfAbsent(s.recordedFrom() == null ? "" : s.recordedFrom(), k -> new ArrayList<>())
                        .add(s.stage());
            } else if (s.status() == StageStatus.FAILED || s.status() == StageStatus.ABORTED) {
                out.append("\n> Stage ").append(cell(s.stage())).append(" ").append(s.status())
                        .append(s.messages().isEmpty() ? "" : ": " + cell(String.join("; ", s.messages())));
            }
        }
        recorded.forEach((from, names) -> out.append("\n> Recorded evidence, not measured in this run: stage")
                .append(names.size() == 1 ? " " : "s ").append(cell(String.join(", ", names)))
                .append(from.isEmpty() ? "" : " (from " + cell(from) + ")").append('.'));
        out.append("\n\n");
        boolean baseline = model.hasBaseline();
        List<String> head = new ArrayList<>(List.of("Status", "Gate", "Observed", "Condition"));
        if (baseline) {
            head.add("Baseline");
        }
        head.addAll(List.of("Message", "Source"));
        out.append("| ").append(String.join(" | ", head)).append(" |\n");
        out.append("|").append("---|".repeat(head.size())).append("\n");
        Map<String, List<GateResult>> passed = new LinkedHashMap<>();
        for (GateResult r : model.getGateRows()) {
            if (r.status() == GateStatus.PASSED) {
                passed.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
            } else {
                row(out, r, cell(r.testName()), baseline);
            }
        }
        // A passed per-entity gate is one line; its entities are listed by name.
        for (List<GateResult> rows : passed.values()) {
            if (rows.size() == 1) {
                row(out, rows.get(0), cell(rows.get(0).testName()), baseline);
                continue;
            }
            List<String> entities = new ArrayList<>();
            GateResult sample = rows.get(0);
            Set<String> values = new LinkedHashSet<>();
            Set<String> files = new LinkedHashSet<>();
            for (GateResult r : rows) {
                if (r.entity() == null) {
                    continue;
                }
                sample = r;
                entities.add(r.entity());
                values.add(r.observed() == null ? "-" : ValueFormat.value(r.observed(), r.unit()));
                files.add(r.source() == null ? "" : r.source().file());
            }
            List<String> cells = new ArrayList<>();
            cells.add("ok");
            cells.add(cell(sample.id() + " (" + String.join(", ", entities) + ")"));
            cells.add(cell(values.size() == 1 ? values.iterator().next() : String.join(", ", values)));
            cells.add(cell(sample.condition()));
            if (baseline) {
                cells.add("");
            }
            cells.add(cell("all " + entities.size() + " pass"));
            cells.add(files.size() == 1 ? cell(files.iterator().next()) : "");
            out.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return out.toString();
    }

    private static void row(StringBuilder out, GateResult r, String name, boolean baseline) {
        List<String> cells = new ArrayList<>();
        cells.add(status(r));
        cells.add(name);
        cells.add(r.observed() == null ? "-" : cell(ValueFormat.value(r.observed(), r.unit())));
        cells.add(cell(r.condition()));
        if (baseline) {
            cells.add(r.baseline() == null ? "" : cell(ValueFormat.number(r.baseline(), r.unit())));
        }
        cells.add(cell(r.message()));
        cells.add(r.source() == null ? "" : cell(r.source().toString()));
        out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }

    private static String status(GateResult r) {
        return switch (r.status()) {
            case FAILED -> "**FAIL**";
            case UNSTABLE -> "**UNSTABLE**";
            case SKIPPED -> "skip";
            default -> "ok";
        };
    }

    /**
     * Text for a table cell: one line, pipes escaped, and a '<' that could open an HTML tag written
     * as an entity (tool output must not become markup in a pull request).
     */
    static String cell(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char next = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
            if (c == '|') {
                out.append("\\|");
            } else if (c == '\n' || c == '\r' || c == '\t') {
                out.append(' ');
            } else if (c == '<' && (Character.isLetter(next) || next == '/' || next == '!' || next == '?')) {
                out.append("&lt;");
            } else if (c == '`') {
                out.append("\\`");
            } else if (Character.isISOControl(c)) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Text inside a code span: backticks would end it. */
    private static String code(String text) {
        return text.replace('`', '\'').replace('\n', ' ');
    }
}
