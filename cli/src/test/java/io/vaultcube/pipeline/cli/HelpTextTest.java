package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.MainTest.vault;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the help of every command says, and how it is laid out. */
class HelpTextTest {
    /** Every command line: vault, its subcommands, theirs. */
    static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        addWithSubcommands(Main.commandLine(), all);
        return all;
    }

    private static void addWithSubcommands(CommandLine cli, List<CommandLine> all) {
        all.add(cli);
        cli.getSubcommands().values().forEach(sub -> addWithSubcommands(sub, all));
    }

    static String usage(CommandLine cli) {
        StringWriter out = new StringWriter();
        cli.usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    /** Help text with its line breaks undone, so a phrase is found wherever picocli wrapped it. */
    static String unwrapped(String text) {
        return text.replaceAll("\\s+", " ");
    }

    @Test
    void helpPrintsWhatHelpOptionPrints() {
        MainTest.Run help = vault("help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).isEqualTo(vault("--help").out()).contains("  help  ");
        MainTest.Run gate = vault("help", "gate");
        assertThat(gate.code()).isZero();
        assertThat(gate.out()).isEqualTo(vault("gate", "--help").out()).contains("Usage: vault gate ");
        MainTest.Run run = vault("help", "pipeline", "run");
        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo(vault("pipeline", "run", "--help").out());
        assertThat(vault("help", "images").out()).isEqualTo(vault("images", "--help").out());
        // Help for one command builds only that command's model, as running it does.
        assertThat(Main.commandLine("help", "gate").getSubcommands().keySet()).containsExactly("gate", "help");
    }

    @Test
    void helpOfAnUnknownCommandIsBadUsage() {
        MainTest.Run unknown = vault("help", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith("vault help: vault has no subcommand 'nope'\nUsage: vault ");
        MainTest.Run nested = vault("help", "pipeline", "nope");
        assertThat(nested.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(nested.err()).startsWith("vault help: vault pipeline has no subcommand 'nope'\n")
                .contains("Usage: vault pipeline ");
    }

    @Test
    void noDescriptionInterpolatesAVariableToNull() {
        MainTest.Run run = vault("pipeline", "run", "--help");
        assertThat(run.code()).isZero();
        assertThat(unwrapped(run.out())).contains("${evidence} is the run's evidence directory").doesNotContain("null");
        for (CommandLine cli : everyCommand()) {
            // A '${NAME}' in an annotation is a picocli variable: unless escaped ('$${NAME}') it reads null.
            assertThat(usage(cli)).as(cli.getCommandSpec().qualifiedName()).doesNotContain("null");
        }
    }

    @Test
    void everyListOfSubcommandsShowsEachOnesWholeHeader() {
        for (CommandLine cli : everyCommand()) {
            // picocli lists a subcommand by its header, else by the first line of its description.
            String help = unwrapped(usage(cli));
            cli.getSubcommands().forEach((name, sub) -> {
                String[] header = sub.getCommandSpec().usageMessage().header();
                assertThat(header).as(sub.getCommandSpec().qualifiedName()).hasSize(1);
                assertThat(header[0]).as(sub.getCommandSpec().qualifiedName()).endsWith(".");
                assertThat(help).contains(" " + name + " " + header[0] + " ");
            });
        }
        assertThat(unwrapped(vault("pipeline", "--help").out()))
                .contains(" run Run every stage of a pipeline file, in order. ");
        assertThat(unwrapped(vault("images", "--help").out()))
                .contains(" gc Remove old versions; keep the newest and every channel's. ");
    }

    @Test
    void everyDescriptionParagraphIsWholeForPicocliToWrap() {
        for (CommandLine cli : everyCommand()) {
            // A paragraph broken in the source and then wrapped again at 80 columns reads ragged.
            for (String paragraph : cli.getCommandSpec().usageMessage().description()) {
                assertThat(paragraph).as(cli.getCommandSpec().qualifiedName()).doesNotContain("%n").endsWith(".");
            }
        }
        String gate = vault("gate", "--help").out();
        assertThat(gate).contains("Evaluates a policy (docs/policy.md) over an evidence directory, prints the\n"
                + "Markdown summary and writes the requested reports.");
    }
}
