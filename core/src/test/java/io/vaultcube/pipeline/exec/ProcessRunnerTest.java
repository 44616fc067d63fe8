package io.vaultcube.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The process runner against real child processes (scripts in src/test/resources/exec). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class ProcessRunnerTest {
    /** The session mechanism on its own (its pid files hold pids of this namespace). */
    private final ProcessRunner runner = new ProcessRunner(ProcessRunner.Containment.SESSION);

    @TempDir
    Path tmp;

    static String script(String name) {
        try {
            return Path.of(ProcessRunnerTest.class.getResource("/exec/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deliversALineWhileTheChildIsStillRunning() throws Exception {
        Path release = tmp.resolve("release");
        CountDownLatch firstLine = new CountDownLatch(1);
        List<String> lines = new CopyOnWriteArrayList<>();
        RunningProcess running = runner.start(ProcessSpec.builder("sh", script("print-then-wait.sh"), release.toString())
                .listener((source, line) -> {
                    lines.add(line);
                    firstLine.countDown();
                })
                .build());

        assertThat(firstLine.await(20, TimeUnit.SECONDS)).as("first line before the child exits").isTrue();
        assertThat(running.isFinished()).isFalse();
        assertThat(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive)).contains(true);

        Files.createFile(release);
        ProcessResult result = running.await();
        assertThat(result.succeeded()).isTrue();
        assertThat(lines).containsExactly("first line", "released");
    }

    @Test
    void cancelSendsSigintFirstAndLetsTheToolCleanUp() throws Exception {
        RunningProcess running = startTree("polite", Duration.ofSeconds(10));
        running.cancel();
        ProcessResult result = running.await();

        assertThat(result.outcome()).isEqualTo(ProcessOutcome.CANCELLED);
        assertThat(result.strongestSignal()).isEqualTo("TERM").as("INT stopped the parent; TERM only for the rest");
        assertThat(Files.readAllLines(tmp.resolve("signals"))).first().isEqualTo("INT");
        assertThat(tmp.resolve("cleaned")).exists();
        assertAllGone(tmp.resolve("pids"));
    }

    @Test
    void cancelEscalatesToSigkillWhenTheTreeIgnoresSignals() throws Exception {
        RunningProcess running = startTree("stubborn", Duration.ofMillis(500));
        running.cancel();
        ProcessResult result = running.await();

        assertThat(result.outcome()).isEqualTo(ProcessOutcome.CANCELLED);
        assertThat(result.strongestSignal()).isEqualTo("KILL");
        assertThat(result.exitCode()).isEqualTo(128 + 9);
        assertThat(Files.readAllLines(tmp.resolve("signals"))).startsWith("INT", "TERM");
        assertAllGone(tmp.resolve("pids"));
    }

    @Test
    void timeoutStopsTheWholeTree() throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        ProcessResult result = runner.run(ProcessSpec.builder("bash", script("tree-trap.sh"), tmp.toString())
                .timeout(Duration.ofSeconds(2))
                .graces(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .listener((s, line) -> ready.countDown())
                .build());

        assertThat(ready.getCount()).isZero();
        assertThat(result.outcome()).isEqualTo(ProcessOutcome.TIMED_OUT);
        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(Files.readAllLines(tmp.resolve("signals"))).first().isEqualTo("INT");
        assertAllGone(tmp.resolve("pids"));
    }

    @Test
    void interruptingTheCallerCancelsTheRun() throws Exception {
        List<ProcessResult> results = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                results.add(runner.run(ProcessSpec.builder("bash", script("tree-trap.sh"), tmp.toString())
                        .listener((s, line) -> ready.countDown())
                        .graces(Duration.ofSeconds(10), Duration.ofSeconds(5))
                        .build()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        caller.start();
        assertThat(ready.await(5, TimeUnit.MINUTES)).isTrue();
        caller.interrupt();
        caller.join(600_000); // a guard only: the event is the run returning
        assertThat(caller.isAlive()).as("the run returned after the interrupt").isFalse();

        assertThat(results).singleElement().extracting(ProcessResult::outcome).isEqualTo(ProcessOutcome.CANCELLED);
        assertAllGone(tmp.resolve("pids"));
    }

    @Test
    void masksSecretsInCommandLineLinesAndConsole() throws Exception {
        String secret = "s3cr3t-Pa55";
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ProcessResult result = runner.run(ProcessSpec.builder("sh", script("echo-secret.sh"), secret)
                .secret(secret)
                .console(console)
                .listener((source, line) -> lines.add(source + " " + line))
                .build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.commandLine()).doesNotContain(secret).endsWith("echo-secret.sh ****");
        String printed = console.toString(StandardCharsets.UTF_8);
        // The console interleaves stdout and stderr as they arrive; only the listener's lines are whole.
        assertThat(printed).doesNotContain(secret).contains("password is ****", "split:", "****:end");
        assertThat(String.join("\n", lines)).doesNotContain(secret);
        assertThat(lines).contains("STDOUT password is ****", "STDERR stderr: ****!", "STDOUT split:****:end");
    }

    @Test
    void reportsExitCodesEnvironmentAndWorkingDirectory() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ProcessResult result = runner.run(ProcessSpec.builder("sh", script("exit-with.sh"), "3")
                .workingDirectory(tmp)
                .env("VAULT_TEST_VAR", "a value with spaces; $(not run)")
                .listener((s, line) -> lines.add(line))
                .build());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.outcome()).isEqualTo(ProcessOutcome.EXITED);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.strongestSignal()).isNull();
        assertThat(result.ended()).isAfterOrEqualTo(result.started());
        assertThat(lines).containsExactly("pwd=" + tmp.toRealPath(), "var=a value with spaces; $(not run)");

        // A null value removes an inherited variable: printenv prints PATH, then nothing (exit 1).
        List<String> kept = new CopyOnWriteArrayList<>();
        assertThat(runner.run(ProcessSpec.builder("printenv", "PATH").listener((s, line) -> kept.add(line)).build())
                .exitCode()).isZero();
        assertThat(kept).singleElement().isEqualTo(System.getenv("PATH"));
        List<String> removed = new CopyOnWriteArrayList<>();
        assertThat(runner.run(ProcessSpec.builder("/usr/bin/printenv", "PATH").env("PATH", null)
                .listener((s, line) -> removed.add(line)).build()).exitCode()).isEqualTo(1);
        assertThat(removed).isEmpty();

        assertThat(runner.run(ProcessSpec.builder("sh", script("exit-with.sh"), "0").build()).exitCode()).isZero();
    }

    @Test
    void passesRawBytesThroughToTheConsoleUnchanged() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> lines = new CopyOnWriteArrayList<>();
        runner.run(ProcessSpec.builder("sh", script("raw-bytes.sh"))
                .console(console)
                .listener((s, line) -> lines.add(line))
                .build());

        byte[] expected = ("progress 10%\rprogress 50%\rprogress 100%\nbad byte: \u00ff end\nwindows line\r\n"
                + "no newline at end").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(console.toByteArray()).isEqualTo(expected);
        assertThat(lines).containsExactly("progress 10%\rprogress 50%\rprogress 100%", "bad byte: \ufffd end",
                "windows line", "no newline at end");
    }

    @Test
    void doesNotHangOnOrLeaveBehindABackgroundChild() throws Exception {
        Path pidFile = tmp.resolve("bg.pid");
        ProcessResult result = runner.run(ProcessSpec.builder("sh", script("leave-background.sh"), pidFile.toString())
                .graces(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .build());

        assertThat(result.succeeded()).isTrue();
        assertAllGone(pidFile);
    }

    @Test
    void anAbortLeavesNoProcessOfTheTreeEvenOneThatLeftTheSessionAndClearedItsEnvironment() throws Exception {
        assumeTrue(ProcessRunner.pidNamespaceAvailable(), "no PID namespace here (not root, or a container forbids it)");
        String marker = uniqueSleep();
        ProcessRunner contained = new ProcessRunner();
        assertThat(contained.containment()).isEqualTo(ProcessRunner.Containment.PID_NAMESPACE);
        CountDownLatch ready = new CountDownLatch(1);
        RunningProcess running = contained.start(ProcessSpec.builder("sh", script("escape-session.sh"), marker)
                .graces(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .listener((s, line) -> {
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                })
                .build());
        try {
            assertThat(ready.await(20, TimeUnit.SECONDS)).as("escaper started").isTrue();
            // "ready" comes once the escaper is forked; it is a sleep once it has exec'd: wait for that.
            List<Long> escaped = processesWithArgument(marker);
            for (int i = 0; i < 400 && escaped.isEmpty(); i++) {
                Thread.sleep(50);
                escaped = processesWithArgument(marker);
            }
            assertThat(escaped).as("the escaper runs before the abort").hasSize(1);
            long escaper = escaped.get(0);
            String stat = Files.readString(Path.of("/proc", Long.toString(escaper), "stat"));
            String session = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
            assertThat(Long.parseLong(session)).as("left the run's session").isNotEqualTo(running.pid());
            assertThat(Files.readString(Path.of("/proc", Long.toString(escaper), "environ")))
                    .as("cleared its environment").doesNotContain(ProcessTree.COOKIE_VARIABLE);
        } finally {
            running.cancel();
        }
        ProcessResult result = running.await();

        assertThat(result.outcome()).isEqualTo(ProcessOutcome.CANCELLED);
        assertThat(processesWithArgument(marker)).as("left running after the abort").isEmpty();
    }

    @Test
    void aToolThatExitsLeavesNothingRunningInItsNamespace() throws Exception {
        assumeTrue(ProcessRunner.pidNamespaceAvailable(), "no PID namespace here (not root, or a container forbids it)");
        String marker = uniqueSleep();
        ProcessResult result = new ProcessRunner().run(
                ProcessSpec.builder("sh", script("escape-session.sh"), marker, "exit").build());

        assertThat(result.succeeded()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(processesWithArgument(marker)).as("left running after the tool exited").isEmpty();
    }

    @Test
    void theNamespaceInitPassesTheToolsStatusAndArgumentsThrough() throws Exception {
        assumeTrue(ProcessRunner.pidNamespaceAvailable(), "no PID namespace here (not root, or a container forbids it)");
        List<String> lines = new CopyOnWriteArrayList<>();
        ProcessResult result = new ProcessRunner().run(ProcessSpec.builder("sh", "-c",
                        "printf '%s|' \"$@\"; echo; exit 7", "tool", "a b", "$(touch x)", "*", "")
                .workingDirectory(tmp)
                .listener((s, line) -> lines.add(line))
                .build());

        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(lines).containsExactly("a b|$(touch x)|*||");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    /** A sleep duration no other process has in its argv: the test's marker. */
    private static String uniqueSleep() {
        return "100000." + (100000 + new java.util.Random().nextInt(899999));
    }

    /** Live sleep processes (not zombies) with this exact argument, from /proc. */
    static List<Long> processesWithArgument(String argument) throws IOException {
        List<Long> found = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
                    long pid = Long.parseLong(entry.getFileName().toString());
                    List<String> argv = List.of(cmdline.split("\0"));
                    if (argv.equals(List.of("sleep", argument)) && isRunning(pid)) {
                        found.add(pid);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return found;
    }

    @Test
    void aProgramThatIsNotThereIsAClearError() {
        assertThatThrownBy(() -> runner.run(ProcessSpec.builder("no-such-tool-xyz", "--help").build()))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("no-such-tool-xyz")
                .hasMessageContaining("not found on PATH");
        assertThatThrownBy(() -> runner.run(ProcessSpec.builder("sh", "-c", "true").workingDirectory(tmp.resolve("nope")).build()))
                .isInstanceOf(ProcessStartException.class)
                .hasMessageContaining("does not exist");
    }

    private RunningProcess startTree(String mode, Duration grace) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        RunningProcess running = runner.start(ProcessSpec.builder("bash", script("tree-trap.sh"), tmp.toString(), mode)
                .graces(grace, grace)
                .listener((s, line) -> {
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                })
                .build());
        assertThat(ready.await(20, TimeUnit.SECONDS)).as("tree started").isTrue();
        return running;
    }

    /** Every pid listed in the file is gone (or a zombie awaiting its reaper, which runs nothing). */
    static void assertAllGone(Path pidFile) throws IOException {
        List<String> pids = Files.readAllLines(pidFile);
        assertThat(pids).isNotEmpty();
        for (String pid : pids) {
            assertThat(isRunning(Long.parseLong(pid.trim()))).as("pid %s still running", pid).isFalse();
        }
    }

    static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        try {
            String text = Files.readString(stat);
            char state = text.charAt(text.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }
}
