package io.vaultcube.pipeline.parse.ansible;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.JsonDocuments.Arr;
import io.vaultcube.pipeline.parse.JsonDocuments.Node;
import io.vaultcube.pipeline.parse.JsonDocuments.Num;
import io.vaultcube.pipeline.parse.JsonDocuments.Obj;
import io.vaultcube.pipeline.parse.JsonDocuments.Str;
import io.vaultcube.pipeline.parse.JsonFields;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code json} stdout callback's document (kind {@code ansible-json}, ansible.posix.json):
 * {@code {custom_stats, global_custom_stats, plays[], stats}}, printed once at the end of a run.
 * Its per-host {@code stats} say {@code failures} where the recap says {@code failed}; all seven
 * counters must be there. Several documents in one file are several runs. The per-task results
 * ({@code plays[].tasks}) are skipped while reading, so memory stays small whatever the playbook;
 * the run's duration is taken from the plays' start and end times.
 */
public final class AnsibleJsonParser implements EvidenceParser {
    private static final String[][] STATS = {
        {"ok", "ok"}, {"changed", "changed"}, {"unreachable", "unreachable"}, {"failed", "failures"},
        {"skipped", "skipped"}, {"rescued", "rescued"}, {"ignored", "ignored"},
    };

    @Override
    public String kind() {
        return "ansible-json";
    }

    @Override
    public String description() {
        return "ansible-playbook json stdout callback document: stats per host (failures), play times";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        return AnsibleRuns.metrics(readRuns(input), input.whole());
    }

    /** The runs of the input (one per JSON document), in order. */
    public List<AnsibleRun> readRuns(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        List<Node> docs = JsonDocuments.readAll(input, path -> path.equals("stats") || path.startsWith("stats.")
                || path.equals("plays") || path.equals("plays[].play") || path.startsWith("plays[].play.duration"));
        List<AnsibleRun> runs = new ArrayList<>();
        for (Node doc : docs) {
            Obj root = json.object(doc, "the json callback document");
            Obj stats = json.requireObject(root, "stats", "the json callback document");
            if (!root.has("plays")) {
                throw json.error(root, "no \"plays\" member: not a json callback document");
            }
            List<AnsibleHostStats> hosts = new ArrayList<>();
            for (Map.Entry<String, Node> e : stats.members().entrySet()) {
                String path = "stats." + e.getKey();
                Obj h = json.object(e.getValue(), path);
                EntityKeys.check(e.getKey(), "a host name", input.sourceName(), h.line());
                long[] v = new long[STATS.length];
                for (int i = 0; i < STATS.length; i++) {
                    Num n = json.requireCount(h, STATS[i][1], path, 0);
                    v[i] = (long) n.value();
                }
                hosts.add(new AnsibleHostStats(e.getKey(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], input.at(h.line())));
            }
            double duration = Double.NaN;
            Arr plays = json.array(root.get("plays"), "plays");
            Instant first = null;
            Instant last = null;
            boolean allTimed = !plays.items().isEmpty();
            for (Node p : plays.items()) {
                Obj play = json.optionalObject(json.object(p, "plays[]"), "play", "plays[]");
                Obj d = play == null ? null : json.optionalObject(play, "duration", "plays[].play");
                Str start = d == null ? null : json.optionalString(d, "start", "plays[].play.duration");
                Str end = d == null ? null : json.optionalString(d, "end", "plays[].play.duration");
                if (start == null || end == null) {
                    allTimed = false;
                    continue;
                }
                Instant s = instant(json, start);
                Instant t = instant(json, end);
                first = first == null || s.isBefore(first) ? s : first;
                last = last == null || t.isAfter(last) ? t : last;
            }
            if (allTimed && first != null && !last.isBefore(first)) {
                duration = (last.toEpochMilli() - first.toEpochMilli()) / 1000.0;
            }
            runs.add(new AnsibleRun(hosts, input.at(stats.line()), duration, Double.isNaN(duration) ? null : input.at(plays.line())));
        }
        return runs;
    }

    private static Instant instant(JsonFields json, Str s) throws ParseException {
        try {
            return Instant.parse(s.value());
        } catch (DateTimeParseException e) {
            throw json.error(s, "not an ISO-8601 time: " + s.value());
        }
    }
}
