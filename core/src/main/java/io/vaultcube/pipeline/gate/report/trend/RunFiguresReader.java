package io.vaultcube.pipeline.gate.report.trend;

import io.vaultcube.pipeline.evidence.JsonProblems;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceException;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a run's {@link RunFigures} from its evidence directory (docs/evidence.md): the key figures
 * from the stages' {@code metrics.json}, times and recorded stages from their {@code stage.json},
 * and the verdict and gate counts from the head of the gate stage's {@code report.json}, which is
 * read as a stream and left at its {@code gates} list (the rows are not what a trend needs).
 *
 * <p>Garbled evidence (a {@code metrics.json}, {@code stage.json} or report that cannot be read) is
 * an error naming the file, as for {@code vault metrics}; evidence that is simply not there (no gate
 * report, a stage that did not run) leaves its figures as gaps.
 */
public final class RunFiguresReader {
    /** The gate stage's report file (PipelineRunner.REPORT_JSON, written by the gate stage). */
    public static final String REPORT_FILE = "report.json";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final Set<String> VERDICTS = Set.of("SUCCESS", "UNSTABLE", "FAILURE");

    private RunFiguresReader() {
    }

    /**
     * The figures of the run whose evidence is {@code evidence}.
     *
     * @param evidence the run's evidence directory
     * @param id what identifies the run
     * @param label what a chart shows for it (null: the id)
     * @param gateStage the stage whose {@code report.json} holds the verdict, or null: the only stage
     *     that has one (several are an error that asks for a name)
     */
    public static RunFigures read(Path evidence, String id, String label, String gateStage) throws IOException {
        EvidenceDir dir = EvidenceDir.open(evidence);
        RunFigures.Builder figures = RunFigures.builder(id).label(label);
        MetricSet metrics = dir.readAllMetrics();
        for (KeyFigure k : KeyFigure.values()) {
            Optional<Metric> m = metrics.get(k.metric());
            if (m.isPresent() && m.get().value() instanceof MetricValue.Num n) {
                figures.figure(k, n.value());
            }
        }
        Instant first = null;
        Instant last = null;
        List<String> recorded = new ArrayList<>();
        List<StageEvidence> reports = new ArrayList<>();
        for (StageEvidence stage : dir.stages()) {
            if (Files.exists(stage.dir().resolve(REPORT_FILE), LinkOption.NOFOLLOW_LINKS)) {
                reports.add(stage);
            }
            if (!stage.hasRecord()) {
                continue;
            }
            StageRecord r = stage.readRecord();
            if (r.recordedFrom() != null || r.status() == StageStatus.RECORDED) {
                recorded.add(stage.name());
            }
            if (r.started() != null && (first == null || r.started().isBefore(first))) {
                first = r.started();
            }
            if (r.ended() != null && (last == null || r.ended().isAfter(last))) {
                last = r.ended();
            }
        }
        figures.recordedStages(recorded).time(first);
        if (first != null && last != null && !last.isBefore(first)) {
            figures.durationSeconds(Duration.between(first, last).toMillis() / 1000.0);
        }
        Path report = gateReport(dir, reports, gateStage);
        if (report != null) {
            readReportHead(report, dir.relativize(report), figures);
        }
        return figures.build();
    }

    private static Path gateReport(EvidenceDir dir, List<StageEvidence> reports, String gateStage)
            throws EvidenceException {
        if (gateStage != null) {
            Path file = dir.root().resolve(gateStage).resolve(REPORT_FILE);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new EvidenceException(file + ": no gate report (the gate stage " + gateStage
                        + " did not run or wrote no " + REPORT_FILE + ")");
            }
            return file;
        }
        if (reports.size() > 1) {
            throw new EvidenceException(dir.root() + ": several gate stages wrote a " + REPORT_FILE + " ("
                    + String.join(", ", reports.stream().map(StageEvidence::name).toList())
                    + "): name the one to chart");
        }
        return reports.isEmpty() ? null : reports.get(0).dir().resolve(REPORT_FILE);
    }

    /** Reads schema, verdict, policy name, evaluation time and counts; stops at the gate rows. */
    static void readReportHead(Path file, String shown, RunFigures.Builder figures) throws EvidenceException {
        if (!Files.isRegularFile(file)) {
            throw new EvidenceException(shown + ": not a regular file");
        }
        String schema = null;
        String verdict = null;
        Integer[] counts = new Integer[4];
        boolean sawCounts = false;
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EvidenceException(shown + ": not a gate report (not a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if ("gates".equals(field) && schema != null && verdict != null && sawCounts) {
                    break; // everything a trend needs comes before the rows (JsonReport's order)
                }
                JsonToken value = p.nextToken();
                switch (field) {
                    case "schema" -> schema = value == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "verdict" -> verdict = value == JsonToken.VALUE_STRING ? p.getText() : "";
                    case "evaluated" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            try {
                                figures.time(Instant.parse(p.getText()));
                            } catch (DateTimeParseException e) {
                                throw new EvidenceException(shown + ": \"evaluated\" is not a time: " + p.getText());
                            }
                        }
                    }
                    case "policy" -> {
                        if (value == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String name = p.currentName();
                                JsonToken v = p.nextToken();
                                if (name.equals("name") && v == JsonToken.VALUE_STRING) {
                                    figures.policy(p.getText());
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                    }
                    case "counts" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new EvidenceException(shown + ": \"counts\" is not an object");
                        }
                        sawCounts = true;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String status = p.currentName();
                            JsonToken v = p.nextToken();
                            int at = List.of("PASSED", "UNSTABLE", "FAILED", "SKIPPED").indexOf(status);
                            if (v != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0
                                    || p.getLongValue() > Integer.MAX_VALUE) {
                                throw new EvidenceException(shown + ": counts." + status + " is not a count");
                            }
                            if (at >= 0) {
                                counts[at] = p.getIntValue();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonParseException e) {
            throw new EvidenceException(JsonProblems.describe(shown, e), e);
        } catch (EvidenceException e) {
            throw e;
        } catch (IOException e) {
            throw new EvidenceException(shown + ": cannot read: " + e.getMessage(), e);
        }
        if (!GateReport.SCHEMA.equals(schema)) {
            throw new EvidenceException(shown + ": not a gate report: expected schema \"" + GateReport.SCHEMA
                    + "\", found " + (schema == null ? "none" : "\"" + schema + "\""));
        }
        if (!VERDICTS.contains(verdict)) {
            throw new EvidenceException(shown + ": no valid verdict (SUCCESS, UNSTABLE, FAILURE): "
                    + (verdict == null ? "none" : "\"" + verdict + "\""));
        }
        figures.verdict(verdict);
        if (sawCounts) {
            // A status with no row is absent from counts: zero rows of it, not a gap.
            figures.gateCounts(zero(counts[0]), zero(counts[1]), zero(counts[2]), zero(counts[3]));
        }
    }

    private static Integer zero(Integer n) {
        return n == null ? 0 : n;
    }
}
