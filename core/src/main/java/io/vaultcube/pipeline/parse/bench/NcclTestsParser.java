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
import io.vaultcube.pipeline.parse.nvidia.Sentinels;
import java.io.IOException;

/**
 * nccl-tests {@code all_reduce_perf} output (kind {@code nccl}), in the current column format
 * ({@code size count type redop root time algbw busbw #wrong} out-of-place, then in-place) and the
 * older one (no {@code root}, a float {@code error} column). Bus bandwidth is reported per message
 * size and as the maximum and the value at the largest size; the "Avg bus bandwidth" footer averages
 * tiny sizes too and is not used as a figure. {@code Test NCCL failure}, {@code Test CUDA failure} and
 * {@code Test failure} lines make the run fail; a run without failures must end with the
 * {@code # Out of bounds values} footer, or it is refused as cut short. NCCL INFO/WARN lines are skipped.
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
        long largest = -1;
        double busLargest = Double.NaN;
        long largestLine = 0;
        long failures = 0;
        long oobLine = 0;
        boolean oobOk = false;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String text = lines.text();
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
                int k = f.splitWhitespace(lines.bytes(), lines.start(), lines.end());
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
                double busOut = number(f, o + 2, lines);
                double busIn = number(f, o + 6, lines);
                for (int c : new int[] {o, o + 1, o + 4, o + 5}) {
                    number(f, c, lines);
                }
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
                        if (Sentinels.classify(lines.bytes(), f.start(c), f.end(c)) != Sentinels.Kind.MISSING) {
                            double err = number(f, c, lines);
                            maxError = Double.isNaN(maxError) ? err : Math.max(maxError, err);
                        }
                    }
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
                if (size > largest) {
                    largest = size;
                    busLargest = busOut;
                    largestLine = n;
                }
            }
        }
        if (failures == 0 && rows == 0) {
            throw new ParseException(input.sourceName(), 0, "no result row and no failure: not all_reduce_perf output, or cut short");
        }
        if (failures == 0 && oobLine == 0) {
            throw new ParseException(input.sourceName(), 0, "truncated: no '# Out of bounds values' footer; the test did not finish");
        }
        m.add(Metric.number("nccl.ranks", ranks, null, input.whole()));
        m.add(Metric.number("nccl.sizes", rows, null, input.whole()));
        m.add(Metric.number("nccl.failures", failures, null, input.whole()));
        if (rows > 0) {
            m.add(Metric.number("nccl.busbw_gbps.max", busMax, "GB/s", input.at(busMaxLine)));
            m.add(Metric.number("nccl.busbw_gbps.largest", busLargest, "GB/s", input.at(largestLine)));
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

    private static double number(Fields f, int i, LineReader lines) throws ParseException {
        double v = f.number(i);
        if (Double.isNaN(v) || v < 0) {
            throw lines.error("not a number in column " + (i + 1) + ": '" + f.text(i) + "'");
        }
        return v;
    }
}
