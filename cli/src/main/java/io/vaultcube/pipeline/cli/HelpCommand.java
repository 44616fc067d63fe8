package io.vaultcube.pipeline.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code vault help [COMMAND [SUBCOMMAND]]}: the help {@code --help} prints, of vault or of a
 * command. picocli's own HelpCommand takes one COMMAND; this one also walks into a group, so
 * {@code vault help pipeline run} works.
 */
@Command(
        name = HelpCommand.NAME,
        header = "Show the help of vault or of a command.",
        helpCommand = true,
        description = "Prints the help of vault, or of COMMAND (and of SUBCOMMAND of a group such as pipeline or"
                + " images), as --help does.")
final class HelpCommand implements Runnable, CommandLine.IHelpCommandInitializable2 {
    static final String NAME = "help";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The command, then the subcommand of a group (vault help pipeline run).")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private CommandLine.Help.ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
            PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine command = self.getParent();
        for (String name : path) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                // Bad usage: the message, then the usage of the command whose subcommands were searched.
                throw new ParameterException(command, self.getCommandSpec().qualifiedName() + ": "
                        + command.getCommandSpec().qualifiedName() + " has no subcommand '" + name + "'");
            }
            command = sub;
        }
        command.usage(out, colors);
        out.flush();
    }
}
