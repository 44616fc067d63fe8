package io.vaultcube.jenkins.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.gate.Policy;
import io.vaultcube.pipeline.gate.PolicyException;
import io.vaultcube.pipeline.gate.PolicyParser;
import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.gate.report.HtmlReport;
import io.vaultcube.pipeline.gate.report.JUnitReport;
import io.vaultcube.pipeline.gate.report.JsonReport;
import io.vaultcube.pipeline.gate.report.MarkdownReport;
import io.vaultcube.pipeline.gate.report.ReportFiles;
import io.vaultcube.pipeline.pipeline.PipelineRunner;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * Judges this build's evidence directory with a policy on the agent, writes the four reports into
 * the gate's stage (as {@code vault pipeline run} does) and prints the summary table to the log.
 */
public final class GateCallable extends MasterToSlaveFileCallable<GateCallable.Outcome> {
    private static final long serialVersionUID = 1L;

    private final String policy;
    private final String baseline;
    private final String evidence;
    private final String stage;
    private final TaskListener listener;

    public GateCallable(String policy, String baseline, String evidence, String stage, TaskListener listener) {
        this.policy = policy;
        this.baseline = baseline;
        this.evidence = evidence;
        this.stage = stage;
        this.listener = listener;
    }

    /**
     * The verdict and where its reports are.
     *
     * @param verdict SUCCESS, UNSTABLE or FAILURE; FAILURE also when the policy or evidence cannot be read
     * @param summary the one-line summary of the report
     * @param counts gates by status (PASS, WARN, FAIL, ...)
     * @param reportDirectory the gate's stage directory, relative to the workspace
     */
    public record Outcome(String verdict, String summary, Map<String, Integer> counts, String reportDirectory)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Outcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = workspace.toPath().toAbsolutePath();
        PrintStream log = listener.getLogger();
        Path evidenceRoot = ws.resolve(evidence);
        String dir = StageSummary.relative(ws, evidenceRoot.resolve(stage));
        if (!Files.isDirectory(evidenceRoot)) {
            // Fail closed: a gate over no evidence must never pass.
            String why = "no evidence directory " + StageSummary.relative(ws, evidenceRoot)
                    + ": no stage of this build wrote evidence, so nothing can pass the gate";
            log.println("vault: gate: " + why);
            return new Outcome(Verdict.FAILURE.name(), why, Map.of(), dir);
        }
        Policy parsed;
        try {
            parsed = PolicyParser.load(ws.resolve(policy));
        } catch (PolicyException e) {
            log.println("vault: gate: " + e.getMessage());
            return new Outcome(Verdict.FAILURE.name(), e.getMessage(), Map.of(), dir);
        }
        Instant started = Instant.now();
        Path baselineDir = baseline == null ? null : ws.resolve(baseline);
        GateRun run = GateRun.evaluate(parsed, evidenceRoot, baselineDir, Clock.systemUTC());
        StageEvidence out = EvidenceDir.create(evidenceRoot).stage(stage);
        ReportFiles.write(out.file(PipelineRunner.REPORT_JSON), JsonReport.render(run.report()));
        ReportFiles.write(out.file(PipelineRunner.REPORT_JUNIT), JUnitReport.render(run.report()));
        // With its stylesheet beside it: Jenkins serves the copied report under a CSP without inline style.
        HtmlReport.write(out.file(PipelineRunner.REPORT_HTML), run);
        // What the build page shows, as data: the controller makes the HTML (never agent-made markup).
        ReportFiles.write(out.file(BuildSummary.FILE), BuildSummary.of(run).toJson());
        String markdown = MarkdownReport.render(run.report());
        ReportFiles.write(out.file(PipelineRunner.REPORT_MARKDOWN), markdown);
        out.writeRecord(new StageRecord(stage, run.verdict() == Verdict.FAILURE ? StageStatus.FAILED
                : StageStatus.SUCCEEDED, started, Instant.now(), List.of(), List.of("gate verdict " + run.verdict()
                        + " (policy " + parsed.name() + ")"), null));
        log.println(markdown.stripTrailing());
        log.flush();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Map.Entry<GateStatus, Integer> e : run.report().counts().entrySet()) {
            counts.put(e.getKey().name(), e.getValue());
        }
        return new Outcome(run.verdict().name(), run.report().summary(), counts, dir);
    }
}
