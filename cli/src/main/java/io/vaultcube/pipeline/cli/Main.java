package io.vaultcube.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/** Entry point of the {@code vault} command. */
public final class Main {
    /** How long Ctrl-C waits for running tools to stop (Packer's cleanup included). */
    private static final long SHUTDOWN_WAIT_SECONDS = 120;

    private Main() {
    }

    public static void main(String[] args) {
        Thread commandThread = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean();
        AtomicInteger exitCode = new AtomicInteger(ExitCodes.INTERRUPTED);
        // Ctrl-C or SIGTERM: interrupt the command, whose runner then stops its process tree
        // (SIGINT, grace, SIGTERM, SIGKILL), wait for that, and exit with the command's own status
        // (130 for an aborted run), not the JVM's 143 for SIGTERM.
        Thread hook = new Thread(() -> {
            shuttingDown.set(true);
            commandThread.interrupt();
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(exitCode.get());
        }, "vault-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = run(args);
        exitCode.set(code);
        finished.countDown();
        if (!shuttingDown.get()) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit status; never exits the JVM. */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The configured command line with every subcommand (tests set their own out and err writers on it). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The configured command line for these arguments: with only the subcommand they name when
     * they name one ({@code vault gate ...}, {@code vault help gate}), else with all of them (for
     * help and for the error of an unknown command); help is always there, last in the list.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new VaultCommand());
        int commandAt = args.length > 0 && args[0].equals(HelpCommand.NAME) ? 1 : 0;
        Class<?> only = args.length > commandAt ? VaultCommand.SUBCOMMANDS.get(args[commandAt]) : null;
        if (only != null) {
            cli.addSubcommand(only);
        } else {
            VaultCommand.SUBCOMMANDS.values().forEach(cli::addSubcommand);
        }
        cli.addSubcommand(HelpCommand.class);
        cli.setExecutionExceptionHandler(Main::handleException);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    private static int handleException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        // The whole name ('vault pipeline run'): a subcommand's own name alone ('vault run') is no command.
        String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
        if (e instanceof CliException cli) {
            err.println(prefix + cli.getMessage());
            err.flush();
            return cli.exitCode();
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            // Unreadable input: a missing file, a garbled evidence file, a directory we cannot read.
            err.println(prefix + describe(e));
            err.flush();
            return ExitCodes.USAGE;
        }
        if (e instanceof InterruptedException) {
            err.println(prefix + "interrupted");
            err.flush();
            return ExitCodes.INTERRUPTED;
        }
        err.println(prefix + "internal error: " + e);
        e.printStackTrace(err);
        err.println("This is a bug in vault; please report it with the output above.");
        err.flush();
        return ExitCodes.INTERNAL;
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (t instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
