package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.GateSpec;
import io.vaultcube.pipeline.gate.Policy;
import io.vaultcube.pipeline.gate.PolicyParser;
import io.vaultcube.pipeline.gate.report.HtmlReport;
import io.vaultcube.pipeline.gate.report.JUnitReport;
import io.vaultcube.pipeline.gate.report.JsonReport;
import io.vaultcube.pipeline.gate.report.MarkdownReport;
import io.vaultcube.pipeline.gate.report.ReportFiles;
import io.vaultcube.pipeline.run.ConsoleText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vault gate}: a policy's verdict over an evidence directory, with its reports. */
@Command(
        header = "Judge an evidence directory with a policy; write the reports.",
        name = "gate",
        mixinStandardHelpOptions = true,
        description = {
            "Evaluates a policy (docs/policy.md) over an evidence directory, prints the Markdown summary and"
                    + " writes the requested reports. With --check, only validates the policy (before a long run"
                    + " starts).",
            "Exit: 0 SUCCESS; 3 UNSTABLE; 1 FAILURE; 2 a malformed policy or unreadable evidence.",
        })
final class GateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy (YAML).")
    Path policy;

    @Option(names = "--evidence", paramLabel = "DIR", description = "The evidence directory of the run to judge.")
    Path evidence;

    @Option(names = "--baseline", paramLabel = "DIR",
            description = "The evidence directory of the baseline (e.g. the last promoted image) for min_ratio/max_ratio.")
    Path baseline;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the verdict as JSON (vault-gate-report/1).")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML: one test case per gate.")
    Path junit;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the self-contained HTML report.")
    Path html;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write the Markdown summary to a file too.")
    Path markdown;

    @Option(names = "--check", description = "Only validate the policy; needs no evidence.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Policy parsed = PolicyParser.load(policy);
        if (check) {
            long ratios = parsed.gates().stream().filter(GateSpec::usesBaseline).count();
            out.println("policy " + parsed.file() + " (" + parsed.name() + "): " + parsed.gates().size()
                    + " gates, " + ratios + " against a baseline; valid");
            out.flush();
            return ExitCodes.OK;
        }
        if (evidence == null) {
            throw CliException.usage("--evidence DIR is required (or --check to only validate the policy)");
        }
        GateRun run = GateRun.evaluate(parsed, evidence, baseline, Clock.systemUTC());
        if (baseline == null && parsed.usesBaseline()) {
            err.println("vault gate: no --baseline: the policy's baseline gates are skipped where optional,"
                    + " failed otherwise");
            err.flush();
        }
        String summary = MarkdownReport.render(run.report());
        if (json != null) {
            ReportFiles.write(json, JsonReport.render(run));
        }
        if (junit != null) {
            ReportFiles.write(junit, JUnitReport.render(run.report()));
        }
        if (html != null) {
            HtmlReport.write(html, run);
        }
        if (markdown != null) {
            ReportFiles.write(markdown, summary);
        }
        // The summary quotes evidence (a GPU name, a tool's message): no control character of it drives the terminal.
        out.print(ConsoleText.escapeExceptNewlines(summary));
        out.flush();
        return switch (run.verdict()) {
            case SUCCESS -> ExitCodes.OK;
            case UNSTABLE -> ExitCodes.UNSTABLE;
            default -> ExitCodes.FAILURE;
        };
    }
}
