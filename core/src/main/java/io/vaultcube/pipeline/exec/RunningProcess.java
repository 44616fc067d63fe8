package io.vaultcube.pipeline.exec;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A started run. A watchdog thread of its own waits for the child, enforces the time limit,
 * carries out a cancel (SIGINT, grace, SIGTERM, grace, SIGKILL to the whole tree), and after a
 * normal exit stops whatever the child left running in its process group, so that nothing of a
 * run outlives it.
 */
public final class RunningProcess {
    /** How long output pipes may stay open after the tree is gone (something escaped holds them). */
    private static final long PUMP_DRAIN_MILLIS = 5_000;

    private final ProcessSpec spec;
    private final Process process;
    private final ProcessTree tree;
    private final Instant started = Instant.now();
    private final OutputPump.SerializedSink sink;
    private final Thread stdoutThread;
    private final Thread stderrThread;
    private final OutputPump stdoutPump;
    private final OutputPump stderrPump;
    private final CountDownLatch cancelRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<ProcessResult> result = new AtomicReference<>();
    private volatile String strongestSignal;

    RunningProcess(ProcessSpec spec, Process process, ProcessTree tree) {
        this.spec = spec;
        this.process = process;
        this.tree = tree;
        this.sink = new OutputPump.SerializedSink(spec.console(), spec.listeners(), spec.rawListeners());
        String name = "vault-run-" + process.pid();
        this.stdoutPump = new OutputPump(process.getInputStream(), OutputSource.STDOUT, spec.masker(), sink,
                spec.maxLineBytes());
        this.stdoutThread = daemon(stdoutPump, name + "-stdout");
        if (spec.mergeStderr()) {
            this.stderrPump = null;
            this.stderrThread = null;
        } else {
            this.stderrPump = new OutputPump(process.getErrorStream(), OutputSource.STDERR, spec.masker(), sink,
                    spec.maxLineBytes());
            this.stderrThread = daemon(stderrPump, name + "-stderr");
        }
        LiveRuns.add(this);
        daemon(this::watch, name + "-watchdog");
    }

    public long pid() {
        return process.pid();
    }

    public String displayCommand() {
        return spec.displayCommand();
    }

    /** Asks the run to stop; returns at once. Stopping the tree happens on the run's own thread. */
    public void cancel() {
        cancelRequested.countDown();
    }

    public boolean isFinished() {
        return finished.getCount() == 0;
    }

    /** Waits until the child, its tree and its output are finished. */
    public ProcessResult await() throws InterruptedException {
        finished.await();
        return resultOrFailure();
    }

    /** Waits at most the given time; null when the run has not finished by then. */
    public ProcessResult await(Duration limit) throws InterruptedException {
        if (!finished.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return resultOrFailure();
    }

    ProcessResult awaitUninterruptibly() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    finished.await();
                    return resultOrFailure();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ProcessResult resultOrFailure() {
        RuntimeException listenerFailure = sink.listenerFailure();
        if (listenerFailure != null) {
            throw new IllegalStateException("an output listener failed while running " + displayCommand(),
                    listenerFailure);
        }
        IOException pumpFailure = stdoutPump.failure() != null ? stdoutPump.failure()
                : stderrPump != null ? stderrPump.failure() : null;
        if (pumpFailure != null) {
            throw new UncheckedIOException("reading the output of " + displayCommand() + " failed", pumpFailure);
        }
        return result.get();
    }

    private void watch() {
        ProcessOutcome outcome = ProcessOutcome.EXITED;
        try {
            outcome = waitForExitOrStop();
            if (outcome == ProcessOutcome.EXITED) {
                // The child is done; stop what it left behind in its group so nothing outlives the run.
                if (tree.anyAlive()) {
                    stopTree(false);
                }
            }
            joinPumps();
        } catch (InterruptedException e) {
            process.destroyForcibly();
        } finally {
            int exit = exitCode();
            result.set(new ProcessResult(spec.displayCommand(), exit, started, Instant.now(), outcome,
                    strongestSignal));
            LiveRuns.remove(this);
            finished.countDown();
        }
    }

    private ProcessOutcome waitForExitOrStop() throws InterruptedException {
        long deadline = spec.timeout() == null ? Long.MAX_VALUE : System.nanoTime() + spec.timeout().toNanos();
        while (true) {
            long left = deadline == Long.MAX_VALUE ? TimeUnit.MILLISECONDS.toNanos(100) : deadline - System.nanoTime();
            if (left <= 0) {
                stopTree(true);
                return ProcessOutcome.TIMED_OUT;
            }
            if (cancelRequested.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
                if (!process.isAlive() && !tree.anyAlive()) {
                    return ProcessOutcome.EXITED;
                }
                stopTree(true);
                return ProcessOutcome.CANCELLED;
            }
            if (!process.isAlive()) {
                return ProcessOutcome.EXITED;
            }
            tree.track();
        }
    }

    /**
     * SIGINT (when asked to interrupt) and a grace for the child to clean up and exit; then SIGTERM
     * for whatever is left, a grace, and SIGKILL, until the tree is gone.
     */
    private void stopTree(boolean interruptFirst) throws InterruptedException {
        if (interruptFirst) {
            send("INT");
            if (tree.awaitRootExit(spec.interruptGrace().toMillis()) && tree.awaitGone(200)) {
                return;
            }
        }
        send("TERM");
        if (tree.awaitGone(spec.terminateGrace().toMillis())) {
            return;
        }
        send("KILL");
        tree.awaitGone(10_000);
    }

    private void send(String signal) {
        strongestSignal = signal;
        tree.signal(signal);
    }

    private void joinPumps() throws InterruptedException {
        stdoutThread.join(PUMP_DRAIN_MILLIS);
        if (stderrThread != null) {
            stderrThread.join(PUMP_DRAIN_MILLIS);
        }
        if (stdoutThread.isAlive() || (stderrThread != null && stderrThread.isAlive())) {
            // A process outside the tree still holds the pipes: stop reading them.
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
            stdoutThread.join(1_000);
            if (stderrThread != null) {
                stderrThread.join(1_000);
            }
        }
    }

    private int exitCode() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Best effort.
        }
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
