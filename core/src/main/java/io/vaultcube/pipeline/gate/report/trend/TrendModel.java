package io.vaultcube.pipeline.gate.report.trend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The trend charts over runs, computed from each run's {@link RunFigures} (never its full report):
 * one chart per figure that matters (gates passed/unstable/failed, DDP scaling efficiency, vLLM
 * tokens/s, stress max temperature, throttle events, Xid counts, duration), one point per run and
 * series, a null where a run lacks the figure (ECharts draws a gap there, not a zero).
 *
 * <p>{@link #toJson()} is the model the page's script hands to ECharts (schema {@value #SCHEMA},
 * docs/cli.md): the runs, the axis labels, and per chart its series with their colours and data. The
 * same JSON serves {@code vault report trend} and the Jenkins job page.
 */
public final class TrendModel {
    public static final String SCHEMA = "vault-trend/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One line of a chart: its name, colour and one value per run (null: a gap). */
    public record Series(String name, String color, List<Double> data) {
        public Series {
            data = Collections.unmodifiableList(new ArrayList<>(data));
        }

        /** How many runs have a value in this series. */
        public long points() {
            return data.stream().filter(v -> v != null).count();
        }
    }

    /** One chart: an id (for the page), its title, the unit of its axis (or null), its series. */
    public record Chart(String id, String title, String unit, List<Series> series) {
        public Chart {
            series = List.copyOf(series);
        }
    }

    /** The colours of the series, distinct over the whole page so a screenshot tells them apart. */
    public static final String PASSED = "#2e7d32";
    public static final String UNSTABLE = "#f9a825";
    public static final String FAILED = "#c62828";
    public static final String DDP = "#1f77b4";
    public static final String VLLM = "#7b1fa2";
    public static final String TEMPERATURE = "#e65100";
    public static final String THROTTLE = "#6d4c41";
    public static final String GPU_XID = "#00838f";
    public static final String STRESS_XID = "#d81b60";
    public static final String DURATION = "#37474f";

    private final List<RunFigures> runs;
    private final List<Chart> charts;

    private TrendModel(List<RunFigures> runs, List<Chart> charts) {
        this.runs = List.copyOf(runs);
        this.charts = List.copyOf(charts);
    }

    /** The trend over {@code runs}, oldest first (the order the axis shows). */
    public static TrendModel of(List<RunFigures> runs) {
        List<Chart> charts = new ArrayList<>();
        charts.add(new Chart("gates", "Gate checks", "checks", List.of(
                series(runs, "passed", PASSED, r -> integer(r.getPassed())),
                series(runs, "unstable", UNSTABLE, r -> integer(r.getUnstable())),
                series(runs, "failed", FAILED, r -> integer(r.getFailed())))));
        charts.add(figureChart(runs, "ddp", KeyFigure.DDP_SCALING_EFFICIENCY, DDP));
        charts.add(figureChart(runs, "vllm", KeyFigure.VLLM_OUTPUT_TOKENS_PER_S, VLLM));
        charts.add(figureChart(runs, "temperature", KeyFigure.STRESS_MAX_TEMPERATURE_C, TEMPERATURE));
        charts.add(figureChart(runs, "throttle", KeyFigure.STRESS_THROTTLE_EVENTS, THROTTLE));
        charts.add(new Chart("xid", "Xid events", "events", List.of(
                series(runs, KeyFigure.GPU_XID_COUNT.label(), GPU_XID, r -> r.figure(KeyFigure.GPU_XID_COUNT)),
                series(runs, KeyFigure.STRESS_XID_COUNT.label(), STRESS_XID,
                        r -> r.figure(KeyFigure.STRESS_XID_COUNT)))));
        charts.add(new Chart("duration", "Run duration", "min", List.of(series(runs, "duration", DURATION,
                r -> r.getDurationSeconds() == null ? null : r.getDurationSeconds() / 60.0))));
        return new TrendModel(runs, charts);
    }

    private static Chart figureChart(List<RunFigures> runs, String id, KeyFigure figure, String color) {
        return new Chart(id, figure.label(), figure.unit(), List.of(series(runs, figure.label(), color,
                r -> r.figure(figure))));
    }

    private static Series series(List<RunFigures> runs, String name, String color, Function<RunFigures, Double> value) {
        List<Double> data = new ArrayList<>(runs.size());
        for (RunFigures r : runs) {
            data.add(value.apply(r));
        }
        return new Series(name, color, data);
    }

    private static Double integer(Integer n) {
        return n == null ? null : n.doubleValue();
    }

    public List<RunFigures> getRuns() {
        return runs;
    }

    public List<Chart> getCharts() {
        return charts;
    }

    /** The labels of the runs, in axis order. */
    public List<String> getLabels() {
        return runs.stream().map(RunFigures::getLabel).toList();
    }

    /** The model as JSON (schema {@value #SCHEMA}), what the page's script gives ECharts. */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        ArrayNode runList = root.putArray("runs");
        for (RunFigures r : runs) {
            ObjectNode o = runList.addObject();
            o.put("id", r.getId());
            o.put("label", r.getLabel());
            o.put("time", r.getTime() == null ? null : r.getTime().toString());
            o.put("verdict", r.getVerdict());
            o.put("policy", r.getPolicy());
            ArrayNode recorded = o.putArray("recordedStages");
            r.getRecordedStages().forEach(recorded::add);
        }
        ArrayNode labels = root.putArray("labels");
        getLabels().forEach(labels::add);
        ArrayNode chartList = root.putArray("charts");
        for (Chart c : charts) {
            ObjectNode o = chartList.addObject();
            o.put("id", c.id());
            o.put("title", c.title());
            o.put("unit", c.unit());
            ArrayNode seriesList = o.putArray("series");
            for (Series s : c.series()) {
                ObjectNode so = seriesList.addObject();
                so.put("name", s.name());
                so.put("color", s.color());
                ArrayNode data = so.putArray("data");
                for (Double v : s.data()) {
                    if (v == null) {
                        data.addNull();
                    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                        data.add(v.longValue());
                    } else {
                        data.add(v);
                    }
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the trend model", e);
        }
    }
}
