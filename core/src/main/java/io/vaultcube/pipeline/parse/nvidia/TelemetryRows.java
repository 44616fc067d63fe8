package io.vaultcube.pipeline.parse.nvidia;

import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.Quantity;
import java.util.Arrays;
import java.util.List;

/**
 * The one reader of the stress sampler's telemetry CSV rows ({@code scripts/sample-telemetry.sh},
 * docs/gpu-validation.md), under its three users: the telemetry parser (the gates), the follower
 * (progress lines while the run goes) and the report's plots. It tells a header from a row by the
 * query-CSV rule ({@link QueryFields}: units in brackets dropped, aliases resolved), splits a row
 * without making a String, and reads its values by one set of rules: the count of values against
 * the header, a column and its alias holding one value, the timestamp ({@link Timestamps}: one
 * clock for all three), nvidia-smi's sentinels ({@link CsvValues}), each quantity's physical range
 * ({@link Quantity}) and the throttle bits ({@link NvidiaCodes}).
 *
 * <p>It keeps one line and the current header, nothing else: memory is flat whatever the length of
 * the log. What a reader does with a refused line is its own choice: the parser fails the input,
 * the follower and the plots count the line as unreadable and go on ({@link Lines} splits their bytes).
 */
public final class TelemetryRows implements CsvValues.Site {
    /** What a line was. */
    public enum Kind {
        /** Empty or only spaces. */
        BLANK,
        /** A header: new columns (the first, or a sampler restarted with other fields). */
        HEADER,
        /** The same header again (a sampler restarted with the same fields). */
        SAME_HEADER,
        /** A data row, split and checked against the header. */
        ROW
    }

    /** The positions of the columns every reader uses, from the current header; -1 when absent. */
    public static final class Columns {
        final QueryFields fields;
        final boolean aliases;
        public final int count;
        public final int timestamp;
        public final int index;
        public final int uuid;
        public final int temperature;
        public final int utilization;
        public final int powerDraw;
        public final int powerLimit;
        public final int smClock;
        public final int pcieGen;
        public final int pcieWidth;
        public final int throttleMask;
        final byte[] header;

        Columns(QueryFields q, byte[] header) {
            fields = q;
            aliases = q.hasAliases();
            count = q.size();
            timestamp = q.indexOf("timestamp");
            index = q.indexOf("index");
            uuid = q.indexOf("uuid");
            temperature = q.indexOf("temperature.gpu");
            utilization = q.indexOf("utilization.gpu");
            powerDraw = q.indexOf("power.draw");
            powerLimit = q.indexOf("power.limit");
            smClock = q.indexOf("clocks.sm");
            pcieGen = q.indexOf("pcie.link.gen.current");
            pcieWidth = q.indexOf("pcie.link.width.current");
            throttleMask = q.indexOf("clocks_event_reasons.active");
            this.header = header;
        }

        /** The field names, canonical (nvidia-smi's, units dropped, aliases resolved). */
        public List<String> names() {
            return fields.names;
        }
    }

    private final String source;
    private final Fields f = new Fields();
    private final Timestamps clock = new Timestamps();
    private Columns columns;
    /** The fields option, for a log whose first row comes before any header. */
    private String fieldsOption;
    /** The current line: a reader's (the parser's path) or bytes handed in (the tolerant readers'). */
    private LineReader reader;
    private byte[] bytes;
    private int start;
    private int end;
    private long lineNumber;

    /** Rows of {@code source} (its name, as messages cite it). */
    public TelemetryRows(String source) {
        this.source = source;
    }

    /** Rows whose header was read elsewhere (a chunk of a file whose first line is the header). */
    TelemetryRows(String source, Columns columns) {
        this(source);
        this.columns = columns;
    }

    /** The current columns, or null before the first header. */
    public Columns columns() {
        return columns;
    }

    /**
     * Reads the reader's current line (the parser's path: separators already noted by the reader,
     * {@link LineReader#trackSeparator} with ','). A row before any header is refused unless
     * {@link #useFields} named the columns.
     */
    public Kind next(LineReader lines) throws ParseException {
        reader = lines;
        bytes = lines.bytes();
        start = lines.start();
        end = lines.end();
        if (start == end || lines.isBlank()) {
            return Kind.BLANK;
        }
        Kind header = header();
        if (header != null) {
            return header;
        }
        return row(f.splitTracked(lines));
    }

    /** Reads the line {@code b[s, e)} (no line terminator), line {@code number} of the source. */
    public Kind line(byte[] b, int s, int e, long number) throws ParseException {
        reader = null;
        bytes = b;
        start = s;
        end = e;
        lineNumber = number;
        boolean blank = true;
        for (int i = s; i < e && blank; i++) {
            blank = b[i] == ' ' || b[i] == '\t';
        }
        if (blank) {
            return Kind.BLANK;
        }
        Kind header = header();
        if (header != null) {
            return header;
        }
        return row(f.splitCsv(b, s, e, (byte) ','));
    }

    /** HEADER or SAME_HEADER when the line is a header, null when it is not one. */
    private Kind header() throws ParseException {
        byte first = bytes[start];
        if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
            return null;
        }
        if (columns != null && columns.header != null
                && Arrays.equals(columns.header, 0, columns.header.length, bytes, start, end)) {
            return Kind.SAME_HEADER;
        }
        if (!QueryFields.isHeader(bytes, start, end, f)) {
            return null;
        }
        QueryFields q = QueryFields.fromHeader(bytes, start, end, f, this);
        if (q.indexOf("timestamp") < 0 || q.indexOf("index") < 0 && q.indexOf("uuid") < 0) {
            throw error("the telemetry fields must include timestamp, index and uuid; they are " + q.names);
        }
        columns = new Columns(q, Arrays.copyOfRange(bytes, start, end));
        return Kind.HEADER;
    }

    /**
     * The columns for a log without a header line, as the fields option names them
     * ({@code timestamp,index,uuid,...}): used when a row comes before any header.
     */
    public void fieldsWhenNoHeader(String option) {
        fieldsOption = option;
    }

    private Kind row(int n) throws ParseException {
        if (columns == null) {
            if (fieldsOption == null) {
                throw error("data before the header line: the columns are unknown (no header line and no fields option)");
            }
            columns = new Columns(QueryFields.fromOption(fieldsOption, this), null);
        }
        if (n != columns.count) {
            throw error(n + " values where the header has " + columns.count + ": wrong columns or a cut line");
        }
        if (columns.aliases) {
            columns.fields.requireAliasesAgree(f, this);
        }
        return Kind.ROW;
    }

    /** The row's timestamp in milliseconds of the sampler's clock; a row without one is refused. */
    public long millis() throws ParseException {
        int c = columns.timestamp;
        long ms = clock.millis(bytes, f.start(c), f.end(c));
        if (ms == Long.MIN_VALUE) {
            throw error("not an nvidia-smi timestamp (YYYY/MM/DD HH:MM:SS.mmm): '" + f.text(c) + "'");
        }
        return ms;
    }

    /** Column c of the row as a number of quantity q; NaN when nvidia-smi says it is missing. */
    public double number(int c, Quantity q) throws ParseException {
        double v = CsvValues.number(f, c, this, columns.fields.written(c));
        if (!Double.isNaN(v) && !q.allows(v)) {
            throw error(q.refusal(v, columns.fields.written(c)));
        }
        return v;
    }

    /** Column c as a 0x bitmask; -1 when missing. */
    public long mask(int c) throws ParseException {
        return CsvValues.mask(f, c, this, columns.fields.written(c));
    }

    /** The row's clock event reasons: -1 when the column is absent or the value missing. */
    public long throttleMask() throws ParseException {
        return columns.throttleMask < 0 ? -1 : mask(columns.throttleMask);
    }

    /** Column c as text; null when missing. */
    public String text(int c) throws ParseException {
        return CsvValues.text(f, c, this, columns.fields.written(c));
    }

    /** Column c exactly as written, trimmed (no sentinel rule). */
    public String raw(int c) {
        return f.text(c);
    }

    /** Column c as a decimal integer, or {@link io.vaultcube.pipeline.parse.Numbers#NOT_A_LONG}. */
    public long integer(int c) {
        return f.integer(c);
    }

    /** True when column c holds exactly these bytes (a GPU's uuid, without making a String). */
    public boolean is(int c, byte[] value) {
        return value != null && Arrays.equals(value, 0, value.length, bytes, f.start(c), f.end(c));
    }

    /** Column c's bytes, copied. */
    public byte[] copy(int c) {
        return Arrays.copyOfRange(bytes, f.start(c), f.end(c));
    }

    /** The current line's number. */
    public long lineNumber() {
        return reader != null ? reader.lineNumber() : lineNumber;
    }

    /** A refusal of the current line. */
    @Override
    public ParseException error(String problem) {
        return reader != null ? reader.error(problem) : new ParseException(source, lineNumber, problem);
    }

    /**
     * Splits bytes into lines for the readers that take a file as it grows or whatever it holds
     * (the follower, the plots): a line ends at '\n' (one '\r' before it dropped); a longer line than
     * {@link #MAX_LINE} bytes is passed over and reported; a last line without a newline waits for
     * more bytes until {@link #finish}. Memory: one line.
     */
    public static final class Lines {
        /** No telemetry row comes near this. */
        public static final int MAX_LINE = 64 * 1024;

        /** Receives each line. */
        public interface Sink {
            void line(byte[] b, int s, int e, long number);

            /** A line over {@link #MAX_LINE} bytes, passed over. */
            void tooLong(long number);
        }

        private byte[] partial = new byte[256];
        private int length;
        private boolean skipping;
        private long number = 1;

        /** Feeds {@code buf[off, off + len)}; whole lines go to the sink. */
        public void feed(byte[] buf, int off, int len, Sink sink) {
            int from = off;
            int to = off + len;
            for (int i = off; i < to; i++) {
                if (buf[i] == '\n') {
                    append(buf, from, i);
                    emit(sink);
                    from = i + 1;
                }
            }
            append(buf, from, to);
        }

        /** Ends the input: a last line without a newline is a line too. */
        public void finish(Sink sink) {
            if (length > 0 || skipping) {
                emit(sink);
            }
        }

        /** Drops what was kept (the file was replaced). */
        public void reset() {
            length = 0;
            skipping = false;
            number = 1;
        }

        private void emit(Sink sink) {
            if (skipping) {
                sink.tooLong(number);
            } else {
                int e = length > 0 && partial[length - 1] == '\r' ? length - 1 : length;
                sink.line(partial, 0, e, number);
            }
            number++;
            length = 0;
            skipping = false;
        }

        private void append(byte[] b, int s, int e) {
            int n = e - s;
            if (skipping || n <= 0) {
                return;
            }
            if (length + n > MAX_LINE) {
                skipping = true;
                length = 0;
                return;
            }
            if (length + n > partial.length) {
                partial = Arrays.copyOf(partial, Math.min(MAX_LINE, Math.max(length + n, partial.length * 2)));
            }
            System.arraycopy(b, s, partial, length, n);
            length += n;
        }
    }
}
