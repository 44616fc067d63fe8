package io.vaultcube.pipeline.parse.ansible;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.packer.PackerRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ansible-playbook} output with the default stdout callback (kind {@code ansible}), plain or
 * coloured (ANSI codes are dropped), and the same output wrapped by packer ({@code -machine-readable}
 * log of an ansible or shell-local provisioner: each line a {@code ui,message} record prefixed with
 * {@code "    BUILD: "}). Option {@code build=NAME} picks one packer build when several ran ansible.
 *
 * <p>Every PLAY RECAP is one run (ansible prints one per playbook run, at the end): a file holding
 * two recaps holds two runs (e.g. converge, then the idempotence check). A recap's host lines are
 * {@code HOST : ok=N changed=N unreachable=N failed=N skipped=N rescued=N ignored=N} (before ansible
 * 2.8: {@code ok changed unreachable failed} only; the three others are then absent, not 0); ansible ends
 * the recap with a blank line. Refused as cut short: no recap at all, a recap not closed by its blank
 * line, and a play that starts after the last recap without one of its own.
 */
public final class AnsibleLogParser implements EvidenceParser {
    @Override
    public String kind() {
        return "ansible";
    }

    @Override
    public Set<String> options() {
        return Set.of("build");
    }

    @Override
    public String description() {
        return "ansible-playbook default output (also inside a packer log): PLAY RECAP per host and run";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        return AnsibleRuns.metrics(readRuns(input), input.whole());
    }

    /** The runs of the input, in order (at least one). */
    public List<AnsibleRun> readRuns(ParseInput input) throws ParseException, IOException {
        String onlyBuild = input.option("build");
        List<AnsibleRun> runs = new ArrayList<>();
        Map<String, RecapReader> streams = new LinkedHashMap<>();
        Boolean packerMode = null;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String line = lines.text();
                if (packerMode == null) {
                    if (lines.isBlank()) {
                        continue;
                    }
                    packerMode = PackerRecord.parse(line) != null;
                }
                if (!packerMode) {
                    stream(streams, "", input, runs).feed(line, lines.lineNumber());
                    continue;
                }
                if (lines.isBlank()) {
                    continue;
                }
                PackerRecord r = PackerRecord.parse(line);
                if (r == null) {
                    throw lines.error("not a packer machine-readable record in a packer log");
                }
                if (!r.type().equals("ui") || !"message".equals(r.field(0))) {
                    continue;
                }
                String text = r.rest(1);
                String build = buildOf(text);
                if (build == null || onlyBuild != null && !onlyBuild.equals(build)) {
                    continue;
                }
                String prefix = "    " + build + ":";
                RecapReader stream = stream(streams, build, input, runs);
                for (String piece : text.split("\n", -1)) {
                    String body = piece.startsWith(prefix) ? piece.substring(prefix.length()) : piece;
                    if (body.startsWith(" ")) {
                        body = body.substring(1);
                    }
                    stream.feed(body, lines.lineNumber());
                }
            }
            if (packerMode == null) {
                throw lines.errorAtEnd("no ansible output, only blank lines");
            }
            if (onlyBuild != null && !streams.containsKey(onlyBuild)) {
                throw lines.errorAtEnd("no provisioner output of packer build '" + onlyBuild + "'");
            }
            for (RecapReader s : streams.values()) {
                s.finish(lines.lineNumber());
            }
            if (runs.isEmpty()) {
                throw lines.errorAtEnd("no PLAY RECAP: the playbook did not finish (ansible prints the recap last)"
                        + " or the log is cut short");
            }
        }
        return runs;
    }

    private static RecapReader stream(Map<String, RecapReader> streams, String key, ParseInput input, List<AnsibleRun> runs) {
        return streams.computeIfAbsent(key, k -> new RecapReader(input, runs, k));
    }

    /** The build name of a packer ui message "    BUILD: text", or null. */
    private static String buildOf(String text) {
        if (!text.startsWith("    ")) {
            return null;
        }
        int colon = text.indexOf(':', 4);
        if (colon <= 4) {
            return null;
        }
        String name = text.substring(4, colon);
        return name.indexOf(' ') >= 0 ? null : name;
    }

    /** Removes ANSI escape sequences (ESC [ ... final byte) from a line. */
    static String stripAnsi(String s) {
        if (s.indexOf('\u001b') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u001b' && i + 1 < s.length() && s.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < s.length() && (s.charAt(j) < 0x40 || s.charAt(j) > 0x7e)) {
                    j++;
                }
                i = j;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Reads the recaps of one stream of ansible output (one packer build, or the whole file). */
    private static final class RecapReader {
        private final ParseInput input;
        private final List<AnsibleRun> runs;
        private final String label;
        private boolean inRecap;
        private long recapLine;
        private List<AnsibleHostStats> hosts;
        private Set<String> hostNames;
        private long playAfterLastRecap;
        private AnsibleRun lastRun;
        private int lastRunIndex = -1;

        RecapReader(ParseInput input, List<AnsibleRun> runs, String label) {
            this.input = input;
            this.runs = runs;
            this.label = label;
        }

        void feed(String raw, long n) throws ParseException {
            String line = stripAnsi(raw);
            if (inRecap) {
                if (line.isBlank()) {
                    lastRun = new AnsibleRun(hosts, input.at(recapLine), Double.NaN, null);
                    runs.add(lastRun);
                    lastRunIndex = runs.size() - 1;
                    inRecap = false;
                    return;
                }
                AnsibleHostStats h = hostLine(line, n);
                if (h == null) {
                    throw new ParseException(input.sourceName(), n, "not a host line of the PLAY RECAP at line "
                            + recapLine + " (HOST : ok=N changed=N unreachable=N failed=N skipped=N rescued=N ignored=N): "
                            + abbreviate(line));
                }
                if (!hostNames.add(h.host())) {
                    throw new ParseException(input.sourceName(), n, "host '" + h.host()
                            + "' appears twice in the PLAY RECAP at line " + recapLine);
                }
                hosts.add(h);
                return;
            }
            if (line.startsWith("PLAY RECAP")) {
                inRecap = true;
                recapLine = n;
                hosts = new ArrayList<>();
                hostNames = new HashSet<>();
                playAfterLastRecap = 0;
            } else if (line.startsWith("PLAY [")) {
                if (playAfterLastRecap == 0) {
                    playAfterLastRecap = n;
                }
            } else if (line.startsWith("Playbook run took ") && lastRun != null && !lastRun.hasDuration()) {
                double s = timerSeconds(line.substring("Playbook run took ".length()));
                if (!Double.isNaN(s)) {
                    lastRun = lastRun.withDuration(s, input.at(n));
                    runs.set(lastRunIndex, lastRun);
                }
            }
        }

        void finish(long lastLine) throws ParseException {
            String where = label.isEmpty() ? "" : " (packer build '" + label + "')";
            if (inRecap) {
                throw new ParseException(input.sourceName(), 0, "truncated: the PLAY RECAP at line " + recapLine + where
                        + " is not closed by the blank line ansible prints after it; the log is cut short"
                        + " (it ends at line " + lastLine + ")");
            }
            if (playAfterLastRecap > 0) {
                throw new ParseException(input.sourceName(), 0, "truncated: the play at line " + playAfterLastRecap + where
                        + (lastRun == null ? " has no PLAY RECAP" : " starts after the last PLAY RECAP but has no recap of its own")
                        + ": the playbook did not finish or the log is cut short (it ends at line " + lastLine + ")");
            }
        }

        private static final int PRE_2_8_COUNTERS = 4;

        private AnsibleHostStats hostLine(String line, long n) throws ParseException {
            int idx = line.lastIndexOf(" : ok=");
            if (idx <= 0) {
                return null;
            }
            String host = line.substring(0, idx).trim();
            if (host.isEmpty()) {
                return null;
            }
            String[] parts = line.substring(idx + 3).trim().split("\\s+");
            // Ansible 2.8 added skipped, rescued and ignored; before, a recap line had the first four.
            if (parts.length != AnsibleRuns.COUNTERS.size() && parts.length != PRE_2_8_COUNTERS) {
                return null;
            }
            long[] v = {-1, -1, -1, -1, -1, -1, -1};
            for (int i = 0; i < parts.length; i++) {
                String key = AnsibleRuns.COUNTERS.get(i) + "=";
                if (!parts[i].startsWith(key)) {
                    return null;
                }
                v[i] = Numbers.parseLong(parts[i].substring(key.length()));
                if (v[i] < 0) {
                    return null;
                }
            }
            EntityKeys.check(host, "a host name", input.sourceName(), n);
            return new AnsibleHostStats(host, v[0], v[1], v[2], v[3], v[4], v[5], v[6], input.at(n));
        }
    }

    /** "0 days, 0 hours, 1 minutes, 5 seconds" (ansible.posix.timer) in seconds, or NaN. */
    static double timerSeconds(String text) {
        String[] parts = text.trim().split(",\\s*");
        if (parts.length != 4) {
            return Double.NaN;
        }
        String[] units = {"days", "hours", "minutes", "seconds"};
        double[] factor = {86400, 3600, 60, 1};
        double total = 0;
        for (int i = 0; i < 4; i++) {
            String p = parts[i].trim();
            if (!p.endsWith(" " + units[i])) {
                return Double.NaN;
            }
            double v = Numbers.parseDouble(p.substring(0, p.length() - units[i].length() - 1));
            if (Double.isNaN(v) || v < 0) {
                return Double.NaN;
            }
            total += v * factor[i];
        }
        return total;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
