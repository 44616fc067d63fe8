package io.vaultcube.pipeline.gate.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.gate.GateReport;
import io.vaultcube.pipeline.gate.GateResult;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.GateStatus;
import io.vaultcube.pipeline.gate.StageInfo;
import io.vaultcube.pipeline.gate.ValueFormat;
import io.vaultcube.pipeline.gate.report.trend.KeyFigure;
import io.vaultcube.pipeline.gate.report.trend.RunFigures;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a build page shows of one gate run, as plain data: the verdict, the counts, the stages (and
 * which read recorded evidence), the gates that failed or are unstable with their observed value,
 * condition and evidence file:line, the GPU table and the key figures. Written as JSON
 * ({@value #FILE}, schema {@value #SCHEMA}) beside the gate's reports where the evidence is, and read
 * back where the evidence is not (the Jenkins controller); the HTML is made from it there, so no markup
 * produced elsewhere is ever shown. Small by construction: bounded rows, no telemetry.
 */
public record BuildSummary(
        String schema,
        String verdict,
        String policyName,
        String summary,
        Map<String, Integer> counts,
        List<Stage> stages,
        List<Problem> problems,
        int problemsLeftOut,
        GpuTable gpus,
        List<Figure> figures) {

    public static final String SCHEMA = "vault-build-summary/1";
    /** The file name beside the gate's reports. */
    public static final String FILE = "build-summary.json";
    /** The most failed or unstable rows kept; the report has them all. */
    public static final int MAX_PROBLEMS = 50;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public BuildSummary {
        Objects.requireNonNull(verdict, "verdict");
        counts = counts == null ? Map.of() : new LinkedHashMap<>(counts);
        stages = stages == null ? List.of() : List.copyOf(stages);
        problems = problems == null ? List.of() : List.copyOf(problems);
        gpus = gpus == null ? new GpuTable(List.of(), List.of()) : gpus;
        figures = figures == null ? List.of() : List.copyOf(figures);
    }

    /** A stage of the evidence: its status, and where its evidence was recorded when it was not measured. */
    public record Stage(String name, String status, String recordedFrom, List<String> notes) {
        public Stage {
            notes = notes == null ? List.of() : List.copyOf(notes);
        }

        public boolean recorded() {
            return recordedFrom != null || StageStatus.RECORDED.name().equals(status);
        }
    }

    /** A gate row that failed or is unstable: what was observed, against what, and read from where. */
    public record Problem(String status, String gate, String metric, String observed, String condition,
            String message, String source) {
    }

    /** The GPU table: one column per GPU, one row per property; a cell is null where a GPU lacks it. */
    public record GpuTable(List<String> gpus, List<GpuRow> rows) {
        public GpuTable {
            gpus = gpus == null ? List.of() : List.copyOf(gpus);
            rows = rows == null ? List.of() : List.copyOf(rows);
        }
    }

    public record GpuRow(String property, List<ReportModel.Cell> cells) {
        public GpuRow {
            cells = cells == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(cells));
        }
    }

    /**
     * A key figure: its metric, label, value (number, or null for text), its text as shown, and its evidence.
     */
    public record Figure(String metric, String label, Double value, String text, String source) {
    }

    /** The summary of a gate run. */
    public static BuildSummary of(GateRun run) {
        GateReport report = run.report();
        ReportModel model = ReportModel.of(run);
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.counts().forEach((status, n) -> counts.put(status.name(), n));
        List<Stage> stages = new ArrayList<>();
        for (StageInfo s : report.stages()) {
            stages.add(new Stage(s.stage(), s.status() == null ? null : s.status().name(), s.recordedFrom(),
                    s.messages()));
        }
        List<Problem> problems = new ArrayList<>();
        int leftOut = 0;
        for (GateResult r : model.getGateRows()) {
            if (r.status() != GateStatus.FAILED && r.status() != GateStatus.UNSTABLE) {
                continue;
            }
            if (problems.size() == MAX_PROBLEMS) {
                leftOut++;
                continue;
            }
            problems.add(new Problem(r.status().name(), r.testName(), r.metric(),
                    r.observed() == null ? null : ValueFormat.value(r.observed(), r.unit()), r.condition(),
                    r.message(), r.source() == null ? null : r.source().toString()));
        }
        ReportModel.EntityTable table = model.getGpuTable();
        List<GpuRow> rows = new ArrayList<>();
        table.rows().forEach(row -> rows.add(new GpuRow(row.property(), row.cells())));
        List<Figure> figures = new ArrayList<>();
        for (KeyFigure key : KeyFigure.values()) {
            run.metrics().get(key.metric()).ifPresent(m -> figures.add(figure(m, key.label())));
        }
        return new BuildSummary(SCHEMA, report.verdict().name(), report.policyName(), report.summary(), counts,
                stages, problems, leftOut, new GpuTable(table.keys(), rows), figures);
    }

    private static Figure figure(Metric m, String label) {
        Double value = m.number().isPresent() ? m.number().getAsDouble() : null;
        return new Figure(m.name().toString(), label, value, ReportModel.show(m),
                m.source() == null ? null : m.source().toString());
    }

    /** The stages that read recorded evidence instead of measuring in this run. */
    public List<Stage> recordedStages() {
        return stages.stream().filter(Stage::recorded).toList();
    }

    /**
     * What a build keeps for its trend ({@link RunFigures}): verdict, policy, gate counts, the key
     * figures' numbers and the recorded stages, under {@code id}.
     */
    public RunFigures runFigures(String id, String label, Instant time) {
        RunFigures.Builder b = RunFigures.builder(id).label(label).time(time).verdict(verdict).policy(policyName)
                .gateCounts(counts.get("PASSED"), counts.get("UNSTABLE"), counts.get("FAILED"), counts.get("SKIPPED"))
                .recordedStages(recordedStages().stream().map(Stage::name).toList());
        for (KeyFigure k : KeyFigure.values()) {
            figures.stream().filter(f -> f.metric().equals(k.metric()) && f.value() != null).findFirst()
                    .ifPresent(f -> b.figure(k, f.value()));
        }
        return b.build();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("a build summary always serialises", e);
        }
    }

    /**
     * Reads a summary written by {@link #toJson}. The file came from an agent: plain data binding into
     * these records only, and a wrong schema is an error, not a guess.
     */
    public static BuildSummary fromJson(String json) throws IOException {
        return fromJson(json, FILE);
    }

    /**
     * Reads a build summary; {@code where} names the file in messages ({@code FILE:LINE:COLUMN:
     * sentence}, never the JSON library's own text).
     */
    public static BuildSummary fromJson(String json, String where) throws IOException {
        BuildSummary s;
        try {
            s = JSON.readValue(json, BuildSummary.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(io.vaultcube.pipeline.evidence.JsonProblems.describe(where, e), e);
        }
        if (s == null) {
            throw new IOException(where + ": empty: no " + SCHEMA + " object");
        }
        if (!SCHEMA.equals(s.schema())) {
            throw new IOException(where + ": not a " + SCHEMA + " file (schema "
                    + (s.schema() == null ? "missing" : "\"" + s.schema() + "\"") + ")");
        }
        return s;
    }
}
