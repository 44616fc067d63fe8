package io.vaultcube.pipeline.parse;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

/**
 * The streaming line reader under every text parser. It reads bytes in blocks (never the whole
 * file), splits on {@code \n}, strips one trailing {@code \r} (CRLF input), and keeps the exact
 * 1-based line number. It refuses what is not text: a NUL byte or bytes that are not UTF-8 are
 * "binary data", and a line longer than {@link #DEFAULT_MAX_LINE_BYTES} is refused too (memory
 * stays flat whatever the input). An input of zero bytes is refused as "empty".
 *
 * <p>In {@link Mode#CR_SEGMENTS} mode a lone {@code \r} (not followed by {@code \n}) also ends a
 * segment, with the line number unchanged: tools that redraw a progress line with carriage returns
 * (gpu-burn) produce one "line" per run otherwise, unbounded in length.
 *
 * <p>The current line is a byte range of {@link #bytes()} from {@link #start()} to {@link #end()}
 * (exclusive), valid until the next call to {@link #next()}; {@link #text()} decodes it on demand.
 * Hot paths (telemetry) read the bytes directly and never make a String.
 */
public final class LineReader implements Closeable {
    /** Lines longer than this (1 MiB) are refused: no tool we read writes one. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private static final int BLOCK = 64 * 1024;

    /** How lines end. */
    public enum Mode {
        /** {@code \n} ends a line; one {@code \r} before it is dropped. */
        LINES,
        /** As {@link #LINES}, and a lone {@code \r} ends a segment of the same line. */
        CR_SEGMENTS
    }

    private final InputStream in;
    private final String sourceName;
    private final int maxLineBytes;
    private final Mode mode;

    private byte[] buf = new byte[BLOCK];
    /** Unconsumed data is buf[pos, limit). */
    private int pos;
    private int limit;
    /** Bytes of buf[pos, scanned) are validated and hold no terminator. */
    private int scanned;
    private boolean eof;
    private long totalBytes;

    private int lineStart;
    private int lineEnd;
    /** With {@link #trackSeparator}: offsets (from the line start) of the separators of the current line. */
    private int separator = -1;
    private int[] separatorOffsets = new int[64];
    private int separators;
    private int pendingSeparators;
    private long lineNumber;
    /** True when the previous segment ended with a lone CR (same line continues). */
    private boolean continuesLine;
    /** True when the current line is the last one and no newline ended it. */
    private boolean unterminated;
    private String text;

    public LineReader(InputStream in, String sourceName, int maxLineBytes, Mode mode) {
        this.in = in;
        this.sourceName = sourceName;
        this.maxLineBytes = maxLineBytes;
        this.mode = mode;
    }

    public LineReader(InputStream in, String sourceName) {
        this(in, sourceName, DEFAULT_MAX_LINE_BYTES, Mode.LINES);
    }

    /** Opens a parser's input. */
    public static LineReader open(ParseInput input) throws IOException {
        return open(input, Mode.LINES);
    }

    public static LineReader open(ParseInput input, Mode mode) throws IOException {
        return new LineReader(Files.newInputStream(input.file()), input.sourceName(), DEFAULT_MAX_LINE_BYTES, mode);
    }

    /**
     * Moves to the next line.
     *
     * @return false at the end of the input
     * @throws ParseException binary data, a line over the limit, or an empty input
     */
    public boolean next() throws IOException, ParseException {
        text = null;
        while (true) {
            int terminator = scan();
            if (terminator >= 0) {
                if (terminator - pos > maxLineBytes) {
                    throw tooLong();
                }
                return emit(terminator);
            }
            if (eof) {
                if (pos < limit) {
                    // The last line has no newline: it is still a line.
                    return emit(-1);
                }
                if (totalBytes == 0 && lineNumber == 0) {
                    throw new ParseException(sourceName, 0, "empty: the file has no content");
                }
                return false;
            }
            fill();
        }
    }

    /**
     * Scans buf[scanned, limit) for the end of the current line, validating UTF-8 on the way.
     * Returns the index of the terminator byte, or -1 when more input is needed.
     */
    private int scan() throws ParseException {
        byte[] b = buf;
        int i = scanned;
        int lim = limit;
        // In locals: the loop runs once per byte of the input, before the JIT has optimised it too.
        int sep = separator;
        int[] offsets = separatorOffsets;
        while (i < lim) {
            int c = b[i];
            if (c >= 0) {
                if (c > '\r') {
                    if (c == sep) {
                        if (pendingSeparators == offsets.length) {
                            offsets = separatorOffsets = Arrays.copyOf(offsets, offsets.length * 2);
                        }
                        offsets[pendingSeparators++] = i - pos;
                    }
                    i++;
                    continue;
                }
                if (c == '\n') {
                    scanned = i;
                    return i;
                }
                if (c == 0) {
                    scanned = i;
                    throw binary("a NUL byte");
                }
                if (c == '\r' && mode == Mode.CR_SEGMENTS) {
                    if (i + 1 < lim) {
                        if (b[i + 1] != '\n') {
                            scanned = i;
                            return i;
                        }
                        i++; // CRLF: the LF ends the line
                        continue;
                    }
                    if (!eof) {
                        break; // need the next byte to tell CR from CRLF
                    }
                    scanned = i;
                    return i;
                }
                i++;
                continue;
            }
            int need = utf8Length(c);
            if (need < 0) {
                scanned = i;
                throw binary("a byte that is not UTF-8 (0x" + Integer.toHexString(c & 0xff) + ")");
            }
            if (i + need > lim) {
                if (eof) {
                    scanned = i;
                    throw binary("a UTF-8 sequence cut short at the end of the file");
                }
                break;
            }
            if (!validContinuation(b, i, need)) {
                scanned = i;
                throw binary("bytes that are not UTF-8");
            }
            i += need;
        }
        scanned = i;
        if (i - pos > maxLineBytes) {
            throw tooLong();
        }
        return -1;
    }

    /**
     * Makes the reader note where a separator byte (an ASCII character such as ',') occurs in each
     * line while it scans for the line's end: CSV parsers then split a line without reading it again.
     */
    public void trackSeparator(char ascii) {
        if (ascii == 0 || ascii > 0x7e || ascii == '\n' || ascii == '\r') {
            throw new IllegalArgumentException("not a separator: " + (int) ascii);
        }
        separator = ascii;
    }

    /** The number of separators in the current line (see {@link #trackSeparator}). */
    public int separatorCount() {
        return separators;
    }

    /** The index in {@link #bytes()} of the k-th separator of the current line. */
    public int separatorAt(int k) {
        return lineStart + separatorOffsets[k];
    }

    private ParseException tooLong() {
        long line = continuesLine ? lineNumber : lineNumber + 1;
        return new ParseException(sourceName, Math.max(1, line),
                "line longer than " + describeLimit() + ": not a tool's output, or garbled");
    }

    private String describeLimit() {
        return maxLineBytes >= 1 << 20 ? (maxLineBytes >> 20) + " MiB" : maxLineBytes + " bytes";
    }

    private ParseException binary(String what) {
        // The line being scanned is lineNumber + 1 unless a CR segment continues the current line.
        long line = continuesLine ? lineNumber : lineNumber + 1;
        return new ParseException(sourceName, Math.max(1, line), "binary data: " + what + " where text was expected");
    }

    private static int utf8Length(int lead) {
        int u = lead & 0xff;
        if (u >= 0xc2 && u <= 0xdf) {
            return 2;
        }
        if (u >= 0xe0 && u <= 0xef) {
            return 3;
        }
        if (u >= 0xf0 && u <= 0xf4) {
            return 4;
        }
        return -1; // continuation byte, overlong lead 0xc0/0xc1, or beyond U+10FFFF
    }

    private static boolean validContinuation(byte[] b, int i, int need) {
        int lead = b[i] & 0xff;
        int second = b[i + 1] & 0xff;
        if ((second & 0xc0) != 0x80) {
            return false;
        }
        // Overlong forms, surrogates and code points above U+10FFFF.
        if (lead == 0xe0 && second < 0xa0 || lead == 0xed && second > 0x9f
                || lead == 0xf0 && second < 0x90 || lead == 0xf4 && second > 0x8f) {
            return false;
        }
        for (int k = 2; k < need; k++) {
            if ((b[i + k] & 0xc0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Makes the bytes from pos to the terminator (or to limit when terminator is -1) the current line. */
    private boolean emit(int terminator) {
        unterminated = terminator < 0;
        int end = terminator < 0 ? limit : terminator;
        boolean lone = terminator >= 0 && buf[terminator] == '\r';
        lineStart = pos;
        lineEnd = end;
        if (!lone && lineEnd > lineStart && buf[lineEnd - 1] == '\r') {
            lineEnd--;
        }
        if (!continuesLine) {
            lineNumber++;
        }
        separators = pendingSeparators;
        pendingSeparators = 0;
        continuesLine = lone;
        pos = terminator < 0 ? limit : terminator + 1;
        scanned = pos;
        return true;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            int live = limit - pos;
            System.arraycopy(buf, pos, buf, 0, live);
            lineStart -= pos;
            lineEnd -= pos;
            scanned -= pos;
            limit = live;
            pos = 0;
        }
        if (limit == buf.length) {
            int grown = (int) Math.min((long) buf.length * 2, (long) maxLineBytes + BLOCK);
            byte[] bigger = new byte[Math.max(grown, buf.length + 1)];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
            totalBytes += n;
        }
    }

    /**
     * True when the current line is the input's last and no newline ends it. Every tool we read
     * ends its output with a newline, so such a line was cut mid-way (a full disk, a killed
     * capture, a truncated copy); see {@link #requireNewlineAtEnd}.
     */
    public boolean unterminated() {
        return unterminated;
    }

    /**
     * Call after the last line: refuses an input whose last line has no newline, citing that line,
     * so an output cut mid-line is not read as a shorter complete one.
     */
    public void requireNewlineAtEnd(String tool) throws ParseException {
        if (unterminated) {
            throw new ParseException(sourceName, Math.max(1, lineNumber), "cut short: the last line has no newline, so "
                    + tool + "'s output was cut mid-line (a killed capture, a full disk or a truncated copy)");
        }
    }

    /** The 1-based number of the current line (a CR segment has its line's number). */
    public long lineNumber() {
        return lineNumber;
    }

    /** The buffer that holds the current line; valid until {@link #next()}. */
    public byte[] bytes() {
        return buf;
    }

    public int start() {
        return lineStart;
    }

    public int end() {
        return lineEnd;
    }

    public int length() {
        return lineEnd - lineStart;
    }

    /** True when the current segment ended with a lone CR (only in {@link Mode#CR_SEGMENTS}). */
    public boolean endedWithCarriageReturn() {
        return continuesLine;
    }

    /** The current line as text (decoded once, cached). */
    public String text() {
        if (text == null) {
            text = new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
        }
        return text;
    }

    /** True when the line is empty or only spaces and tabs. */
    public boolean isBlank() {
        for (int i = lineStart; i < lineEnd; i++) {
            byte c = buf[i];
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** True when the line starts with the given ASCII text. */
    public boolean startsWith(String ascii) {
        int n = ascii.length();
        if (lineEnd - lineStart < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (buf[lineStart + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The name of the input, as metrics and errors cite it. */
    public String sourceName() {
        return sourceName;
    }

    /** An error on the current line. */
    public ParseException error(String problem) {
        return new ParseException(sourceName, Math.max(1, lineNumber), problem);
    }

    /** An error about the input as a whole (missing content, truncation), saying where it ended. */
    public ParseException errorAtEnd(String problem) {
        return new ParseException(sourceName, 0, problem + " (the input ends at line " + lineNumber + ")");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
