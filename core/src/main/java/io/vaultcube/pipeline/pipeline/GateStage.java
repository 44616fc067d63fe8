package io.vaultcube.pipeline.pipeline;

import static io.vaultcube.pipeline.pipeline.PipelineRunner.REPORT_HTML;
import static io.vaultcube.pipeline.pipeline.PipelineRunner.REPORT_JSON;
import static io.vaultcube.pipeline.pipeline.PipelineRunner.REPORT_JUNIT;
import static io.vaultcube.pipeline.pipeline.PipelineRunner.REPORT_MARKDOWN;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.Policy;
import io.vaultcube.pipeline.gate.PolicyParser;
import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.gate.report.HtmlReport;
import io.vaultcube.pipeline.gate.report.JUnitReport;
import io.vaultcube.pipeline.gate.report.JsonReport;
import io.vaultcube.pipeline.gate.report.MarkdownReport;
import io.vaultcube.pipeline.gate.report.ReportFiles;
import io.vaultcube.pipeline.yaml.YamlException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code run: gate}: {@code vault gate} over the run's evidence so far. */
final class GateStage implements StageKind<StageSpec.Gate> {
    @Override
    public String id() {
        return "gate";
    }

    @Override
    public Class<StageSpec.Gate> specType() {
        return StageSpec.Gate.class;
    }

    @Override
    public List<String> keys() {
        return List.of("policy", "baseline");
    }

    @Override
    public StageSpec.Gate read(StageReader in) {
        return new StageSpec.Gate(in.name(), in.line(), in.text("policy", true), in.text("baseline", false));
    }

    @Override
    public void preflight(StageSpec.Gate g, PreflightChecks checks) {
        if (checks.exists("policy", g.policy(), true)) {
            try {
                PolicyParser.load(checks.resolve(g.policy()));
            } catch (YamlException e) {
                checks.problem("stage " + g.name() + ": its policy cannot be used:\n  "
                        + e.getMessage().replace("\n", "\n  "));
            } catch (IOException e) {
                checks.problem("stage " + g.name() + ": cannot read its policy: " + e.getMessage());
            }
        }
        checks.directory("baseline evidence", g.baseline());
    }

    @Override
    public StageOutcome run(StageSpec.Gate gate, PipelineRunner.Context context, Instant started)
            throws IOException {
        Policy policy = PolicyParser.load(context.path(gate.policy()));
        Path baseline = gate.baseline() == null ? null : context.path(gate.baseline());
        GateRun run = GateRun.evaluate(policy, context.evidence().root(), baseline, context.clock());
        StageEvidence stage = context.evidence().stage(gate.name());
        ReportFiles.write(stage.file(REPORT_JSON), JsonReport.render(run));
        ReportFiles.write(stage.file(REPORT_JUNIT), JUnitReport.render(run.report()));
        HtmlReport.write(stage.file(REPORT_HTML), run);
        ReportFiles.write(stage.file(BuildSummary.FILE), BuildSummary.of(run).toJson());
        String markdown = MarkdownReport.render(run.report());
        ReportFiles.write(stage.file(REPORT_MARKDOWN), markdown);
        context.console().println(markdown.stripTrailing());
        context.gates().put(gate.name(), run.verdict());
        stage.writeRecord(new StageRecord(gate.name(),
                run.verdict() == Verdict.FAILURE ? StageStatus.FAILED : StageStatus.SUCCEEDED, started,
                context.clock().instant(), List.of(), List.of("gate verdict " + run.verdict() + " (policy "
                        + policy.name() + "); reports " + REPORT_JSON + ", " + REPORT_JUNIT + ", " + REPORT_HTML
                        + ", " + REPORT_MARKDOWN), null));
        return new StageOutcome(gate.name(), gate.kind(), StageOutcome.Result.of(run.verdict()), run.verdict() == Verdict.FAILURE,
                Duration.between(started, context.clock().instant()), "report " + stage.file(REPORT_HTML));
    }
}
