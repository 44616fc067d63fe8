package io.vaultcube.pipeline.parse.bench;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.Quantity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gpu-burn output (kind {@code gpu-burn}, wilicc/gpu-burn). The final {@code Tested N GPUs:} block
 * with one {@code GPU i: OK|FAULTY} per GPU is the verdict (gpu-burn exits 0 on a faulty GPU); a log
 * without it, or with fewer verdicts than GPUs, is refused as cut short, and so is one without any
 * progress update (gpu-burn measured nothing). Progress updates are redrawn with carriage returns
 * ({@link LineReader.Mode#CR_SEGMENTS}); error counters restart after each {@code Summary at:}, so
 * a GPU's errors are the sum of each window's last count. {@code (DIED!)} marks a GPU whose worker
 * died. Gflop/s are from the last update.
 *
 * <p>On broken GPUs gpu-burn prints negative error counts ({@code errors: 0 - -524288000 (WARNING!)- ...},
 * wilicc/gpu-burn issue #12): the counter holds garbage. The list is read entry by entry (a count,
 * an optional {@code (WARNING!)} or {@code (DIED!)}, {@code -} between entries), the verdict lines
 * still decide, and such a GPU's error count is unknown: its {@code errors} (and the total) are left
 * out, never a made-up number.
 */
public final class GpuBurnParser implements EvidenceParser {
    @Override
    public String kind() {
        return "gpu-burn";
    }

    @Override
    public String description() {
        return "gpu-burn output: final OK/FAULTY verdict per GPU, errors per window, DIED, Gflop/s";
    }

    private static final class Gpu {
        long windowErrors;
        long errors;
        /** A window showed a negative count: gpu-burn's counter was garbage (a broken GPU), the count is unknown. */
        boolean countInvalid;
        boolean died;
        double gflops = Double.NaN;
        long gflopsLine;
        String uuid;
        long uuidLine;
        String verdict;
        long verdictLine;
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        Map<Integer, Gpu> gpus = new TreeMap<>();
        long tested = -1;
        long testedLine = 0;
        long updates = 0;
        int progressGpus = -1;
        try (LineReader lines = LineReader.open(input, LineReader.Mode.CR_SEGMENTS)) {
            while (lines.next()) {
                String seg = lines.text().trim();
                if (seg.isEmpty()) {
                    continue;
                }
                long n = lines.lineNumber();
                if (tested >= 0) {
                    if (seg.startsWith("GPU ") && (seg.endsWith(": OK") || seg.endsWith(": FAULTY"))) {
                        int idx = index(seg.substring(4, seg.indexOf(':')), lines);
                        Gpu g = gpus.computeIfAbsent(idx, k -> new Gpu());
                        if (g.verdict != null) {
                            throw lines.error("a second verdict for GPU " + idx);
                        }
                        g.verdict = seg.endsWith(": OK") ? "OK" : "FAULTY";
                        g.verdictLine = n;
                    }
                    continue;
        }
                if (seg.startsWith("Tested ") && seg.endsWith(" GPUs:")) {
                    tested = Numbers.parseLong(seg.substring(7, seg.length() - 6));
                    if (tested < 0) {
                        throw lines.error("not a GPU count: " + seg);
                    }
                    testedLine = n;
                } else if (seg.startsWith("Summary at:")) {
                    for (Gpu g : gpus.values()) {
                        g.errors += g.windowErrors;
                        g.windowErrors = 0;
                    }
                } else if (seg.contains("proc'd: ") && seg.contains("errors: ")) {
                    int count = progress(seg, lines, gpus);
                    if (progressGpus >= 0 && count != progressGpus) {
                        throw lines.error("a progress update for " + count + " GPUs after updates for " + progressGpus);
                    }
                    progressGpus = count;
                    updates++;
                } else if (seg.startsWith("GPU ") && seg.contains(" (UUID: ") && seg.endsWith(")")) {
                    int idx = index(seg.substring(4, seg.indexOf(':')), lines);
                    Gpu g = gpus.computeIfAbsent(idx, k -> new Gpu());
                    g.uuid = seg.substring(seg.indexOf(" (UUID: ") + 8, seg.length() - 1);
                    g.uuidLine = n;
                } else if (seg.startsWith("No clients are alive!")) {
                    throw lines.error("gpu-burn aborted: every worker died (No clients are alive!): no verdict");
                }
            }
            lines.requireNewlineAtEnd("gpu-burn");
        }
        if (tested < 0) {
            throw new ParseException(input.sourceName(), 0, "no final verdict ('Tested N GPUs:' and a 'GPU i: OK|FAULTY'"
                    + " line per GPU): gpu-burn did not finish or the log is cut short");
        }
        long verdicts = gpus.values().stream().filter(g -> g.verdict != null).count();
        if (verdicts != tested) {
            throw new ParseException(input.sourceName(), testedLine, "'Tested " + tested + " GPUs' but " + verdicts
                    + " verdict lines follow: cut short?");
        }
        if (updates == 0) {
            throw new ParseException(input.sourceName(), 0, "no progress update: gpu-burn measured nothing");
        }
        MetricSet m = new MetricSet();
        long faulty = 0;
        long errors = 0;
        boolean errorsKnown = true;
        boolean anyDied = false;
        for (Map.Entry<Integer, Gpu> e : gpus.entrySet()) {
            Gpu g = e.getValue();
            g.errors += g.windowErrors;
            g.windowErrors = 0;
            MetricName base = MetricName.root("gpu_burn").child("gpu").at(e.getKey());
            if (g.verdict == null) {
                throw new ParseException(input.sourceName(), testedLine, "GPU " + e.getKey() + " has no verdict");
            }
            boolean ok = g.verdict.equals("OK");
            faulty += ok ? 0 : 1;
            errors += g.errors;
            errorsKnown &= !g.countInvalid;
            anyDied |= g.died;
            m.add(Metric.bool(base.child("ok"), ok, input.at(g.verdictLine)));
            if (!g.countInvalid) {
                m.add(Metric.number(base.child("errors"), g.errors, null, input.whole()));
            }
            m.add(Metric.bool(base.child("died"), g.died, input.whole()));
            if (!Double.isNaN(g.gflops)) {
                m.add(Metric.number(base.child("gflops"), g.gflops, "Gflop/s", input.at(g.gflopsLine)));
            }
            if (g.uuid != null) {
                m.add(Metric.text(base.child("uuid"), g.uuid, input.at(g.uuidLine)));
            }
        }
        m.add(Metric.number("gpu_burn.gpus", tested, null, input.at(testedLine)));
        m.add(Metric.number("gpu_burn.faulty", faulty, null, input.whole()));
        if (errorsKnown) {
            m.add(Metric.number("gpu_burn.errors", errors, null, input.whole()));
        }
        m.add(Metric.number("gpu_burn.updates", updates, null, input.whole()));
        m.add(Metric.bool("gpu_burn.ok", faulty == 0 && errors == 0 && errorsKnown && !anyDied && tested > 0, input.whole()));
        return m;
    }

    /**
     * One progress update: {@code 50.0%  proc'd: 2261 (7150 Gflop/s) - 0 (0 Gflop/s)   errors: 0 - 12  (WARNING!)- 0
     * (DIED!)   temps: 38 C - -- }. Returns the number of GPUs it reports.
     */
    private static int progress(String seg, LineReader lines, Map<Integer, Gpu> gpus) throws ParseException {
        int p = seg.indexOf("proc'd: ");
        int e = seg.indexOf("errors: ", p);
        int t = seg.indexOf("temps: ", e);
        if (p < 0 || e < 0) {
            throw lines.error("a malformed progress update: " + abbreviate(seg));
        }
        String[] procd = seg.substring(p + 8, e).trim().split(" - ");
        List<String> errs = errorEntries(seg.substring(e + 8, t < 0 ? seg.length() : t), lines);
        if (procd.length != errs.size()) {
            throw lines.error("a progress update with " + procd.length + " GPUs processed but " + errs.size() + " error counts");
        }
        for (int i = 0; i < procd.length; i++) {
            Gpu g = gpus.computeIfAbsent(i, k -> new Gpu());
            String pr = procd[i].trim();
            int open = pr.indexOf(" (");
            int close = pr.indexOf(" Gflop/s)");
            if (open < 0 || close < open) {
                throw lines.error("not 'N (G Gflop/s)' in a progress update: '" + pr + "'");
            }
            long iterations = Numbers.parseLong(pr.substring(0, open));
            double gflops = Numbers.parseDouble(pr.substring(open + 2, close));
            if (iterations == Numbers.NOT_A_LONG || Double.isNaN(gflops) || !Quantity.GFLOPS.allows(gflops)) {
                throw lines.error("not 'N (G Gflop/s)' in a progress update: '" + pr + "'");
            }
            String er = errs.get(i);
            boolean died = er.endsWith("(DIED!)");
            if (died || iterations == -1) {
                g.died = true;
            }
            int space = er.indexOf(' ');
            long count = Numbers.parseLong(space < 0 ? er : er.substring(0, space));
            if (count == Numbers.NOT_A_LONG) {
                throw lines.error("not an error count in a progress update: '" + er + "'");
            }
            if (count < 0) {
                g.countInvalid = true; // garbage in gpu-burn's counter: the GPU is broken, the count unknown
                count = 0;
            }
            g.windowErrors = count;
            g.gflops = gflops;
            g.gflopsLine = lines.lineNumber();
        }
        return procd.length;
    }

    private static final Pattern ENTRY =
            Pattern.compile("\\s*(-?[0-9]+)(\\s*\\((?:WARNING|DIED)!\\))?\\s*");

    /**
     * The entries of an {@code errors:} list: "0", "-524288000 (WARNING!)", "12 (DIED!)". Entries are
     * separated by '-', which a negative count also starts with, so the list is read entry by entry.
     */
    private static List<String> errorEntries(String list, LineReader lines) throws ParseException {
        List<String> out = new ArrayList<>();
        Matcher m = ENTRY.matcher(list);
        int at = 0;
        while (true) {
            m.region(at, list.length());
            if (!m.lookingAt()) {
                throw lines.error("not an error list in a progress update: '" + abbreviate(list.trim()) + "'");
            }
            out.add(m.group(1) + (m.group(2) == null ? "" : " " + m.group(2).trim()));
            at = m.end();
            if (at == list.length()) {
                return out;
            }
            if (list.charAt(at) != '-') {
                throw lines.error("not an error list in a progress update: '" + abbreviate(list.trim()) + "'");
            }
            at++;
        }
    }

    private static int index(String text, LineReader lines) throws ParseException {
        long i = Numbers.parseLong(text.trim());
        if (i < 0 || i > 1024) {
            throw lines.error("not a GPU index: " + text);
        }
        return (int) i;
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }
}
