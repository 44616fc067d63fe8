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

/**
 * Starts tools as child processes from an argv list, never through a shell.
 *
 * <p>On Linux each child is started with {@code setsid}, so it leads a process group of its own
 * that a cancel or timeout can signal as a whole (SIGINT, then SIGTERM, then SIGKILL), the way a
 * terminal's Ctrl-C reaches every process of a foreground job. A runner holds no state between
 * runs; one instance may start any number of runs.
 */
public final class ProcessRunner {
    private final String setsid;

    public ProcessRunner() {
        this.setsid = findOnPath("setsid", System.getenv("PATH"));
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
        return new RunningProcess(spec, process, new ProcessTree(process.toHandle(), ownGroup, cookie));
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
