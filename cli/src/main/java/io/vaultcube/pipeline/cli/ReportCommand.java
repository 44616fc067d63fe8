package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.gate.report.ReportFiles;
import io.vaultcube.pipeline.gate.report.trend.KeyFigure;
import io.vaultcube.pipeline.gate.report.trend.RunFigures;
import io.vaultcube.pipeline.gate.report.trend.RunFiguresReader;
import io.vaultcube.pipeline.gate.report.trend.TrendHtml;
import io.vaultcube.pipeline.gate.report.trend.TrendModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault report trend}: reports over several runs' evidence. */
@Command(
        header = "Reports over several runs: the trend of their figures.",
        name = "report",
        mixinStandardHelpOptions = true,
        description = {"Reports over the evidence directories of several runs."},
        subcommands = {ReportCommand.TrendCommand.class})
final class ReportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw SubcommandRequired.error(spec);
    }

    @Command(
            header = "Chart the figures of several runs: gates, DDP, vLLM, stress, Xid, duration.",
            name = "trend",
            mixinStandardHelpOptions = true,
            description = {
                "Reads each run's small figures (verdict and gate counts from the head of its gate report,"
                        + " the key figures from its metrics.json files, times from its stage.json files) and"
                        + " writes the trend: --html (a page with trend.js, trend.css and echarts.min.js beside"
                        + " it, nothing loaded from elsewhere) and/or --json (the chart model, vault-trend/1)."
                        + " Prints one line per run.",
                "Runs are charted in the order given, oldest first (the pipeline names evidence directories by"
                        + " UTC time, so a shell glob gives that order). A figure a run lacks is a gap.",
                "Exit: 0 written; 2 bad usage or unreadable evidence (a garbled metrics.json, stage.json or"
                        + " report.json, named).",
            })
    static final class TrendCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "The runs' evidence directories, oldest first.")
        List<Path> runs;

        @Option(names = "--html", paramLabel = "FILE", description = "Write the trend page (its files beside it).")
        Path html;

        @Option(names = "--json", paramLabel = "FILE", description = "Write the chart model as JSON (vault-trend/1).")
        Path json;

        @Option(names = "--gate-stage", paramLabel = "STAGE",
                description = "The stage whose report.json holds the verdict (default: the only stage that has one).")
        String gateStage;

        @Override
        public Integer call() throws IOException {
            List<RunFigures> figures = new ArrayList<>();
            Set<String> names = new HashSet<>();
            boolean sameNames = false;
            for (Path run : runs) {
                Path name = run.toAbsolutePath().normalize().getFileName();
                sameNames |= !names.add(name == null ? run.toString() : name.toString());
            }
            for (Path run : runs) {
                Path name = run.toAbsolutePath().normalize().getFileName();
                // A run is labelled by its directory's name, or by its path where two names are the same.
                String label = sameNames || name == null ? run.toString() : name.toString();
                figures.add(RunFiguresReader.read(run, run.toString(), label, gateStage));
            }
            TrendModel model = TrendModel.of(figures);
            if (json != null) {
                ReportFiles.write(json, model.toJson());
            }
            if (html != null) {
                TrendHtml.write(html, model);
            }
            PrintWriter out = spec.commandLine().getOut();
            for (RunFigures f : figures) {
                out.println(line(f));
            }
            if (html == null && json == null) {
                out.println("(no --html or --json: nothing written)");
            }
            out.flush();
            return ExitCodes.OK;
        }

        /** Control characters (an ANSI escape in a directory name) shown as '?', never sent to the terminal. */
        private static String printable(String text) {
            StringBuilder b = new StringBuilder(text.length());
            text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
            return b.toString();
        }

        /** A run in one line: label, verdict, counts and how many key figures it has. */
        private static String line(RunFigures f) {
            int have = 0;
            for (KeyFigure k : KeyFigure.values()) {
                have += f.figure(k) == null ? 0 : 1;
            }
            String verdict = f.getVerdict() == null ? "no gate report"
                    : f.getVerdict() + " (" + f.getPassed() + " passed, " + f.getUnstable() + " unstable, "
                            + f.getFailed() + " failed)";
            return printable(f.getLabel()) + ": " + verdict + "; " + have + " of " + KeyFigure.values().length
                    + " key figures" + (f.getRecordedStages().isEmpty() ? ""
                            : "; recorded evidence in " + String.join(", ", f.getRecordedStages()));
        }
    }
}
