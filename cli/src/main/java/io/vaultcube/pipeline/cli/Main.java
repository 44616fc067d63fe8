package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.exec.LiveRuns;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/** Entry point of the {@code vault} command. */
public final class Main {
    /** How long Ctrl-C waits for running tools to stop (Packer's cleanup included). */
    private static final Duration TOOLS_STOP_WAIT = Duration.ofSeconds(120);
    /**
     * How long Ctrl-C waits for the command's own work once no tool of it runs (it writes its stage
     * record then). Work that never looks at its interrupt flag is not waited for longer.
     */
    private static final Duration COMMAND_IDLE_WAIT = Duration.ofSeconds(10);

    // Built before they are needed: after an OutOfMemoryError there may be no memory to build them.
    private static final String OUT_OF_MEMORY = "vault: out of memory: this input needs more than the Java heap"
            + " of this run (" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB); raise it with"
            + " VAULT_JAVA_OPTS=-Xmx... (exit " + ExitCodes.RESOURCES + ")";
    private static final String STACK_OVERFLOW = "vault: stack overflow: this input is nested too deeply for the"
            + " thread stack of this run; raise it with VAULT_JAVA_OPTS=-Xss... (exit " + ExitCodes.RESOURCES + ")";
    private static final String INTERRUPTED = "vault: interrupted";

    private Main() {
    }

    public static void main(String[] args) {
        Thread commandThread = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        AtomicInteger exitCode = new AtomicInteger(ExitCodes.INTERRUPTED);
        // Ctrl-C or SIGTERM: interrupt the command and ask every running tool to stop its process
        // tree (SIGINT, grace, SIGTERM, SIGKILL); wait for the tools, then briefly for the command,
        // and exit with the command's own status (130 for an aborted run), not the JVM's 143.
        Thread hook = new Thread(() -> {
            if (finished.getCount() > 0) {
                stopWork(commandThread, finished);
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(exitCode.get());
        }, "vault-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = run(args);
        } catch (OutOfMemoryError e) {
            code = fatal(OUT_OF_MEMORY, ExitCodes.RESOURCES);
        } catch (StackOverflowError e) {
            code = fatal(STACK_OVERFLOW, ExitCodes.RESOURCES);
        } catch (Error e) {
            code = fatal("vault: internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "; this is a bug in vault, please report it (exit " + ExitCodes.INTERNAL + ")",
                    ExitCodes.INTERNAL);
        }
        exitCode.set(code);
        finished.countDown();
        System.exit(code);
    }

    /**
     * Interrupts the command and stops the tools running now; then waits for the command to end
     * (it writes its stage record, and may run a tool to collect evidence of the abort) while it
     * has tools running, and for at most {@link #COMMAND_IDLE_WAIT} of its own work beyond them.
     */
    private static void stopWork(Thread commandThread, CountDownLatch finished) {
        commandThread.interrupt();
        LiveRuns.cancelAll();
        long deadline = System.nanoTime() + TOOLS_STOP_WAIT.toNanos();
        long toolsGoneAt = System.nanoTime();
        try {
            while (!finished.await(50, TimeUnit.MILLISECONDS)) {
                long now = System.nanoTime();
                if (LiveRuns.count() > 0) {
                    toolsGoneAt = now;
                } else if (now - toolsGoneAt > COMMAND_IDLE_WAIT.toNanos() || now > deadline) {
                    System.err.println(INTERRUPTED);
                    return;
                }
                if (now > deadline) {
                    LiveRuns.cancelAll();
                    LiveRuns.awaitNone(Duration.ofSeconds(15));
                    System.err.println(INTERRUPTED);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line on stderr, no stack trace (a JVM Error is no bug report of the input's making). */
    private static int fatal(String message, int code) {
        System.out.flush();
        System.err.println(message);
        System.err.flush();
        return code;
    }

    /** Runs the command line and returns its exit status; never exits the JVM. */
    public static int run(String... args) {
        ParseCommand plain = ParseCommand.plain(args);
        if (plain != null) {
            return plain.runPlain(console(System.out, "sun.stdout.encoding"), console(System.err, "sun.stderr.encoding"));
        }
        return commandLine(args).execute(args);
    }

    /**
     * A writer on a standard stream made as picocli makes its own: the encoding the JVM names for
     * it (cp65001 is UTF-8), else the default; buffered, flushed at each line.
     */
    static PrintWriter console(OutputStream stream, String encodingProperty) {
        Charset charset = Charset.defaultCharset();
        String name = System.getProperty(encodingProperty);
        if (name != null) {
            try {
                charset = Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
            } catch (IllegalArgumentException e) {
                // an encoding this JVM lacks: the default, as picocli does
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
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
        // The whole name ('vault pipeline run'): a subcommand's own name alone ('vault run') is no command.
        return report(e, cmd.getCommandSpec().qualifiedName(), cmd.getErr());
    }

    /** Says on err why {@code command} failed with e and returns its exit status. */
    static int report(Exception e, String command, PrintWriter err) {
        String prefix = command + ": ";
        if (interrupted(e)) {
            // Ctrl-C or SIGTERM reached the command in an interruptible read: the read's own
            // exception (ClosedByInterruptException) is no error of the input.
            err.println(prefix + "interrupted");
            err.flush();
            return ExitCodes.INTERRUPTED;
        }
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
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            // A JVM Error in a worker thread, handed on wrapped: the same one line as on the main thread.
            if (cause instanceof OutOfMemoryError) {
                return fatal(OUT_OF_MEMORY, ExitCodes.RESOURCES);
            }
            if (cause instanceof StackOverflowError) {
                return fatal(STACK_OVERFLOW, ExitCodes.RESOURCES);
            }
        }
        err.println(prefix + "internal error: " + e);
        e.printStackTrace(err);
        err.println("This is a bug in vault; please report it with the output above.");
        err.flush();
        return ExitCodes.INTERNAL;
    }

    private static boolean interrupted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Exception e) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (t instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
