package io.vaultcube.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    /** Runs vault in-process, registering the subcommands main would for these arguments. */
    static Run vault(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(args);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheSubcommandsAndTheExitCodes() {
        Run run = vault("--help");
        assertThat(run.code()).isZero();
        CommandLine cli = Main.commandLine();
        assertThat(cli.getSubcommands()).isNotEmpty();
        for (String name : cli.getSubcommands().keySet()) {
            assertThat(run.out()).contains("  " + name + " ");
            assertThat(vault(name, "--help").code()).as(name + " --help").isZero();
        }
        assertThat(run.out()).contains("Exit codes:", "0 ", "1 ", "2 ", "3 ");
    }

    @Test
    void aGroupWithoutItsSubcommandIsBadUsage() {
        Run vault = vault();
        assertThat(vault.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(vault.out()).isEmpty();
        assertThat(vault.err()).startsWith("vault: a command is required (see the list below)\nUsage: vault ")
                .contains("  pipeline ", "  help ");
        Run pipeline = vault("pipeline");
        assertThat(pipeline.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(pipeline.out()).isEmpty();
        assertThat(pipeline.err()).startsWith("vault pipeline: a subcommand is required (run, check)\n")
                .contains("Usage: vault pipeline ");
        assertThat(vault("images").err()).startsWith("vault images: a subcommand is required (list, show, verify, gc, push, diff)\n");
        assertThat(vault("images").code()).isEqualTo(ExitCodes.USAGE);
        // Asking for help is no error.
        assertThat(vault("--help").code()).isZero();
        assertThat(vault("pipeline", "--help").code()).isZero();
        assertThat(vault("images", "-h").code()).isZero();
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Run run = vault("--version");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("vault ").doesNotContain("${project.version}").doesNotContain("unknown");
    }

    @Test
    void badUsageAndUnreadableInputExitTwo() throws Exception {
        assertThat(vault("--no-such-option").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(vault("no-such-command").code()).isEqualTo(ExitCodes.USAGE);
        Run missing = vault("metrics", tmp.resolve("missing").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("does not exist");

        Files.createDirectories(tmp.resolve("ev/gpu"));
        Files.writeString(tmp.resolve("ev/gpu/metrics.json"), "{ not json");
        Run garbled = vault("metrics", tmp.resolve("ev").toString());
        assertThat(garbled.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbled.err()).contains("gpu/metrics.json", "not valid JSON");
    }

    @Test
    void metricsListsEveryMetricWithItsSource() throws Exception {
        EvidenceDir evidence = EvidenceDir.create(tmp.resolve("ev"));
        var stage = evidence.stage("gpu");
        stage.writeMetrics(new MetricSet()
                .add(Metric.number("gpu.count", 4, null, stage.source("query.csv", null)))
                .add(Metric.number("gpu[0].memory_total_mib", 32607, "MiB", stage.source("query.csv", 2L))));

        Run table = vault("metrics", tmp.resolve("ev").toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("gpu.count", "4", "gpu/query.csv").contains("32607 MiB", "gpu/query.csv:2");

        Run json = vault("metrics", "--json", tmp.resolve("ev").toString());
        assertThat(json.out()).contains("\"gpu.count\" : 4", "\"gpu[0].memory_total_mib\" : 32607");
        assertThat(json.out()).startsWith("{").contains("\"evidence\" : \"" + tmp.resolve("ev") + "\"");
        // The help says what --json prints: both members.
        assertThat(HelpTextTest.unwrapped(vault("metrics", "--help").out()))
                .contains("Print one JSON object: {\"evidence\": DIR, \"metrics\": {NAME: VALUE, ...}}.");
    }
}
