package io.vaultcube.pipeline.parse.kernel;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.nvidia.NvidiaCodes;
import java.io.IOException;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The kernel log (kind {@code kernel-log}: {@code dmesg}, {@code dmesg -T} or {@code journalctl -k}
 * output) scanned for NVIDIA Xid reports, {@code NVRM: Xid (PCI:0000:2b:00): 79, ...} with or without
 * {@code PCI:}, and for "fallen off the bus" lines, which also come without any Xid text.
 * Xids are classified with NVIDIA's catalog ({@link NvidiaCodes#APPLICATION_XIDS}): codes known to be
 * application-level (13, 31, 43, ...) are not fatal; every other code, unknown ones included, is (fail closed). Any line is accepted:
 * this is a log of everything the kernel said, and only NVIDIA's lines count. But at least one line
 * must look like a kernel log (a dmesg timestamp, a journalctl {@code HOST kernel:} line, a journal
 * marker such as {@code -- No entries --}, or an {@code NVRM:} message): a README, an HTML error
 * page or noise handed over by mistake would otherwise read as "no Xid", a silent zero.
 */
public final class KernelLogParser implements EvidenceParser {
    /**
     * What only a kernel log's lines look like: {@code dmesg} ({@code [    1.234567] }), {@code dmesg -T}
     * ({@code [Sun Feb 23 16:24:18 2025] }), {@code dmesg -x} ({@code kern  :info  : }), journalctl's
     * short formats ({@code Nov 29 02:44:25 box kernel: }, {@code -o short-iso}/{@code short-precise}),
     * journal markers ({@code -- No entries --}, {@code -- Boot 3f… --}) and NVIDIA's own messages.
     */
    private static final Pattern KERNEL_LINE = Pattern.compile("\\[[^\\]]{1,40}\\] .*"
            + "|[a-z]{3,6} *:[a-z]{3,6} *: .*"
            + "|(?:[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?"
            + "|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\S*) \\S+ kernel: .*"
            + "|-- .+ --|NVRM: .*");

    @Override
    public String kind() {
        return "kernel-log";
    }

    @Override
    public String description() {
        return "kernel log (dmesg / journalctl -k): NVIDIA Xid count, fatal Xids, codes, GPUs fallen off the bus";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        long xids = 0;
        long fatal = 0;
        long fellOff = 0;
        long initFailed = 0;
        TreeMap<Integer, Long> codes = new TreeMap<>();
        long lines0 = 0;
        boolean looksLikeKernelLog = false;
        String firstLine = null;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                lines0++;
                String line = lines.text();
                if (!looksLikeKernelLog) {
                    if (firstLine == null && !line.isBlank()) {
                        firstLine = line;
                    }
                    looksLikeKernelLog = KERNEL_LINE.matcher(line).matches();
                }
                int nvrm = line.indexOf("NVRM: ");
                if (nvrm < 0) {
                    continue;
                }
                String rest = line.substring(nvrm + 6);
                if (rest.startsWith("Xid (")) {
                    int close = rest.indexOf("): ");
                    if (close < 0) {
                        throw lines.error("an Xid line without its code: " + abbreviate(line));
                    }
                    int end = close + 3;
                    while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
                        end++;
                    }
                    if (end == close + 3 || end - close - 3 > 6) {
                        throw lines.error("an Xid line whose code is not a number: " + abbreviate(line));
                    }
                    int code = Integer.parseInt(rest.substring(close + 3, end));
                    xids++;
                    codes.merge(code, 1L, Long::sum);
                    if (NvidiaCodes.fatalXid(code)) {
                        fatal++;
                    }
                }
                if (rest.contains("fallen off the bus")) {
                    fellOff++;
                }
                if (rest.contains("RmInitAdapter failed")) {
                    initFailed++;
                }
            }
            if (lines0 == 0) {
                throw lines.errorAtEnd("no line");
            }
            if (!looksLikeKernelLog) {
                throw new ParseException(lines.sourceName(), 1, "not a kernel log: no line has a dmesg timestamp"
                        + " ([    1.234567] or [Sun Feb 23 16:24:18 2025]), a journalctl 'HOST kernel:' prefix, a"
                        + " journal marker (-- No entries --) or an NVRM: message"
                        + (firstLine == null ? "" : "; the first line is: " + abbreviate(firstLine)));
            }
            lines.requireNewlineAtEnd("the kernel log");
        }
        MetricSet m = new MetricSet();
        m.add(Metric.number("xid.count", xids, null, input.whole()));
        m.add(Metric.number("xid.fatal.count", fatal, null, input.whole()));
        StringJoiner list = new StringJoiner(",");
        codes.keySet().forEach(c -> list.add(Integer.toString(c)));
        m.add(Metric.text("xid.codes", list.toString(), input.whole()));
        for (var e : codes.entrySet()) {
            m.add(Metric.number(MetricName.root("xid").child("code").at(e.getKey()).child("count"), e.getValue(), null, input.whole()));
        }
        m.add(Metric.number("gpu.fell_off_bus.count", fellOff, null, input.whole()));
        m.add(Metric.number("nvrm.init_failed.count", initFailed, null, input.whole()));
        return m;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
