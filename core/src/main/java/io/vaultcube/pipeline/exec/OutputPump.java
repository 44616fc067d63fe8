package io.vaultcube.pipeline.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Copies one of a child's streams: masked bytes to the console as they arrive (at each line end
 * or carriage return, and whenever the child pauses), masked lines to the listeners, and the same
 * lines unmasked to the raw listeners (the parsers: a secret that is also a word of the tool's
 * output must not change what they read).
 *
 * <p>Bytes that may be the start of a secret are held back until the next bytes show whether the
 * secret follows, so a secret split across two reads is still masked. The masked and the raw line
 * are cut at the same byte of the child's output, so line N of the masked evidence log is line N
 * of what the parser read.
 */
final class OutputPump implements Runnable {
    private final InputStream in;
    private final OutputSource source;
    private final SecretMasker masker;
    private final OutputSink sink;
    private final int maxLineBytes;
    private final boolean keepRaw;

    /** Raw bytes of the current segment, not yet masked or emitted. */
    private byte[] segment = new byte[8192];
    private int segmentLength;
    /** Masked bytes of the current line, emitted to the console but not yet to listeners. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    /** The same part of the current line, raw (only when a raw listener wants it). */
    private final ByteArrayOutputStream rawLine = new ByteArrayOutputStream();
    private volatile IOException failure;

    OutputPump(InputStream in, OutputSource source, SecretMasker masker, OutputSink sink, int maxLineBytes) {
        this.in = in;
        this.source = source;
        this.masker = masker;
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
        this.keepRaw = sink.wantsRaw() && !masker.isEmpty();
    }

    /** Receives what a pump emits; implementations serialise the two pumps of one run. */
    interface OutputSink {
        void console(byte[] bytes, int offset, int length);

        /**
         * One line, masked and as the child wrote it; {@code raw} is the masked text itself when
         * nothing is masked or no one wants the raw line.
         */
        void line(OutputSource source, String masked, String raw);

        /** Whether anyone reads the raw lines (else the pump does not keep them). */
        default boolean wantsRaw() {
            return false;
        }
    }
    @Override
    public void run() {
        byte[] buffer = new byte[16384];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    append(b);
                    if (b == '\n') {
                        emitSegment(false);
                        finishLine();
                    } else if (b == '\r') {
                        emitSegment(false);
                    } else if (segmentLength >= maxLineBytes) {
                        emitSegment(true);
                    }
                }
                if (segmentLength > 0 && in.available() == 0) {
                    // The child paused mid-line (a prompt, a progress bar): show what is safe to show.
                    emitSegment(true);
                }
                if (line.size() >= maxLineBytes) {
                    finishLine();
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            emitSegment(false);
            if (line.size() > 0) {
                finishLine();
            }
        }
    }

    IOException failure() {
        return failure;
    }

    private void append(byte b) {
        if (segmentLength == segment.length) {
            segment = Arrays.copyOf(segment, segment.length * 2);
        }
        segment[segmentLength++] = b;
    }

    private void emitSegment(boolean holdBackSecretPrefix) {
        if (segmentLength == 0) {
            return;
        }
        // Held back: the raw tail that may begin a secret, but never a byte of a secret already
        // whole in the segment (splitting that would show part of it).
        int keep = holdBackSecretPrefix
                ? Math.min(masker.pendingSecretPrefix(segment, segmentLength),
                        segmentLength - masker.lastMatchEnd(segment, segmentLength))
                : 0;
        int emit = segmentLength - keep;
        if (emit > 0) {
            byte[] masked = masker.mask(segment, emit);
            sink.console(masked, 0, masked.length);
            line.write(masked, 0, masked.length);
            if (keepRaw) {
                rawLine.write(segment, 0, emit);
            }
        }
        if (keep > 0) {
            System.arraycopy(segment, emit, segment, 0, keep);
        }
        segmentLength = keep;
    }

    private void finishLine() {
        String masked = text(line);
        String raw = keepRaw ? text(rawLine) : masked;
        sink.line(source, masked, raw);
    }

    /** The buffer's text without its line end; the buffer is emptied. */
    private static String text(ByteArrayOutputStream buffer) {
        byte[] bytes = buffer.toByteArray();
        buffer.reset();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A sink that writes to one console stream and calls listeners, one at a time. */
    static final class SerializedSink implements OutputSink {
        private final OutputStream console;
        private final List<LineListener> listeners;
        private final List<LineListener> rawListeners;
        private RuntimeException listenerFailure;
        private IOException consoleFailure;

        SerializedSink(OutputStream console, List<LineListener> listeners,
                List<LineListener> rawListeners) {
            this.console = console;
            this.listeners = listeners;
            this.rawListeners = rawListeners;
        }

        @Override
        public boolean wantsRaw() {
            return !rawListeners.isEmpty();
        }

        @Override
        public synchronized void console(byte[] bytes, int offset, int length) {
            if (console == null || consoleFailure != null) {
                return;
            }
            try {
                console.write(bytes, offset, length);
                console.flush();
            } catch (IOException e) {
                // Keep draining the child even if the console went away (a closed pipe).
                consoleFailure = e;
            }
        }

        @Override
        public synchronized void line(OutputSource source, String masked, String raw) {
            deliver(listeners, source, masked);
            deliver(rawListeners, source, raw);
        }

        private void deliver(List<LineListener> to, OutputSource source, String text) {
            for (LineListener listener : to) {
                try {
                    listener.onLine(source, text);
                } catch (RuntimeException e) {
                    // A failing listener must not block the child on a full pipe: remember, go on.
                    if (listenerFailure == null) {
                        listenerFailure = e;
                    }
                }
            }
        }

        synchronized RuntimeException listenerFailure() {
            return listenerFailure;
        }
    }
}
