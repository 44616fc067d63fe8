package io.vaultcube.pipeline.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The processes of one run: the child, started as the leader of its own session and process
 * group, everything in that group, every descendant seen so far, and (on Linux) every process
 * that carries the run's cookie in its environment, which finds even a grandchild that started a
 * session of its own and was re-parented away. In a PID namespace of its own ({@code contained})
 * the kernel ends whatever is left when the run's init exits; without one, the tree is also
 * recorded while the run goes on ({@link #track()}), so that a process that leaves the session,
 * clears its environment and loses its parent is still known if it was seen once.
 */
final class ProcessTree {
    /** Environment variable that marks every process of a run. */
    static final String COOKIE_VARIABLE = "VAULT_PROCESS_COOKIE";

    private static final Path PROC = Paths.get("/proc");
    private static final long TRACK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ProcessHandle root;
    private final boolean ownGroup;
    private final String cookie;
    private final boolean contained;
    private long lastTrackNanos = System.nanoTime();
    /** Every process of the tree seen so far, by pid; handles remember their start time. */
    private final Map<Long, ProcessHandle> known = new LinkedHashMap<>();

    ProcessTree(ProcessHandle root, boolean ownGroup, String cookie, boolean contained) {
        this.root = root;
        this.ownGroup = ownGroup;
        this.cookie = cookie;
        this.contained = contained;
        known.put(root.pid(), root);
    }

    /** Records the processes of the tree that are alive now. */
    synchronized void snapshot() {
        root.descendants().forEach(p -> known.putIfAbsent(p.pid(), p));
        for (ProcessHandle p : List.copyOf(known.values())) {
            p.descendants().forEach(d -> known.putIfAbsent(d.pid(), d));
        }
        for (long pid : pidsWithCookie()) {
            ProcessHandle.of(pid).ifPresent(p -> known.putIfAbsent(pid, p));
        }
    }

    /**
     * While the run goes on: without a PID namespace, records the descendants alive now, at most
     * every {@link #TRACK_INTERVAL_NANOS}; what forks, detaches and loses its parent between two
     * records escapes (docs/runners.md says so).
     */
    void track() {
        long now = System.nanoTime();
        if (contained || now - lastTrackNanos < TRACK_INTERVAL_NANOS) {
            return;
        }
        lastTrackNanos = now;
        synchronized (this) {
            root.descendants().forEach(p -> known.putIfAbsent(p.pid(), p));
        }
    }

    /** Sends a signal ("INT", "TERM", "KILL") to the group and every known live process. */
    synchronized void signal(String name) {
        snapshot();
        List<String> targets = new ArrayList<>();
        if (ownGroup) {
            targets.add("-" + root.pid());
        }
        for (ProcessHandle p : known.values()) {
            // A member of the group already gets the group's signal; a second SIGINT would tell
            // tools such as Packer to skip their cleanup.
            if (p.isAlive() && !(ownGroup && processGroup(p.pid()) == root.pid())) {
                targets.add(Long.toString(p.pid()));
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("kill", "-s", name, "--"));
        argv.addAll(targets);
        try {
            Process kill = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // kill(1) is how the signal is sent: give it long enough on a busy machine (ending it early
            // would lose the SIGINT, and the tool would miss its cleanup).
            if (!kill.waitFor(60, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // No kill(1): fall back to what Java can send (TERM and KILL only).
            for (ProcessHandle p : known.values()) {
                if ("KILL".equals(name)) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The process group of a pid, from /proc; -1 when unknown. */
    static long processGroup(long pid) {
        String[] stat = statFields(PROC.resolve(Long.toString(pid)));
        try {
            return stat == null ? -1 : Long.parseLong(stat[2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Waits until the child itself has exited, at most the given time. */
    boolean awaitRootExit(long millis) throws InterruptedException {
        try {
            root.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !root.isAlive();
        }
    }

    /** True while any process of the tree is running (a zombie awaiting its reaper runs nothing). */
    synchronized boolean anyAlive() {
        snapshot();
        for (ProcessHandle p : known.values()) {
            if (p.isAlive() && !isZombie(p.pid())) {
                return true;
            }
        }
        return ownGroup && groupAlive();
    }

    /** Waits until no process of the tree is alive, at most the given time. */
    boolean awaitGone(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long pause = 10;
        while (anyAlive()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(pause);
            pause = Math.min(200, pause * 2);
        }
        return true;
    }

    private boolean groupAlive() {
        if (!Files.isDirectory(PROC)) {
            return groupAliveByKill();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                String[] stat = statFields(entry);
                // fields after "(comm) ": state ppid pgrp ...
                if (stat != null && Long.toString(root.pid()).equals(stat[2]) && !"Z".equals(stat[0])
                        && !"X".equals(stat[0])) {
                    return true;
                }
            }
        } catch (IOException e) {
            return groupAliveByKill();
        }
        return false;
    }

    private boolean groupAliveByKill() {
        try {
            Process probe = new ProcessBuilder("kill", "-s", "0", "--", "-" + root.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return probe.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isZombie(long pid) {
        String[] stat = statFields(PROC.resolve(Long.toString(pid)));
        return stat != null && ("Z".equals(stat[0]) || "X".equals(stat[0]));
    }

    /** The fields of /proc/PID/stat after "pid (comm) ", or null when unreadable. */
    private static String[] statFields(Path procEntry) {
        try {
            String stat = Files.readString(procEntry.resolve("stat"));
            // comm may hold spaces and parentheses: the fields start after the last ')'.
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private List<Long> pidsWithCookie() {
        return cookie == null ? List.of() : MarkedProcesses.find(COOKIE_VARIABLE, cookie);
    }
}
