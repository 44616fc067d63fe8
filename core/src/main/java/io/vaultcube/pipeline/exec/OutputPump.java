package io.vaultcube.pipeline.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Copies one of a child's streams: masked bytes to the console as they arrive (at each line end
 * or carriage return, and whenever the child pauses), masked lines to the listeners.
 *
 * <p>Bytes that may be the start of a secret are held back until the next bytes show whether the
 * secret follows, so a secret split across two reads is still masked.
 */
final class OutputPump implements Runnable {
    private final InputStream in;
    private final OutputSource source;
    private final SecretMasker masker;
    private final OutputSink sink;
    private final int maxLineBytes;

    /** Raw bytes of the current segment, not yet masked or emitted. */
    private byte[] segment = new byte[8192];
    private int segmentLength;
    /** Masked bytes of the current line, emitted to the console but not yet to listeners. */
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile IOException failure;

    OutputPump(InputStream in, OutputSource source, SecretMasker masker, OutputSink sink, int maxLineBytes) {
        this.in = in;
        this.source = source;
        this.masker = masker;
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    /** Receives what a pump emits; implementations serialise the two pumps of one run. */
    interface OutputSink {
        void console(byte[] bytes, int offset, int length);

        void line(OutputSource source, String line);
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
        byte[] masked = masker.mask(segment, segmentLength);
        int maskedLength = masked == segment ? segmentLength : masked.length;
        int keep = holdBackSecretPrefix ? masker.pendingSecretPrefix(masked, maskedLength) : 0;
        int emit = maskedLength - keep;
        if (emit > 0) {
            sink.console(masked, 0, emit);
            line.write(masked, 0, emit);
        }
        if (keep > 0) {
            byte[] rest = Arrays.copyOfRange(masked, emit, maskedLength);
            if (segment.length < rest.length) {
                segment = new byte[Math.max(8192, rest.length * 2)];
            }
            System.arraycopy(rest, 0, segment, 0, rest.length);
        }
        segmentLength = keep;
    }

    private void finishLine() {
        byte[] bytes = line.toByteArray();
        line.reset();
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && bytes[end - 1] == '\r') {
            end--;
        }
        sink.line(source, new String(bytes, 0, end, StandardCharsets.UTF_8));
    }

    /** A sink that writes to one console stream and calls listeners, one at a time. */
    static final class SerializedSink implements OutputSink {
        private final OutputStream console;
        private final java.util.List<LineListener> listeners;
        private RuntimeException listenerFailure;
        private IOException consoleFailure;

        SerializedSink(OutputStream console, java.util.List<LineListener> listeners) {
            this.console = console;
            this.listeners = listeners;
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
        public synchronized void line(OutputSource source, String text) {
            for (LineListener listener : listeners) {
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
