package io.vaultcube.pipeline.parse.packer;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code packer build -machine-readable} output (kind {@code packer}); see docs/metrics.md.
 *
 * <p>What counts (packer 1.6.6 … 1.16, {@code command/build.go}):
 * <ul>
 *   <li>a build is every name packer reports ({@code Build 'X' finished|errored after ...},
 *       {@code X,error}, {@code X,artifact-count}); it failed when it errored or has an
 *       {@code error} record, and every build of an interrupted run counts as failed (packer says
 *       "finished" for a build it cancelled);</li>
 *   <li>errors = the {@code error-count} record plus configuration errors: a {@code ui,error}
 *       that belongs to no build (HCL diagnostics, missing template), which comes without an
 *       error-count;</li>
 *   <li>a run that matched no build ({@code -only} typo: rc 0, "no artifacts") has
 *       {@code packer.builds = 0} and {@code packer.success = false}.</li>
 * </ul>
 * The log must be complete: after the builds packer prints "Wait completed" (since 1.6.2), then
 * either "Cleanly cancelled" or "Builds finished ..." and every artifact block up to its {@code end}
 * record, and a newline ends the last line. A log without them is refused as cut short, unless it is
 * a configuration error (packer stops before any build) or the output of
 * {@code packer -machine-readable version}. Logs of packer before 1.6.2 have no "Wait completed" and
 * say "Build 'x' finished." without a duration: they are read; a log whose version line says 1.6.2
 * or later must have "Wait completed".
 */
public final class PackerLogParser implements EvidenceParser {
    @Override
    public String kind() {
        return "packer";
    }

    @Override
    public String description() {
        return "packer build -machine-readable output: builds, failures, artifacts, errors, duration";
    }

    private static final class Build {
        final String name;
        long firstLine;
        long resultLine;
        boolean finished;
        boolean errored;
        boolean errorRecord;
        double durationS = Double.NaN;
        long artifactCount = -1;
        long artifactCountLine;
        final Map<Integer, Artifact> artifacts = new TreeMap<>();

        Build(String name, long line) {
            this.name = name;
            this.firstLine = line;
        }
    }

    private static final class Artifact {
        final long line;
        String builderId;
        long builderIdLine;
        String id;
        long idLine;
        long filesCount = -1;
        long filesCountLine;
        int filesSeen;
        boolean nil;
        boolean ended;

        Artifact(long line) {
            this.line = line;
        }
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        Map<String, Build> builds = new LinkedHashMap<>();
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        long records = 0;
        long versionRecords = 0;
        String version = null;
        long versionLine = 0;
        long errorCount = -1;
        long errorCountLine = 0;
        long errorRecords = 0;
        long configErrors = 0;
        boolean interruptSeen = false;
        long waitLine = 0;
        long cancelledLine = 0;
        long finishedWithArtifactsLine = 0;
        long finishedWithoutArtifactsLine = 0;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                long n = lines.lineNumber();
                PackerRecord r = PackerRecord.parse(lines.text());
                if (r == null) {
                    throw lines.error("not a packer machine-readable record (timestamp,target,type,data...): "
                            + abbreviate(lines.text()));
                }
                records++;
                minTs = Math.min(minTs, r.timestamp());
                maxTs = Math.max(maxTs, r.timestamp());
                switch (r.type()) {
                    case "version" -> {
                        version = r.field(0);
                        versionLine = n;
                        versionRecords++;
                    }
                    case "version-prelease", "version-prerelease", "version-commit" -> versionRecords++;
                    case "ui" -> {
                        String level = r.field(0);
                        String text = r.rest(1);
                        if ("say".equals(level)) {
                            if (text.startsWith("Packer v") && !text.contains("\n")) {
                                versionRecords++;
                                if (version == null) {
                                    version = text.substring(8).trim();
                                    versionLine = n;
                                }
                            } else if (text.startsWith("Build '") && text.contains("' finished after ")) {
                                String name = text.substring(7, text.indexOf("' finished after "));
                                Build b = build(builds, name, lines);
                                b.finished = true;
                                b.resultLine = n;
                                String d = text.substring(text.indexOf("' finished after ") + 17);
                                b.durationS = GoDurations.seconds(d.endsWith(".") ? d.substring(0, d.length() - 1) : d);
                            } else if (text.startsWith("Build '") && text.endsWith("' finished.") && text.length() > 18) {
                                // Packer before 1.6 says "Build 'x' finished." without the duration.
                                Build b = build(builds, text.substring(7, text.length() - 11), lines);
                                b.finished = true;
                                b.resultLine = n;
                            } else if (text.startsWith("\n==> Wait completed after ")) {
                                waitLine = n;
                            } else if (text.startsWith("Cleanly cancelled builds after being interrupted")) {
                                cancelledLine = n;
                            } else if (text.startsWith("\n==> Builds finished. The artifacts of successful builds are:")) {
                                finishedWithArtifactsLine = n;
                            } else if (text.startsWith("\n==> Builds finished but no artifacts were created.")) {
                                finishedWithoutArtifactsLine = n;
                            }
                        } else if ("error".equals(level)) {
                            if (text.startsWith("Build '") && text.indexOf('\'', 7) > 7) {
                                String name = text.substring(7, text.indexOf('\'', 7));
                                Build b = build(builds, name, lines);
                                b.errored = true;
                                b.resultLine = n;
                                int after = text.indexOf("' errored after ");
                                int colon = after < 0 ? -1 : text.indexOf(": ", after);
                                if (colon > 0) {
                                    b.durationS = GoDurations.seconds(text.substring(after + 16, colon));
                                }
                            } else if (text.startsWith("Cancelling build after receiving interrupt")) {
                                interruptSeen = true;
                            } else if (!belongsToABuild(text)) {
                                configErrors++;
                            }
                        } else if (!"message".equals(level)) {
                            throw lines.error("unknown ui record level '" + level + "' (expected say, message or error)");
                        }
                    }
                    case "error-count" -> {
                        long c = Numbers.parseLong(nullToEmpty(r.field(0)));
                        if (c < 0) {
                            throw lines.error("error-count is not a count: " + r.field(0));
                        }
                        errorCount = c;
                        errorCountLine = n;
                    }
                    case "error" -> {
                        if (r.target().isEmpty()) {
                            throw lines.error("an error record names no build");
                        }
                        build(builds, r.target(), lines).errorRecord = true;
                        errorRecords++;
                    }
                    case "artifact-count" -> {
                        Build b = requireTarget(lines, builds, r, n);
                        long c = Numbers.parseLong(nullToEmpty(r.field(0)));
                        if (c < 0) {
                            throw lines.error("artifact-count is not a count: " + r.field(0));
                        }
                        if (b.artifactCount >= 0) {
                            throw lines.error("a second artifact-count for build '" + b.name + "'");
                        }
                        b.artifactCount = c;
                        b.artifactCountLine = n;
                    }
                    case "artifact" -> artifact(lines, requireTarget(lines, builds, r, n), r, n);
                    // Other record types (plugins add some) carry nothing we measure.
                    default -> {
                    }
                }
            }
            lines.requireNewlineAtEnd("packer");
            if (records == 0) {
                throw lines.errorAtEnd("no packer machine-readable record, only blank lines");
            }
            long lastLine = lines.lineNumber();
            MetricSet metrics = new MetricSet();
            if (version != null) {
                metrics.add(Metric.text("packer.version", version, input.at(versionLine)));
            }
            if (records == versionRecords) {
                if (version == null) {
                    throw lines.errorAtEnd("version records without the version itself");
                }
                return metrics; // the output of `packer -machine-readable version`
            }
            boolean configErrorOnly = waitLine == 0 && configErrors > 0 && builds.isEmpty();
            if (!configErrorOnly) {
                boolean ended = cancelledLine > 0 || finishedWithArtifactsLine > 0 || finishedWithoutArtifactsLine > 0;
                boolean waitPrinted = version == null || atLeast(version, 1, 6, 2);
                if (!ended && waitLine == 0) {
                    throw truncated(input, lastLine, "'Builds finished' line"
                            + (version != null && !waitPrinted ? " (packer " + version + " is older than 1.6.2, which added"
                                    + " the 'Wait completed' line: its log ends with 'Builds finished')"
                                    : " and no 'Wait completed' line, which packer 1.6.2 and later print after every build"));
                }
                if (!ended) {
                    throw truncated(input, lastLine, "packer's 'Builds finished' line, which follows 'Wait completed'");
                }
                if (waitLine == 0 && version != null && waitPrinted) {
                    throw new ParseException(input.sourceName(), versionLine, "packer " + version + " prints 'Wait completed'"
                            + " before 'Builds finished' (since 1.6.2) but this log has none: an edited or garbled log");
                }
                checkCompleteness(input, builds, lastLine, finishedWithArtifactsLine, finishedWithoutArtifactsLine,
                        errorCount, errorCountLine, errorRecords);
            }
            boolean cancelled = cancelledLine > 0 || interruptSeen;
            long failed = 0;
            long artifacts = 0;
            for (Build b : builds.values()) {
                if (cancelled || b.errored || b.errorRecord) {
                    failed++;
                }
                artifacts += Math.max(0, b.artifactCount);
            }
            long errors = Math.max(0, errorCount) + configErrors;
            EvidenceSource whole = input.whole();
            metrics.add(Metric.number("packer.builds", builds.size(), null, whole));
            metrics.add(Metric.number("packer.builds_failed", failed, null, whole));
            metrics.add(Metric.number("packer.artifacts", artifacts, null, whole));
            metrics.add(Metric.number("packer.errors", errors, null, whole));
            metrics.add(Metric.number("packer.config_errors", configErrors, null, whole));
            metrics.add(Metric.number("packer.duration_s", maxTs - minTs, "s", whole));
            metrics.add(Metric.bool("packer.complete", !cancelled, cancelledLine > 0 ? input.at(cancelledLine) : whole));
            boolean success = !cancelled && !builds.isEmpty() && failed == 0 && errors == 0 && artifacts > 0;
            metrics.add(Metric.bool("packer.success", success, whole));
            for (Build b : builds.values()) {
                MetricName base = MetricName.root("packer").child("build").at(b.name);
                boolean ok = !cancelled && !b.errored && !b.errorRecord && b.finished;
                metrics.add(Metric.bool(base.child("ok"), ok, input.at(b.resultLine > 0 ? b.resultLine : b.firstLine)));
                if (!Double.isNaN(b.durationS) && b.resultLine > 0) {
                    metrics.add(Metric.number(base.child("duration_s"), b.durationS, "s", input.at(b.resultLine)));
                }
                if (b.artifactCount >= 0) {
                    metrics.add(Metric.number(base.child("artifacts"), b.artifactCount, null, input.at(b.artifactCountLine)));
                }
                for (Map.Entry<Integer, Artifact> e : b.artifacts.entrySet()) {
                    Artifact a = e.getValue();
                    if (a.nil) {
                        continue;
                    }
                    MetricName an = base.child("artifact").at(e.getKey());
                    if (a.builderId != null && !a.builderId.isEmpty()) {
                        metrics.add(Metric.text(an.child("builder_id"), a.builderId, input.at(a.builderIdLine)));
                    }
                    if (a.id != null && !a.id.isEmpty()) {
                        metrics.add(Metric.text(an.child("id"), a.id, input.at(a.idLine)));
                    }
                    if (a.filesCount >= 0) {
                        metrics.add(Metric.number(an.child("files"), a.filesCount, null, input.at(a.filesCountLine)));
                    }
                }
            }
            return metrics;
        }
    }

    private static void checkCompleteness(ParseInput input, Map<String, Build> builds, long lastLine,
            long withArtifacts, long withoutArtifacts, long errorCount, long errorCountLine, long errorRecords)
            throws ParseException {
        if (errorCount >= 0 && errorRecords != errorCount) {
            throw new ParseException(input.sourceName(), errorCountLine, "error-count says " + errorCount
                    + " but " + errorRecords + " error records follow" + (errorRecords < errorCount ? " (cut short?)" : ""));
        }
        if (errorCount < 0 && errorRecords > 0) {
            throw new ParseException(input.sourceName(), 0, errorRecords + " error records without an error-count record");
        }
        boolean anyArtifacts = false;
        for (Build b : builds.values()) {
            if (!b.finished && !b.errored) {
                throw new ParseException(input.sourceName(), b.firstLine, "build '" + b.name + "' has no 'Build '"
                        + b.name + "' finished|errored after' line, which packer prints for every build it ran");
            }
            if (withArtifacts > 0 && b.artifactCount < 0 && b.finished && !b.errored && !b.errorRecord) {
                // Packer lists the artifacts of every successful build after that line.
                throw truncated(input, lastLine, "artifacts of build '" + b.name + "', which finished at line "
                        + b.resultLine);
            }
            if (b.artifactCount < 0) {
                if (!b.artifacts.isEmpty()) {
                    throw new ParseException(input.sourceName(), b.artifacts.values().iterator().next().line,
                            "artifact records of build '" + b.name + "' without its artifact-count record");
                }
                continue;
            }
            anyArtifacts = true;
            for (int i = 0; i < b.artifactCount; i++) {
                Artifact a = b.artifacts.get(i);
                if (a == null) {
                    throw truncated(input, lastLine, "artifact " + i + " of build '" + b.name + "' (artifact-count "
                            + b.artifactCount + " at line " + b.artifactCountLine + ")");
                }
                if (!a.ended) {
                    throw truncated(input, lastLine, "the 'end' record of artifact " + i + " of build '" + b.name
                            + "' (started at line " + a.line + ")");
                }
                if (!a.nil && a.filesCount >= 0 && a.filesSeen != a.filesCount) {
                    throw new ParseException(input.sourceName(), a.filesCountLine, "artifact " + i + " of build '"
                            + b.name + "' has files-count " + a.filesCount + " but " + a.filesSeen + " file records");
                }
            }
            if (b.artifacts.size() > b.artifactCount) {
                throw new ParseException(input.sourceName(), b.artifactCountLine, "build '" + b.name + "' has "
                        + b.artifacts.size() + " artifacts but its artifact-count says " + b.artifactCount);
            }
        }
        if (anyArtifacts && withArtifacts == 0) {
            throw new ParseException(input.sourceName(), 0, "artifacts without packer's 'Builds finished. The artifacts"
                    + " of successful builds are:' line");
        }
        if (withArtifacts > 0 && !anyArtifacts) {
            throw truncated(input, lastLine, "the artifacts announced at line " + withArtifacts);
        }
        if (withoutArtifacts > 0 && anyArtifacts) {
            throw new ParseException(input.sourceName(), withoutArtifacts, "packer says no artifacts were created,"
                    + " but the log has artifact records");
        }
    }

    private static void artifact(LineReader lines, Build b, PackerRecord r, long n) throws ParseException {
        long index = Numbers.parseLong(nullToEmpty(r.field(0)));
        String field = r.field(1);
        if (index < 0 || index > 100_000 || field == null) {
            throw lines.error("malformed artifact record (expected artifact,INDEX,FIELD,...)");
        }
        Artifact a = b.artifacts.get((int) index);
        if (a == null) {
            a = new Artifact(n);
            b.artifacts.put((int) index, a);
        }
        if (a.ended) {
            throw lines.error("artifact " + index + " of build '" + b.name + "' continues after its end record");
        }
        switch (field) {
            case "builder-id" -> {
                a.builderId = r.rest(2);
                a.builderIdLine = n;
            }
            case "id" -> {
                a.id = r.rest(2);
                a.idLine = n;
            }
            case "string" -> {
            }
            case "files-count" -> {
                long c = Numbers.parseLong(nullToEmpty(r.field(2)));
                if (c < 0) {
                    throw lines.error("files-count is not a count: " + r.field(2));
                }
                a.filesCount = c;
                a.filesCountLine = n;
            }
            case "file" -> a.filesSeen++;
            case "nil" -> a.nil = true;
            case "end" -> a.ended = true;
            default -> throw lines.error("unknown artifact field '" + field + "'");
        }
    }

    private static Build requireTarget(LineReader lines, Map<String, Build> builds, PackerRecord r, long n)
            throws ParseException {
        if (r.target().isEmpty()) {
            throw lines.error("a " + r.type() + " record names no build");
        }
        return build(builds, r.target(), lines);
    }

    private static Build build(Map<String, Build> builds, String name, LineReader lines) throws ParseException {
        Build b = builds.get(name);
        if (b == null) {
            EntityKeys.check(name, "a build name", lines.sourceName(), lines.lineNumber());
            b = new Build(name, lines.lineNumber());
            builds.put(name, b);
        }
        return b;
    }

    /** Build-scoped ui errors carry packer's per-build prefixes; anything else is a run-level error. */
    private static boolean belongsToABuild(String text) {
        return text.startsWith("==> ") || text.startsWith("--> ") || text.startsWith("    ")
                || text.startsWith("\n==> ") || text.startsWith("Build '");
    }

    /** True when the version ("1.6.2", "v1.11.0-dev") is at least major.minor.patch; unreadable counts as recent. */
    static boolean atLeast(String version, int major, int minor, int patch) {
        String v = version.startsWith("v") ? version.substring(1) : version;
        String[] parts = v.split("[^0-9]+");
        int[] want = {major, minor, patch};
        for (int i = 0; i < 3; i++) {
            if (i >= parts.length || parts[i].isEmpty() || parts[i].length() > 6) {
                return true;
            }
            int got = Integer.parseInt(parts[i]);
            if (got != want[i]) {
                return got > want[i];
            }
        }
        return true;
    }

    private static ParseException truncated(ParseInput input, long lastLine, String missing) {
        return new ParseException(input.sourceName(), 0, "truncated: no " + missing
                + "; the build did not finish or the log is cut short (it ends at line " + lastLine + ")");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
