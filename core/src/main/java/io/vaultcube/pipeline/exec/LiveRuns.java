package io.vaultcube.pipeline.exec;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every run of this JVM that has not finished yet. A process that is being shut down (Ctrl-C,
 * SIGTERM) asks these runs to stop their trees itself, since the thread that started a run may be
 * busy with work that never looks at its interrupt flag (hashing, parsing), and waits for them
 * only, not for that work.
 */
public final class LiveRuns {
    private static final Set<RunningProcess> RUNS = ConcurrentHashMap.newKeySet();

    private LiveRuns() {
    }

    static void add(RunningProcess run) {
        RUNS.add(run);
    }

    static void remove(RunningProcess run) {
        RUNS.remove(run);
    }

    /** How many runs are started and not finished. */
    public static int count() {
        return RUNS.size();
    }

    /** Asks every live run to stop (SIGINT, grace, SIGTERM, grace, SIGKILL to its tree); returns at once. */
    public static void cancelAll() {
        RUNS.forEach(RunningProcess::cancel);
    }

    /**
     * Waits until every live run has finished (its tree is gone and its output read), at most
     * {@code limit}; true when none is left.
     */
    public static boolean awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (RunningProcess run : List.copyOf(RUNS)) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || run.await(Duration.ofNanos(left)) == null) {
                    return RUNS.isEmpty();
                }
            } catch (RuntimeException e) {
                // It finished, with a failure its own caller reports.
            }
        }
        return RUNS.isEmpty();
    }
}
