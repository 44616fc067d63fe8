package io.vaultcube.pipeline.image;

import io.vaultcube.pipeline.run.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Counts bytes of long work (hashing, copying) and, when started on a terminal, redraws one
 * progress line there: bytes done of the total, percent, rate and time left. The CLI decides
 * whether its output is a terminal; a meter that was not started only counts.
 */
public final class ProgressMeter implements LongConsumer, AutoCloseable {
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final PrintWriter out;
    private final String label;
    private final Thread ticker;
    private volatile boolean closed;
    private int lastWidth;

    private ProgressMeter(PrintWriter out, String label, Duration interval) {
        this.out = out;
        this.label = label;
        if (out == null) {
            this.ticker = null;
        } else {
            this.ticker = new Thread(() -> tick(interval.toMillis()), "vault-progress");
            this.ticker.setDaemon(true);
            this.ticker.start();
        }
    }

    /** A meter that counts and shows nothing. */
    public static ProgressMeter silent() {
        return new ProgressMeter(null, null, null);
    }

    /** A meter that redraws its line on {@code terminal} every {@code interval}. */
    public static ProgressMeter onTerminal(PrintWriter terminal, String label, Duration interval) {
        return new ProgressMeter(terminal, label, interval);
    }

    /** Adds to the amount of work expected. */
    public void addTotal(long bytes) {
        total.addAndGet(bytes);
    }

    /** Records bytes done. */
    @Override
    public void accept(long bytes) {
        done.addAndGet(bytes);
    }

    public long done() {
        return done.get();
    }

    public long total() {
        return total.get();
    }

    private void tick(long millis) {
        while (!closed) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                draw();
            }
        }
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String line = render(label, done.get(), total.get(), seconds);
        int pad = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    /** The progress line (without "\r"), e.g. "checksum  1.2 GiB of 2.0 GiB  61%  948.0 MiB/s  0:01 left". */
    public static String render(String label, long done, long total, double seconds) {
        StringBuilder b = new StringBuilder(label).append("  ").append(ByteSizes.human(done));
        double rate = seconds > 0 ? done / seconds : 0;
        if (total > 0) {
            b.append(" of ").append(ByteSizes.human(total));
            b.append(String.format(Locale.ROOT, "  %d%%", Math.min(100, done * 100 / total)));
        }
        b.append("  ").append(ByteSizes.human((long) rate)).append("/s");
        if (total > 0 && rate > 0 && done < total) {
            b.append("  ").append(Durations.countdown((long) Math.ceil((total - done) / rate))).append(" left");
        }
        return b.toString();
    }

    /**
     * Prints something else on the same terminal: the progress line is erased first and redrawn
     * at the next tick, so result lines never mix with it.
     */
    public void printAbove(Runnable print) {
        if (ticker == null) {
            print.run();
            return;
        }
        synchronized (this) {
            if (lastWidth > 0) {
                out.print("\r" + " ".repeat(lastWidth) + "\r");
                out.flush();
                lastWidth = 0;
            }
            print.run();
        }
    }

    /** Stops redrawing and erases the line. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        synchronized (this) {
            closed = true;
            if (lastWidth > 0) {
                out.print("\r" + " ".repeat(lastWidth) + "\r");
                out.flush();
            }
        }
        ticker.interrupt();
    }
}
