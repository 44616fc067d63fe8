package io.vaultcube.pipeline.gate;

/**
 * Text for a policy's {@code matches} pattern that stops the match after a fixed number of
 * character reads: a pattern with catastrophic backtracking ({@code (a+)+$}) on a long value would
 * otherwise hang the gate. {@link java.util.regex.Matcher} reads its input only through
 * {@link #charAt}, so counting reads bounds its work without a clock (the same on any machine).
 * Within that bound a match can still take seconds of CPU per value, so it also stops when its
 * thread is interrupted (looked at once per {@link #INTERRUPT_CHECK_READS} reads: no measurable cost).
 */
final class BoundedText implements CharSequence {
    /** Reads allowed per character of the value, plus a floor: a sane pattern needs a few per character. */
    static final long READS_PER_CHAR = 10_000;
    static final long MIN_READS = 1_000_000;
    /** A power of two: how many reads go by between two looks at the thread's interrupt flag. */
    static final long INTERRUPT_CHECK_READS = 1 << 16;

    /** The match was stopped: the pattern backtracks too much on this value. */
    static final class TooComplex extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooComplex() {
            super("regular expression stopped after too many steps", null, false, false);
        }
    }

    private final String text;
    private final int start;
    private final int end;
    private final long[] reads;
    private final long budget;

    BoundedText(String text) {
        this(text, 0, text.length(), new long[1], MIN_READS + READS_PER_CHAR * text.length());
    }

    private BoundedText(String text, int start, int end, long[] reads, long budget) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.reads = reads;
        this.budget = budget;
    }

    @Override
    public char charAt(int index) {
        long n = ++reads[0];
        if (n > budget) {
            throw new TooComplex();
        }
        if ((n & (INTERRUPT_CHECK_READS - 1)) == 0 && Thread.currentThread().isInterrupted()) {
            throw new GateEvaluator.Interrupted();
        }
        return text.charAt(start + index);
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return new BoundedText(text, start + from, start + to, reads, budget);
    }

    @Override
    public String toString() {
        return text.substring(start, end);
    }
}
