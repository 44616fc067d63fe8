package io.vaultcube.jenkins.model;

import static io.vaultcube.pipeline.gate.report.Xml.escape;

import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.gate.report.ReportModel;
import io.vaultcube.pipeline.gate.report.trend.KeyFigure;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTML of a gate's summary box (the build's main page) and of its own page, made in Java so
 * that it is tested without Jenkins, and included raw by the Jelly views. Every value that came
 * from a tool, an agent or a policy is escaped here; no script and no inline style (the classes are
 * styled by {@value #STYLESHEET}, which Jenkins serves as an adjunct).
 */
public final class BuildPageHtml {
    /** The stylesheet's resource, beside this class's package. */
    public static final String STYLESHEET = "io/vaultcube/jenkins/model/assets/vault-page.css";
    /** The GPU rows the summary box shows (with every row that has a failed cell); the page shows all. */
    static final Set<String> BOX_GPU_ROWS = Set.of("name", "memory_total_mib", "driver_version",
            "vbios_version", "pcie_gen_max", "pcie_width_max", "pci_bus_id", "temperature_c", "power_limit_w");

    private BuildPageHtml() {
    }

    /**
     * The summary box.
     *
     * @param a the gate's action
     * @param pageUrl the gate's page, relative to where the box is shown ({@code vault/})
     */
    public static String summaryBox(VaultRunAction a, String pageUrl) {
        StringBuilder out = new StringBuilder(8 * 1024);
        BuildSummary s = a.storedSummary();
        String verdict = a.getVerdict();
        out.append("<div class=\"vault-summary vault-").append(cssWord(verdict)).append("\">\n");
        out.append("<div class=\"vault-head\"><span class=\"vault-verdict\">").append(escape(verdict))
                .append("</span> <span class=\"vault-title\">Vault gate")
                .append(a.getNode() == null ? "" : " on " + escape(a.getNode())).append(": policy <b>")
                .append(escape(a.getPolicyName())).append("</b>, ").append(escape(a.getSummary()))
                .append("</span></div>\n");
        recorded(out, a, s);
        if (s == null) {
            out.append("<p class=\"vault-missing\">The gate's details cannot be shown: ")
                    .append(escape(a.summaryProblem())).append(".</p>\n");
        } else {
            problems(out, s);
            gpus(out, s, pageUrl.isEmpty());
        }
        figures(out, a, s);
        promoted(out, a.getPromoted());
        out.append("<p class=\"vault-links\"><a href=\"").append(escape(pageUrl))
                .append("\">Full report, stages and evidence files</a></p>\n</div>\n");
        return out.toString();
    }

    /** The gate's page: the summary box, the stages, the evidence files and the full report. */
    public static String page(VaultRunAction a, List<String> files) {
        StringBuilder out = new StringBuilder(16 * 1024);
        out.append(summaryBox(a, ""));
        BuildSummary s = a.storedSummary();
        if (s != null && !s.stages().isEmpty()) {
            out.append("<h2>Stages</h2>\n<table class=\"vault-table vault-stages\">\n<tr><th>Stage</th><th>Status</th>"
                    + "<th>Notes</th></tr>\n");
            for (BuildSummary.Stage st : s.stages()) {
                StringBuilder notes = new StringBuilder();
                if (st.recorded()) {
                    notes.append("RECORDED evidence").append(st.recordedFrom() == null ? ""
                            : " from " + st.recordedFrom()).append(", not measured in this build");
                }
                for (String m : st.notes()) {
                    notes.append(notes.length() == 0 ? "" : "; ").append(m);
                }
                out.append("<tr class=\"").append(st.recorded() ? "vault-recorded-row" : "").append("\"><td>")
                        .append(escape(st.name())).append("</td><td>")
                        .append(escape(st.status() == null ? "no stage.json" : st.status())).append("</td><td>")
                        .append(escape(notes.toString())).append("</td></tr>\n");
            }
            out.append("</table>\n");
        }
        out.append("<h2>Evidence files</h2>\n");
        if (files.isEmpty()) {
            out.append("<p>This build kept no evidence files.</p>\n");
        } else {
            out.append("<ul class=\"vault-files\">\n");
            for (String f : files) {
                out.append("<li><a href=\"files/").append(escape(urlPath(f))).append("\">").append(escape(f))
                        .append("</a></li>\n");
            }
            out.append("</ul>\n");
        }
        if (!a.getLeftOnAgent().isEmpty()) {
            out.append("<p>Left on the agent (").append(escape(a.getNode() == null ? "" : a.getNode()))
                    .append(" ").append(escape(a.getEvidence())).append("):</p>\n<ul class=\"vault-left\">\n");
            a.getLeftOnAgent().forEach(f -> out.append("<li>").append(escape(f)).append("</li>\n"));
            out.append("</ul>\n");
        }
        String report = a.getStage() + "/report.html";
        if (files.contains(report)) {
            out.append("<h2>Full report</h2>\n<p>The gate table, the GPU table, the benchmarks and the telemetry plots, "
                    + "as <code>vault gate</code> wrote them (<a href=\"files/").append(escape(urlPath(report)))
                    .append("\">open alone</a>).</p>\n<iframe class=\"vault-report\" title=\"vault gate report\" src=\"files/")
                    .append(escape(urlPath(report))).append("\"></iframe>\n");
        }
        return out.toString();
    }

    private static void recorded(StringBuilder out, VaultRunAction a, BuildSummary s) {
        if (a.getRecordedStages().isEmpty()) {
            return;
        }
        out.append("<p class=\"vault-recorded\"><b>RECORDED evidence:</b> stage");
        out.append(a.getRecordedStages().size() == 1 ? " " : "s ");
        boolean first = true;
        for (String name : a.getRecordedStages()) {
            out.append(first ? "" : ", ").append("<b>").append(escape(name)).append("</b>");
            String from = s == null ? null : s.stages().stream().filter(st -> st.name().equals(name))
                    .map(BuildSummary.Stage::recordedFrom).filter(f -> f != null).findFirst().orElse(null);
            if (from != null) {
                out.append(" (from ").append(escape(from)).append(")");
            }
            first = false;
        }
        out.append(" read evidence recorded elsewhere: nothing was measured in this build for ")
                .append(a.getRecordedStages().size() == 1 ? "it" : "them").append(".</p>\n");
    }

    private static void problems(StringBuilder out, BuildSummary s) {
        if (s.problems().isEmpty()) {
            out.append("<p class=\"vault-allpass\">No gate failed or is unstable.</p>\n");
            return;
        }
        out.append("<table class=\"vault-table vault-problems\">\n<tr><th>Status</th><th>Gate</th><th>Observed</th>"
                + "<th>Condition</th><th>Evidence</th></tr>\n");
        for (BuildSummary.Problem p : s.problems()) {
            out.append("<tr class=\"vault-").append(cssWord(p.status())).append("\"><td>").append(escape(p.status()))
                    .append("</td><td>").append(escape(p.gate())).append("<div class=\"vault-message\">")
                    .append(escape(p.message())).append("</div></td><td>")
                    .append(escape(p.observed() == null ? "none" : p.observed())).append("</td><td>")
                    .append(escape(p.condition())).append("</td><td><code>")
                    .append(escape(p.source() == null ? "no evidence" : p.source())).append("</code></td></tr>\n");
        }
        out.append("</table>\n");
        if (s.problemsLeftOut() > 0) {
            out.append("<p>").append(s.problemsLeftOut()).append(" more in the full report.</p>\n");
        }
    }

    private static void gpus(StringBuilder out, BuildSummary s, boolean allRows) {
        BuildSummary.GpuTable t = s.gpus();
        if (t.gpus().isEmpty()) {
            return;
        }
        out.append("<table class=\"vault-table vault-gpus\">\n<tr><th>GPU</th>");
        t.gpus().forEach(g -> out.append("<th>").append(escape(g)).append("</th>"));
        out.append("</tr>\n");
        for (BuildSummary.GpuRow row : t.rows()) {
            if (!allRows && !BOX_GPU_ROWS.contains(row.property())
                    && row.cells().stream().noneMatch(c -> c != null && c.failed())) {
                continue;
            }
            out.append("<tr><th>").append(escape(row.property())).append("</th>");
            for (ReportModel.Cell c : row.cells()) {
                if (c == null) {
                    out.append("<td></td>");
                } else {
                    out.append("<td").append(c.failed() ? " class=\"vault-failed\"" : "").append(" title=\"")
                            .append(escape(c.source())).append("\">").append(escape(c.text())).append("</td>");
                }
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
    }

    private static void figures(StringBuilder out, VaultRunAction a, BuildSummary s) {
        if (s != null && !s.figures().isEmpty()) {
            out.append("<table class=\"vault-table vault-figures\">\n");
            for (BuildSummary.Figure f : s.figures()) {
                out.append("<tr><th>").append(escape(f.label())).append("</th><td>").append(escape(f.text()))
                        .append("</td><td><code>").append(escape(f.source() == null ? "" : f.source()))
                        .append("</code></td></tr>\n");
            }
            out.append("</table>\n");
        } else if (!a.getFigures().getFigures().isEmpty()) {
            out.append("<table class=\"vault-table vault-figures\">\n");
            for (KeyFigure k : KeyFigure.values()) {
                Double v = a.getFigures().figure(k);
                if (v != null) {
                    out.append("<tr><th>").append(escape(k.label())).append("</th><td>")
                            .append(escape(ValueFormat.number(v, "ratio".equals(k.unit()) ? null : k.unit())))
                            .append("</td><td></td></tr>\n");
                }
            }
            out.append("</table>\n");
        }
    }

    private static void promoted(StringBuilder out, PromotedImage p) {
        if (p == null) {
            return;
        }
        out.append("<div class=\"vault-image\"><b>Promoted image</b> ").append(escape(p.getImage())).append(" ")
                .append(escape(p.getVersion())).append(" on ").append(escape(p.getChannels())).append(" (")
                .append(escape(p.getOutcome())).append(", ").append(escape(p.getRepository())).append(")\n");
        if (!p.getFiles().isEmpty()) {
            out.append("<table class=\"vault-table vault-sums\">\n<tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr>\n");
            for (PromotedImage.File f : p.getFiles()) {
                out.append("<tr><td>").append(escape(f.getName())).append("</td><td>").append(f.getSize())
                        .append("</td><td><code>").append(escape(f.getSha256())).append("</code></td></tr>\n");
            }
            out.append("</table>\n");
        }
        out.append("</div>\n");
    }

    /** A class-name word for a status: letters only, so no value can break out of the attribute. */
    static String cssWord(String status) {
        String w = status == null ? "unknown" : status.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
        return w.isEmpty() ? "unknown" : w;
    }

    /** A stored file's path as a URL path: each segment percent-encoded. */
    static String urlPath(String relative) {
        StringBuilder out = new StringBuilder();
        for (String seg : relative.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
