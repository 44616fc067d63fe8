package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.nvidia.TelemetryParser.Gpu;
import io.vaultcube.pipeline.parse.nvidia.TelemetryParser.State;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The telemetry summary of a big log, read as contiguous chunks on every core and merged: the
 * summary is mergeable (histograms and counts add; minima, maxima and the first and last samples
 * combine), and what crosses a seam is joined there: a GPU's step from its last sample in one chunk
 * to its first in the next (gaps, the interval, a clock going back) and a throttle run that goes on
 * into the next chunk. Anything unusual (no header on the first line, a different header later, a
 * line a chunk cannot read, a GPU known under two indices) gives up the chunks, and the caller reads
 * the file in one pass, which gives the exact message with the right line number.
 */
final class TelemetryChunks {
    /** Below this a chunk costs more to start than it saves (a thread, its own warm-up). */
    static final long MIN_CHUNK_BYTES = 4L << 20;
    private static final int MAX_GPUS = 64;

    private TelemetryChunks() {
    }

    /** One chunk's state and how many lines it had (to turn its line numbers into the file's). */
    private record Part(State state, long lines) {
    }

    /** How many chunks suit a file: one per core, each at least {@link #MIN_CHUNK_BYTES}. */
    static int chunksFor(ParseInput input) throws IOException {
        Path file = input.file();
        if (!Files.isRegularFile(file)) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Files.size(file) / MIN_CHUNK_BYTES));
    }

    /** The merged state of n chunks, or null when the file is to be read in one pass. */
    static State parse(ParseInput input, int n) throws IOException {
        Path file = input.file();
        if (n < 2 || !Files.isRegularFile(file)) {
            return null;
        }
        long size = Files.size(file);
        TelemetryRows.Columns cols = header(input);
        if (cols == null) {
            return null;
        }
        long[] bounds;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            bounds = boundaries(ch, size, n);
        }
        int chunks = bounds.length - 1;
        if (chunks < 2) {
            return null;
        }
        Part[] parts = new Part[chunks];
        AtomicReference<IOException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int k = 1; k < chunks; k++) {
            int c = k;
            Thread t = new Thread(() -> {
                try {
                    parts[c] = chunk(input, cols, bounds[c], bounds[c + 1]);
                } catch (IOException e) {
                    failure.set(e);
                }
            }, "telemetry-chunk-" + k);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        parts[0] = chunk(input, cols, bounds[0], bounds[1]);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                for (Thread other : threads) {
                    other.interrupt();
                }
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + input.sourceName());
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        for (Part p : parts) {
            if (p == null) {
                return null;
            }
        }
        return merge(parts);
    }

    /** The columns of the header on the first line; null when the first line is not a header. */
    private static TelemetryRows.Columns header(ParseInput input) throws IOException {
        try (LineReader lines = LineReader.open(input)) {
            lines.trackSeparator(',');
            TelemetryRows rows = new TelemetryRows(input.sourceName());
            if (!lines.next() || rows.next(lines) != TelemetryRows.Kind.HEADER) {
                return null;
            }
            TelemetryParser.requireIdentity(rows);
            return rows.columns();
        } catch (ParseException e) {
            return null;
        }
    }

    /** Chunk starts: n even parts, each moved on to just after a newline; the last entry is the size. */
    private static long[] boundaries(FileChannel ch, long size, int n) throws IOException {
        List<Long> bounds = new ArrayList<>();
        bounds.add(0L);
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (int k = 1; k < n; k++) {
            long at = Math.max(size * k / n, bounds.get(bounds.size() - 1));
            long next = -1;
            while (next < 0 && at < size) {
                buf.clear();
                int got = ch.read(buf, at);
                if (got <= 0) {
                    break;
                }
                for (int i = 0; i < got; i++) {
                    if (buf.get(i) == '\n') {
                        next = at + i + 1;
                        break;
                    }
                }
                at += got;
            }
            if (next < 0 || next >= size) {
                break;
            }
            if (next > bounds.get(bounds.size() - 1)) {
                bounds.add(next);
            }
        }
        bounds.add(size);
        long[] out = new long[bounds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bounds.get(i);
        }
        return out;
    }

    /** One chunk read as the one-pass parser reads the file; null when it meets anything unusual. */
    private static Part chunk(ParseInput input, TelemetryRows.Columns cols, long from, long to) throws IOException {
        State st = new State();
        TelemetryRows rows = new TelemetryRows(input.sourceName(), cols);
        try (FileChannel ch = FileChannel.open(input.file(), StandardOpenOption.READ);
                LineReader lines = new LineReader(new Range(ch, from, to), input.sourceName())) {
            lines.trackSeparator(',');
            while (lines.next()) {
                switch (rows.next(lines)) {
                    case ROW -> st.row(rows);
                    case HEADER -> {
                        return null; // another header: the one-pass reader follows it
                    }
                    default -> {
                        // blank, or the header again after a sampler restart
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    return null;
                }
            }
            if (lines.unterminated()) {
                return null; // the one-pass reader refuses a cut last line
            }
            return new Part(st, lines.lineNumber());
        } catch (ParseException e) {
            return null; // the one-pass reader says it with the file's line number
        }
    }

    /** The chunks folded in file order into the first one's state. */
    private static State merge(Part[] parts) {
        State into = parts[0].state();
        long offset = parts[0].lines();
        for (int k = 1; k < parts.length; k++) {
            State next = parts[k].state();
            for (int i = 0; i < into.steps.length; i++) {
                into.steps[i] += next.steps[i];
            }
            into.stepsOver += next.stepsOver;
            into.rows += next.rows;
            for (Gpu g : next.gpus) {
                Gpu a = null;
                for (Gpu x : into.gpus) {
                    if (Arrays.equals(x.uuid, g.uuid)) {
                        a = x;
                        break;
                    }
                }
                if (a == null) {
                    for (Gpu x : into.gpus) {
                        if (x.index == g.index) {
                            return null; // one index, two uuids
                        }
                    }
                    if (into.gpus.size() == MAX_GPUS) {
                        return null;
                    }
                    g.firstLine += offset;
                    g.tempMaxLine += offset;
                    into.gpus.add(g);
                } else if (a.index != g.index || !join(into, a, g, offset)) {
                    return null;
                }
            }
            offset += parts[k].lines();
        }
        return into.rows == 0 ? null : into;
    }

    /** GPU g's samples of a later chunk appended to a's; false when the clock went back at the seam. */
    private static boolean join(State st, Gpu a, Gpu g, long offset) {
        long step = g.firstMs - a.lastMs;
        if (step < 0) {
            return false;
        }
        long bin = (step + 5) / 10;
        if (bin < TelemetryParser.STEP_BINS) {
            st.steps[(int) bin]++;
        } else {
            st.stepsOver++;
        }
        a.maxStepMs = Math.max(Math.max(a.maxStepMs, g.maxStepMs), step);
        a.lastMs = g.lastMs;
        a.samples += g.samples;
        if (g.tempSamples > 0 && (Double.isNaN(a.tempMax) || g.tempMax > a.tempMax)) {
            a.tempMax = g.tempMax;
            a.tempMaxLine = g.tempMaxLine + offset;
        }
        add(a.temp, g.temp);
        a.tempSamples += g.tempSamples;
        add(a.util, g.util);
        a.utilSamples += g.utilSamples;
        add(a.ratio, g.ratio);
        a.ratioSamples += g.ratioSamples;
        a.loaded += g.loaded;
        a.genMin = min(a.genMin, g.genMin);
        a.widthMin = min(a.widthMin, g.widthMin);
        a.throttle.append(g.throttle);
        a.masks += g.masks;
        return true;
    }

    private static double min(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
    }

    private static void add(int[] into, int[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    /** Bytes [from, to) of a file, read with positional reads (each chunk has its own channel). */
    private static final class Range extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        Range(FileChannel ch, long from, long to) {
            this.ch = ch;
            this.pos = from;
            this.end = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - pos);
            int got = ch.read(ByteBuffer.wrap(b, off, want), pos);
            if (got > 0) {
                pos += got;
            }
            return got;
        }
    }
}
