package io.vaultcube.pipeline.parse.bench;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.Fields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.Quantity;
import io.vaultcube.pipeline.parse.nvidia.Sentinels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * nccl-tests {@code all_reduce_perf} output (kind {@code nccl}), in the current column format
 * ({@code size count type redop root time algbw busbw #wrong} out-of-place, then in-place) and the
 * older one (no {@code root}, a float {@code error} column). Bus bandwidth is reported per message
 * size and as the maximum and the value at the largest size; the "Avg bus bandwidth" footer averages
 * tiny sizes too and is not used as a figure. {@code Test NCCL failure}, {@code Test CUDA failure} and
 * {@code Test failure} lines make the run fail; a run without failures must end with the
 * {@code # Out of bounds values} footer, or it is refused as cut short. NCCL INFO/WARN lines are skipped.
 *
 * <p>Run under {@code mpirun --tag-output}, every line carries Open MPI's {@code [job,rank]<stdout>:}
 * (or {@code <stderr>:}) prefix; it is removed first, so a tagged log reads as the untagged one. A run
 * from 1 byte prints size-0 rows (twice: 1 and 2 bytes of floats are 0 elements): they move no data,
 * so their #wrong counts but they give no bandwidth metric. Out-of-place and in-place columns are kept
 * apart ({@code busbw_gbps} is out-of-place, {@code busbw_inplace_gbps} in-place);
 * {@code nccl.busbw_gbps.max} is the larger of the two over all sizes.
 */
public final class NcclTestsParser implements EvidenceParser {
    @Override
    public String kind() {
        return "nccl";
    }

    @Override
    public String description() {
        return "nccl-tests all_reduce_perf output: bus bandwidth per size, max and at the largest size, #wrong, failures";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        MetricSet m = new MetricSet();
        Fields f = new Fields();
        Boolean newFormat = null;
        long ranks = 0;
        long rows = 0;
        long wrong = 0;
        boolean wrongKnown = false;
        double maxError = Double.NaN;
        double busMax = Double.NaN;
        long busMaxLine = 0;
        double outMax = Double.NaN;
        long outMaxLine = 0;
        double inMax = Double.NaN;
        long inMaxLine = 0;
        long largest = -1;
        double busLargest = Double.NaN;
        double inLargest = Double.NaN;
        long largestLine = 0;
        long zeroRows = 0;
        long failures = 0;
        long oobLine = 0;
        boolean oobOk = false;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String text = withoutMpiTag(lines.text());
                String t = text.trim();
                long n = lines.lineNumber();
                if (t.contains("Test NCCL failure") || t.contains("Test CUDA failure") || t.contains(": Test failure")) {
                    failures++;
                    continue;
                }
                if (t.startsWith("#")) {
                    String h = t.substring(1).trim();
                    if (h.startsWith("Rank ")) {
                        ranks++;
                    } else if (h.startsWith("size ") && h.contains("busbw")) {
                        newFormat = h.contains("#wrong");
                        if (newFormat != h.contains(" root ")) {
                            throw lines.error("a column header neither of the current (root, #wrong) nor of the old (error) format");
                        }
                    } else if (h.startsWith("Out of bounds values")) {
                        if (oobLine != 0) {
                            throw lines.error("a second 'Out of bounds values' line (the first is at line " + oobLine
                                    + "): two runs in one log, or a garbled one");
                        }
                        oobLine = n;
                        oobOk = h.endsWith("OK");
                        int colon = h.indexOf(':');
                        String[] v = h.substring(colon + 1).trim().split("\\s+");
                        long oob = Numbers.parseLong(v[0]);
                        if (colon < 0 || oob < 0) {
                            throw lines.error("a malformed 'Out of bounds values' line");
                        }
                        m.add(Metric.number("nccl.out_of_bounds", oob, null, input.at(n)));
                    }
                    continue;
                }
                byte[] row = text.getBytes(StandardCharsets.UTF_8);
                int k = f.splitWhitespace(row, 0, row.length);
                if (k == 0 || f.integer(0) < 0) {
                    continue; // NCCL INFO, hostnames, blank lines
                }
                if (newFormat == null) {
                    throw lines.error("a result row before the column header");
                }
                int expected = newFormat ? 13 : 12;
                if (k != expected) {
                    throw lines.error(k + " columns in a result row, expected " + expected + ": cut short or garbled");
                }
                long size = f.integer(0);
                int o = newFormat ? 5 : 4; // out-of-place time column
                double busOut = number(f, o + 2, lines, Quantity.BANDWIDTH_GBPS);
                double busIn = number(f, o + 6, lines, Quantity.BANDWIDTH_GBPS);
                number(f, o, lines, Quantity.DURATION_S);
                number(f, o + 4, lines, Quantity.DURATION_S);
                number(f, o + 1, lines, Quantity.BANDWIDTH_GBPS);
                number(f, o + 5, lines, Quantity.BANDWIDTH_GBPS);
                if (newFormat) {
                    long w1 = f.integer(o + 3);
                    long w2 = f.integer(o + 7);
                    if (w1 < 0 || w2 < 0) {
                        throw lines.error("#wrong is not a count");
                    }
                    wrong += w1 + w2;
                    wrongKnown = true;
                } else {
                    for (int c : new int[] {o + 3, o + 7}) {
                        if (Sentinels.classify(row, f.start(c), f.end(c)) != Sentinels.Kind.MISSING) {
                            double err = number(f, c, lines, Quantity.COUNT);
                            maxError = Double.isNaN(maxError) ? err : Math.max(maxError, err);
                        }
                    }
                }
                if (size == 0) {
                    zeroRows++; // 0 bytes moved: no bandwidth to report (a run from 1 byte prints two)
                    continue;
                }
                rows++;
                MetricName base = MetricName.root("nccl").child("size").at(size);
                if (m.contains(base.child("busbw_gbps").toString())) {
                    throw lines.error("message size " + size + " twice");
                }
                m.add(Metric.number(base.child("busbw_gbps"), busOut, "GB/s", input.at(n)));
                m.add(Metric.number(base.child("busbw_inplace_gbps"), busIn, "GB/s", input.at(n)));
                double best = Math.max(busOut, busIn);
                if (Double.isNaN(busMax) || best > busMax) {
                    busMax = best;
                    busMaxLine = n;
                }
                if (Double.isNaN(outMax) || busOut > outMax) {
                    outMax = busOut;
                    outMaxLine = n;
                }
                if (Double.isNaN(inMax) || busIn > inMax) {
                    inMax = busIn;
                    inMaxLine = n;
                }
                if (size > largest) {
                    largest = size;
                    busLargest = busOut;
                    inLargest = busIn;
                    largestLine = n;
                }
            }
            lines.requireNewlineAtEnd("all_reduce_perf");
        }
        if (failures == 0 && rows == 0) {
            throw new ParseException(input.sourceName(), 0, zeroRows > 0 ? "only rows of size 0 (no data moved) and no failure"
                    : "no result row and no failure: not all_reduce_perf output, or cut short");
        }
        if (failures == 0 && oobLine == 0) {
            throw new ParseException(input.sourceName(), 0, "truncated: no '# Out of bounds values' footer; the test did not finish");
        }
        m.add(Metric.number("nccl.ranks", ranks, null, input.whole()));
        m.add(Metric.number("nccl.sizes", rows, null, input.whole()));
        m.add(Metric.number("nccl.failures", failures, null, input.whole()));
        if (rows > 0) {
            m.add(Metric.number("nccl.busbw_gbps.max", busMax, "GB/s", input.at(busMaxLine)));
            m.add(Metric.number("nccl.busbw_outofplace_gbps.max", outMax, "GB/s", input.at(outMaxLine)));
            m.add(Metric.number("nccl.busbw_inplace_gbps.max", inMax, "GB/s", input.at(inMaxLine)));
            m.add(Metric.number("nccl.busbw_gbps.largest", busLargest, "GB/s", input.at(largestLine)));
            m.add(Metric.number("nccl.busbw_inplace_gbps.largest", inLargest, "GB/s", input.at(largestLine)));
            m.add(Metric.number("nccl.largest_size_bytes", largest, "B", input.at(largestLine)));
        }
        if (wrongKnown) {
            m.add(Metric.number("nccl.wrong", wrong, null, input.whole()));
        }
        if (!Double.isNaN(maxError)) {
            m.add(Metric.number("nccl.max_error", maxError, null, input.whole()));
        }
        boolean ok = failures == 0 && oobOk && (!wrongKnown || wrong == 0) && (Double.isNaN(maxError) || maxError == 0);
        m.add(Metric.bool("nccl.ok", ok, input.whole()));
        return m;
    }

    private static double number(Fields f, int i, LineReader lines, Quantity q) throws ParseException {
        double v = f.number(i);
        if (Double.isNaN(v)) {
            throw lines.error("not a number in column " + (i + 1) + ": '" + f.text(i) + "'");
        }
        return q.require(v, lines, "column " + (i + 1));
    }

    /**
     * The line without Open MPI's {@code --tag-output} prefix ({@code [1,0]<stdout>:}); the line
     * itself when it has none.
     */
    static String withoutMpiTag(String line) {
        if (line.isEmpty() || line.charAt(0) != '[') {
            return line;
        }
        int close = line.indexOf("]<std");
        if (close < 0) {
            return line;
        }
        String ids = line.substring(1, close);
        int comma = ids.indexOf(',');
        if (comma <= 0 || comma == ids.length() - 1 || !ids.replace(",", "").chars().allMatch(Character::isDigit)
                || ids.indexOf(',', comma + 1) >= 0) {
            return line;
        }
        String rest = line.substring(close + 1);
        if (rest.startsWith("<stdout>:")) {
            return rest.substring(9);
        }
        if (rest.startsWith("<stderr>:")) {
            return rest.substring(9);
        }
        return line;
    }
}
