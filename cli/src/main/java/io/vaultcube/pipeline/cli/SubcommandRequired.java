package io.vaultcube.pipeline.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What a command group ({@code vault}, {@code vault pipeline}, {@code vault images}) does when run
 * without a subcommand: bad usage, exit 2, with the message and the group's usage on stderr (picocli's
 * handler of a ParameterException prints both); only {@code --help} is a request for help.
 */
final class SubcommandRequired {
    private SubcommandRequired() {
    }

    static ParameterException error(CommandSpec group) {
        String name = group.qualifiedName();
        // vault's own list is long, and it follows in the usage.
        String message = group.parent() == null
                ? name + ": a command is required (see the list below)"
                : name + ": a subcommand is required (" + String.join(", ", group.subcommands().keySet()) + ")";
        return new ParameterException(group.commandLine(), message);
    }
}
