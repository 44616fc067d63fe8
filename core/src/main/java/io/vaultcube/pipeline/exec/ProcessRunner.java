package io.vaultcube.pipeline.exec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts tools as child processes from an argv list, never through a shell.
 *
 * <p>On Linux each child is started with {@code setsid}, so it leads a process group of its own
 * that a cancel or timeout can signal as a whole (SIGINT, then SIGTERM, then SIGKILL), the way a
 * terminal's Ctrl-C reaches every process of a foreground job. Where this process may create a PID
 * namespace ({@code unshare --pid}: as root, outside a container that forbids it), the tool runs in
 * one of its own, under a small init: when the run ends, the kernel kills every process left in
 * the namespace, including one that started a session of its own and cleared its environment, which
 * a process can neither leave nor hide from (docs/runners.md, "Stopping a tool"). A runner holds no
 * state between runs; one instance may start any number of runs.
 */
public final class ProcessRunner {
    /** The environment variable that marks every process of a run (its cookie). */
    public static final String COOKIE_VARIABLE = ProcessTree.COOKIE_VARIABLE;

    /** What keeps a run's processes together so that all of them stop with the run. */
    public enum Containment {
        /**
         * A PID namespace per run: every process of the tool, however it forks, sets its session
         * or clears its environment, dies when the run ends.
         */
        PID_NAMESPACE,
        /**
         * A session and process group per run, plus tracking by parent chain and by a marker in the
         * environment; a process that leaves the session, clears its environment and is re-parented
         * before it is seen escapes.
         */
        SESSION
    }

    /**
     * The init of a run's PID namespace (its pid 1): the kernel drops signals that pid 1 has no
     * handler for, so it traps them (and lets the tool, in the same process group, get them
     * directly), runs the tool in the foreground and exits with its status; the namespace ends
     * with it. The tool's argv reaches it as positional parameters, never as shell text.
     */
    static final String NAMESPACE_INIT = "trap : HUP INT TERM; \"$@\"; status=$?; exit \"$status\"";

    private static volatile Boolean namespaceAvailable;
    private static volatile String signalReset;

    /**
     * The argv prefix that gives a child SIGINT's and SIGQUIT's default action back, or an empty
     * list where none is needed. A process started as {@code cmd &} by a non-interactive shell
     * (a CI script, Jenkins' {@code sh} step, {@code nohup ... &}) begins with both ignored; the JVM
     * cannot undo that, every child inherits it, and a shell cannot even trap a signal it started
     * with ignored. The cancel's SIGINT would then never reach the tool (Packer would skip the
     * cleanup that SIGINT asks for) and would be found only after the grace, as SIGTERM.
     * GNU env's {@code --default-signal} (coreutils 8.31 and later) resets them before the exec.
     */
    static List<String> signalResetPrefix() {
        String known = signalReset;
        if (known == null) {
            known = interruptIgnored(Path.of("/proc/self/status")) ? probeSignalReset() : "";
            signalReset = known;
        }
        return known.isEmpty() ? List.of() : List.of(known, "--default-signal=INT,QUIT");
    }

    /** True when the status file's {@code SigIgn} mask holds SIGINT or SIGQUIT (signals 2 and 3). */
    static boolean interruptIgnored(Path procStatus) {
        try {
            for (String line : Files.readAllLines(procStatus)) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                    return (mask & 0b110L) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux, or an unreadable status: nothing to reset that we could know of.
        }
        return false;
    }

    /** The env(1) that can reset signals, or "" when there is none (docs/runners.md says what follows). */
    private static String probeSignalReset() {
        String env = findOnPath("env", System.getenv("PATH"));
        if (env == null) {
            return "";
        }
        return succeeds(env, "--default-signal=INT,QUIT", "true") ? env : "";
    }

    private final String setsid;
    private final String unshare;
    private final Containment containment;

    /** A runner with the strongest containment this machine allows ({@code VAULT_PID_NAMESPACE=0}: never a namespace). */
    public ProcessRunner() {
        this(pidNamespaceAvailable() && !"0".equals(System.getenv("VAULT_PID_NAMESPACE"))
                ? Containment.PID_NAMESPACE : Containment.SESSION);
    }

    /** A runner with this containment; PID_NAMESPACE where none is available is refused. */
    public ProcessRunner(Containment containment) {
        this.setsid = findOnPath("setsid", System.getenv("PATH"));
        if (containment == Containment.PID_NAMESPACE && !pidNamespaceAvailable()) {
            throw new IllegalStateException("this process cannot create a PID namespace (unshare --pid --fork)");
        }
        this.unshare = containment == Containment.PID_NAMESPACE ? findOnPath("unshare", System.getenv("PATH")) : null;
        this.containment = containment;
    }

    public Containment containment() {
        return containment;
    }

    /**
     * True when util-linux {@code unshare} can run a program in a new PID namespace here; probed once
     * per JVM (root on a kernel and in a container that allow it; an unprivileged user cannot).
     */
    public static boolean pidNamespaceAvailable() {
        Boolean known = namespaceAvailable;
        if (known == null) {
            known = probeNamespace();
            namespaceAvailable = known;
        }
        return known;
    }

    private static boolean probeNamespace() {
        String unshare = findOnPath("unshare", System.getenv("PATH"));
        String sh = findOnPath("sh", System.getenv("PATH"));
        if (unshare == null || sh == null) {
            return false;
        }
        return succeeds(unshare, "--pid", "--fork", "--kill-child", "--", sh, "-c", "exit 0");
    }

    /** True when the probe exits 0 within 30 s (its output discarded, no input). */
    private static boolean succeeds(String... argv) {
        try {
            Process probe = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!probe.waitFor(30, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs to the end; an interrupt of the calling thread cancels the run (and is kept set). */
    public ProcessResult run(ProcessSpec spec) throws IOException {
        RunningProcess running = start(spec);
        try {
            return running.await();
        } catch (InterruptedException e) {
            running.cancel();
            ProcessResult result = running.awaitUninterruptibly();
            Thread.currentThread().interrupt();
            return result;
        }
    }

    /** Starts the run and returns at once; output is pumped on threads of the run's own. */
    public RunningProcess start(ProcessSpec spec) throws IOException {
        List<String> command = new ArrayList<>();
        boolean ownGroup = setsid != null;
        if (ownGroup) {
            command.add(setsid);
        }
        String executable = spec.argv().get(0);
        ProcessBuilder builder = new ProcessBuilder();
        Map<String, String> env = builder.environment();
        if (!spec.inheritEnvironment()) {
            env.clear();
        }
        spec.environment().forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        String cookie = UUID.randomUUID().toString();
        env.put(ProcessTree.COOKIE_VARIABLE, cookie);

        // Resolve the program on the child's PATH, so a PATH given in the spec is honoured.
        String resolved = executable.contains("/") ? executable : findOnPath(executable, env.get("PATH"));
        if (resolved == null) {
            throw new ProcessStartException(
                    "cannot run " + executable + ": not found on PATH (" + env.getOrDefault("PATH", "") + ")", null);
        }
        List<String> reset = signalResetPrefix();
        if (!reset.isEmpty()) {
            command.addAll(reset);
            String next = unshare != null ? unshare : resolved;
            if (next.contains("=")) {
                // env would read "DIR=X/tool" as a variable to set: let sh exec it as an argument.
                command.addAll(List.of(findOnPath("sh", System.getenv("PATH")), "-c", "exec \"$@\"", "vault-exec"));
            }
        }
        if (unshare != null) {
            String sh = findOnPath("sh", System.getenv("PATH"));
            command.addAll(List.of(unshare, "--pid", "--fork", "--kill-child", "--", sh, "-c", NAMESPACE_INIT,
                    "vault-init"));
        }
        command.add(resolved);
        command.addAll(spec.argv().subList(1, spec.argv().size()));
        builder.command(command);
        if (spec.workingDirectory() != null) {
            if (!Files.isDirectory(spec.workingDirectory())) {
                throw new ProcessStartException(
                        "cannot run " + executable + ": working directory " + spec.workingDirectory() + " does not exist",
                        null);
            }
            builder.directory(spec.workingDirectory().toFile());
        }
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectErrorStream(spec.mergeStderr());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ProcessStartException("cannot run " + spec.displayCommand() + ": " + e.getMessage(), e);
        }
        return new RunningProcess(spec, process, new ProcessTree(process.toHandle(), ownGroup, cookie,
                unshare != null));
    }

    static String findOnPath(String program, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
