package io.vaultcube.pipeline.image;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one task per item on a bounded pool of threads and hands the outcomes to the calling
 * thread in the order of the items, each as soon as it and all before it are done (so output
 * streams in order while later items are still being worked on). The pool lives for one call.
 */
public final class OrderedParallel {
    /** Work on one item. */
    @FunctionalInterface
    public interface Task<T, R> {
        R run(T item) throws Exception;
    }

    /** Receives each item's outcome on the calling thread: exactly one of result and failure is set. */
    @FunctionalInterface
    public interface Delivery<T, R> {
        void deliver(T item, R result, Exception failure) throws Exception;
    }

    private OrderedParallel() {
    }

    /** Default parallelism: the machine's cores. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs the tasks; an exception thrown by {@code delivery} stops the run and is rethrown (after
     * the pool was stopped). An interrupt of the calling thread stops the pool's tasks.
     */
    public static <T, R> void run(List<T> items, int threads, String name, Task<T, R> task, Delivery<T, R> delivery)
            throws Exception {
        if (items.isEmpty()) {
            return;
        }
        int size = Math.max(1, Math.min(threads, items.size()));
        AtomicInteger counter = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService pool = Executors.newFixedThreadPool(size, factory);
        boolean clean = false;
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> task.run(item)));
            }
            for (int i = 0; i < items.size(); i++) {
                R result = null;
                Exception failure = null;
                try {
                    result = futures.get(i).get();
                } catch (ExecutionException e) {
                    failure = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                } catch (CancellationException e) {
                    failure = e;
                }
                delivery.deliver(items.get(i), result, failure);
            }
            clean = true;
        } finally {
            if (clean) {
                pool.shutdown();
            } else {
                pool.shutdownNow();
            }
            boolean interrupted = Thread.interrupted();
            while (true) {
                try {
                    if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
