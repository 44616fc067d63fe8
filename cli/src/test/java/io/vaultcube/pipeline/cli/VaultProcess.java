package io.vaultcube.pipeline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code vault} in a JVM of its own (this test JVM's classpath), for what an in-process run cannot
 * show: another environment for the tools it starts (PATH with stand-ins), and a real signal to the
 * process (its shutdown hook stops the run).
 */
final class VaultProcess implements AutoCloseable {
    private final Process process;
    /** Output goes to a file, not a pipe: a pipe's reader can lose the last lines when the JVM exits. */
    private final Path log;

    private VaultProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static VaultProcess start(Path dir, Map<String, String> env, String... args) throws IOException {
        return start(dir, env, List.of(), args);
    }

    /** With options for its JVM ({@code -Xmx32m}). */
    static VaultProcess start(Path dir, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Files.createDirectories(dir);
        Path log = Files.createTempFile(dir, "vault-", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new VaultProcess(pb.start(), log);
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    void waitForOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("'" + text + "' did not appear; output:\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits until the vault JVM's main thread (the command's) is in the given method
     * ({@code java.util.regex.Pattern$Loop.match}): the JDK's own {@code jcmd Thread.print} shows
     * where the work is, for work that prints nothing while it runs.
     */
    void waitForMainThreadIn(String frame) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String main = "";
        while (!main.contains("\tat " + frame + "(")) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("the main thread did not reach " + frame + "; its last stack:\n" + main
                        + "\noutput:\n" + output());
            }
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String stacks = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            int at = stacks.indexOf("\n\"main\" ");
            int end = at < 0 ? -1 : stacks.indexOf("\n\n", at + 1);
            main = at < 0 ? "" : stacks.substring(at + 1, end < 0 ? stacks.length() : end);
        }
    }

    /** The vault JVM (its descendants are the tools it runs). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as a service manager or a CI agent stops a job. */
    void terminate() {
        process.destroy();
    }

    /** The pid of the JVM. */
    long pid() {
        return process.pid();
    }

    /** SIGKILL, as the OOM killer or a lost agent ends a process: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int waitFor() throws InterruptedException {
        if (!process.waitFor(170, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("vault did not end; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
