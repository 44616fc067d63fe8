package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceJson;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.run.ConsoleText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault metrics DIR}: every metric of an evidence directory, with where it came from. */
@Command(
        header = "List the metrics of an evidence directory, with their sources.",
        name = "metrics",
        mixinStandardHelpOptions = true,
        description = "Lists the metrics of an evidence directory: name, value, unit and the evidence file (and"
                + " line) each came from. Fails on garbled metrics.json files or names reported twice.")
final class MetricsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The evidence directory.")
    Path directory;

    @Option(names = "--json", description = "Print one JSON object: {\"evidence\": DIR, \"metrics\": {NAME: VALUE, ...}}.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        MetricSet metrics = EvidenceDir.open(directory).readAllMetrics();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("evidence", directory.toString());
            doc.put("metrics", metrics.values());
            out.println(EvidenceJson.mapper().writeValueAsString(doc));
        } else if (metrics.isEmpty()) {
            out.println("no metrics in " + directory);
        } else {
            int width = 0;
            for (Metric m : metrics) {
                width = Math.max(width, m.name().toString().length());
            }
            for (Metric m : metrics) {
                // A text value comes from a tool (a GPU name): no control character of it reaches the terminal.
                String value = ConsoleText.escapeControls(m.value() + (m.unit() == null ? "" : " " + m.unit()));
                out.printf("%-" + width + "s  %-20s  %s%n", m.name(), value, m.source() == null ? "" : m.source());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
