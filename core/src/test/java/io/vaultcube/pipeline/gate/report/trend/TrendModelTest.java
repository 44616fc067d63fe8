package io.vaultcube.pipeline.gate.report.trend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendModelTest {
    static List<RunFigures> threeRuns() {
        List<RunFigures> runs = new ArrayList<>();
        double[] ddp = {0.93, 0.88, 0.95};
        double[] vllm = {10777.64, 9800.0, 11200.5};
        double[] temp = {81, 88, 79};
        // Values far enough apart that no two points of one chart cover each other (TrendHtmlTest counts them).
        int[] passed = {12, 10, 14};
        int[] unstable = {0, 4, 8};
        int[] failed = {8, 0, 4};
        for (int i = 0; i < 3; i++) {
            runs.add(RunFigures.builder("run-" + (i + 1)).label("#" + (i + 1))
                    .time(Instant.parse("2026-12-0" + (i + 1) + "T08:00:00Z")).verdict(i == 1 ? "UNSTABLE" : "SUCCESS")
                    .gateCounts(passed[i], unstable[i], failed[i], 0).durationSeconds(3600.0 + 600 * i)
                    .figure(KeyFigure.DDP_SCALING_EFFICIENCY, ddp[i]).figure(KeyFigure.VLLM_OUTPUT_TOKENS_PER_S, vllm[i])
                    .figure(KeyFigure.STRESS_MAX_TEMPERATURE_C, temp[i])
                    .figure(KeyFigure.STRESS_THROTTLE_EVENTS, (double) (3 - i))
                    .figure(KeyFigure.GPU_XID_COUNT, (double) i).figure(KeyFigure.STRESS_XID_COUNT, (double) (4 + 2 * i))
                    .build());
        }
        return runs;
    }

    @Test
    void threeRunsGiveThreePointsInEverySeries() {
        TrendModel model = TrendModel.of(threeRuns());
        assertThat(model.getLabels()).containsExactly("#1", "#2", "#3");
        assertThat(model.getCharts()).extracting(TrendModel.Chart::id)
                .containsExactly("gates", "ddp", "vllm", "temperature", "throttle", "xid", "duration");
        for (TrendModel.Chart c : model.getCharts()) {
            for (TrendModel.Series s : c.series()) {
                assertThat(s.points()).as(c.id() + "/" + s.name()).isEqualTo(3);
            }
        }
        assertThat(model.getCharts().get(0).series().get(2).data()).containsExactly(8.0, 0.0, 4.0);
        assertThat(model.getCharts().get(6).series().get(0).data()).containsExactly(60.0, 70.0, 80.0);
    }

    @Test
    void aMissingFigureIsNullInTheJsonNotZero() throws Exception {
        List<RunFigures> runs = new ArrayList<>(threeRuns());
        runs.set(1, runs.get(1).toBuilder().figure(KeyFigure.DDP_SCALING_EFFICIENCY, null)
                .gateCounts(null, null, null, null).build());
        JsonNode json = new ObjectMapper().readTree(TrendModel.of(runs).toJson());
        assertThat(json.get("schema").asText()).isEqualTo(TrendModel.SCHEMA);
        JsonNode ddp = chart(json, "ddp").get("series").get(0);
        assertThat(ddp.get("color").asText()).isEqualTo(TrendModel.DDP);
        assertThat(ddp.get("data").get(0).asDouble()).isEqualTo(0.93);
        assertThat(ddp.get("data").get(1).isNull()).isTrue();
        assertThat(ddp.get("data").get(2).asDouble()).isEqualTo(0.95);
        assertThat(chart(json, "gates").get("series").get(0).get("data").get(1).isNull()).isTrue();
        assertThat(json.get("runs").get(1).get("verdict").asText()).isEqualTo("UNSTABLE");
        assertThat(json.get("labels").get(2).asText()).isEqualTo("#3");
    }

    @Test
    void noRunsIsAnEmptyTrendNotAnError() throws Exception {
        JsonNode json = new ObjectMapper().readTree(TrendModel.of(List.of()).toJson());
        assertThat(json.get("labels")).isEmpty();
        assertThat(chart(json, "vllm").get("series").get(0).get("data")).isEmpty();
    }

    @Test
    void theJsonInThePageCannotCloseItsScriptElement() throws Exception {
        String hostile = "</script><script>document.title='pwned'</script> ]]> \"q\" 'a' & \u001b[31mred\u001b[0m";
        RunFigures run = RunFigures.builder(hostile).label(hostile).policy(hostile).build();
        String json = TrendModel.of(List.of(run)).toJson();
        String safe = TrendHtml.scriptSafeJson(json);
        assertThat(safe).doesNotContain("<").doesNotContain(">").doesNotContain("&");
        // The same values once parsed: escaping changed nothing a reader sees.
        JsonNode parsed = new ObjectMapper().readTree(safe);
        assertThat(parsed.get("labels").get(0).asText()).isEqualTo(hostile);
        assertThat(parsed.get("runs").get(0).get("policy").asText()).isEqualTo(hostile);
    }

    @Test
    void runFiguresAreEqualAfterARoundTripThroughTheirBuilder() {
        RunFigures run = threeRuns().get(0);
        assertThat(run.toBuilder().build()).isEqualTo(run);
        assertThat(run.toBuilder().label("other").build()).isNotEqualTo(run);
    }

    static JsonNode chart(JsonNode json, String id) {
        for (JsonNode c : json.get("charts")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no chart " + id);
    }
}
