package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.MainTest.vault;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault report trend} over three demo runs: {@code vault pipeline run} with the demo's
 * recorded stages (examples/evidence/demo-box-stand-in, copied and changed per run, SYNTHETIC
 * variations: a lower DDP multi-GPU throughput, another vLLM output throughput, a hotter sample and a
 * real Xid 119 kernel log in the stress stage) judged by the demo's policy; then the trend of the
 * three, as JSON and as a page that headless Chromium draws with ECharts.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class ReportCommandTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path STAND_IN = REPO.resolve("examples/evidence/demo-box-stand-in");

    @TempDir
    Path tmp;

    @Test
    void trendOverThreeDemoRunsHasThreePointsPerSeriesInJsonAndOnThePage() throws Exception {
        List<Path> runs = List.of(demoRun(1, 1.0, "10777.64", null, null),
                demoRun(2, 0.92, "9811.07", null, null),
                demoRun(3, 0.97, "11502.90", "89", REPO.resolve("tests/bats/fixtures/kernel-logs/xid119.log")));
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("report", "trend"));
        runs.forEach(r -> args.add(r.toString()));
        args.addAll(List.of("--json", out.resolve("trend.json").toString(), "--html", out.resolve("trend.html").toString()));
        MainTest.Run trend = vault(args.toArray(String[]::new));
        assertThat(trend.code()).as(trend.err()).isZero();
        assertThat(trend.out().lines()).hasSize(3).allSatisfy(line -> assertThat(line)
                .contains("key figures; recorded evidence in bench-ddp, bench-vllm, gpu, stress"));
        assertThat(trend.out()).startsWith("20261201T080000Z: ");

        JsonNode model = new ObjectMapper().readTree(out.resolve("trend.json").toFile());
        assertThat(model.get("labels")).extracting(JsonNode::asText)
                .containsExactly("20261201T080000Z", "20261202T080000Z", "20261203T080000Z");
        for (JsonNode chart : model.get("charts")) {
            for (JsonNode series : chart.get("series")) {
                assertThat(series.get("data")).as(chart.get("id") + "/" + series.get("name")).hasSize(3)
                        .allSatisfy(v -> assertThat(v.isNumber()).as("a point, not a gap").isTrue());
            }
        }
        assertThat(data(model, "ddp", 0)).containsExactly(0.95, 0.874, 0.922);
        assertThat(data(model, "vllm", 0)).containsExactly(10777.64, 9811.07, 11502.9);
        assertThat(data(model, "temperature", 0).get(2)).isEqualTo(89.0);
        assertThat(data(model, "xid", 1).get(2)).as("the stress test's Xid").isGreaterThan(0);

        // The page as a person sees it: the charts of one series each show three points.
        Path png = tmp.resolve("trend.png");
        chromium(out.resolve("trend.html"), png);
        BufferedImage shot = ImageIO.read(png.toFile());
        for (String chart : List.of("ddp", "vllm", "temperature", "throttle", "duration")) {
            JsonNode series = chart(model, chart).get("series").get(0);
            assertThat(points(shot, Integer.parseInt(series.get("color").asText().substring(1), 16)))
                    .as(chart).isEqualTo(3);
        }
        Files.createDirectories(Path.of("target"));
        Files.copy(png, Path.of("target/trend-demo-runs.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void garbledEvidenceExitsTwoNamingTheFile() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run/gate"));
        Files.writeString(run.resolve("report.json"), "{\"schema\": \"vault-gate-report/1\", \"verd");
        MainTest.Run trend = vault("report", "trend", tmp.resolve("run").toString());
        assertThat(trend.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(trend.err()).contains("gate/report.json");
        MainTest.Run missing = vault("report", "trend", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope");
        MainTest.Run none = vault("report", "trend");
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("RUN_DIR");
        assertThat(vault("report").code()).isEqualTo(ExitCodes.USAGE);
    }

    /**
     * Runs the demo's recorded stages and gate into evidence directory 2026120NT080000Z (the name
     * the pipeline gives a run) from a copy of the stand-in changed as asked.
     */
    private Path demoRun(int n, double ddpFactor, String vllmOutputTokensPerS, String hotSample, Path stressKernelLog)
            throws Exception {
        Path standIn = tmp.resolve("stand-in-" + n);
        copy(STAND_IN, standIn);
        Path ddp = standIn.resolve("bench-ddp/result.json");
        // The multi-GPU runs scaled by ddpFactor; median and efficiency recomputed as the parser checks them.
        ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(ddp.toFile());
        ObjectNode multi = (ObjectNode) doc.get("multi");
        ArrayNode scaled = new ObjectMapper().createArrayNode();
        for (JsonNode v : multi.get("throughputs_samples_per_s")) {
            scaled.add(Math.round(v.asDouble() * ddpFactor * 10) / 10.0);
        }
        multi.set("throughputs_samples_per_s", scaled);
        multi.put("median_samples_per_s", scaled.get(1).asDouble());
        doc.put("scaling_efficiency", scaled.get(1).asDouble() / (4 * doc.get("single").get("median_samples_per_s").asDouble()));
        Files.writeString(ddp, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        Path vllm = standIn.resolve("bench-vllm/bench.log");
        Files.writeString(vllm, Files.readString(vllm).replace("Output token throughput (tok/s):         10777.64",
                "Output token throughput (tok/s):         " + vllmOutputTokensPerS));
        if (hotSample != null) {
            Path telemetry = standIn.resolve("stress/telemetry.csv");
            List<String> lines = new ArrayList<>(Files.readAllLines(telemetry));
            String[] cells = lines.get(1).split(", ", -1);
            cells[4] = hotSample;
            lines.set(1, String.join(", ", cells));
            Files.write(telemetry, lines);
        }
        if (stressKernelLog != null) {
            Files.copy(stressKernelLog, standIn.resolve("stress/kernel.log"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path pipeline = tmp.resolve("pipeline-" + n + ".yaml");
        Files.writeString(pipeline, """
                schema: vault-pipeline/1
                name: demo-box-recorded
                stages:
                  - {name: gpu, run: gpu-validate, recorded: %1$s/gpu}
                  - {name: bench-ddp, run: bench, benchmark: ddp, recorded: %1$s/bench-ddp, interval: 1s}
                  - {name: bench-vllm, run: bench, benchmark: vllm, recorded: %1$s/bench-vllm, interval: 1s}
                  - {name: stress, run: stress, recorded: %1$s/stress, duration: 24h, interval: 30s}
                  - {name: gate, run: gate, policy: %2$s}
                """.formatted(standIn, REPO.resolve("policies/demo-box.yaml")));
        Path evidence = tmp.resolve("runs/2026120" + n + "T080000Z");
        MainTest.Run run = vault("pipeline", "run", "--no-install", pipeline.toString(), "--evidence", evidence.toString());
        assertThat(run.code()).as(run.out() + run.err()).isIn(ExitCodes.OK, ExitCodes.FAILURE, ExitCodes.UNSTABLE);
        assertThat(evidence.resolve("gate/report.json")).isRegularFile();
        return evidence;
    }

    private static List<Double> data(JsonNode model, String chart, int series) {
        List<Double> values = new ArrayList<>();
        for (JsonNode v : chart(model, chart).get("series").get(series).get("data")) {
            values.add(Math.round(v.asDouble() * 1e3) / 1e3);
        }
        return values;
    }

    private static JsonNode chart(JsonNode model, String id) {
        for (JsonNode c : model.get("charts")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no chart " + id);
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private void chromium(Path page, Path png) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertThat(Files.isExecutable(chromium)).as("chromium is not installed: ./test.sh installs it "
                + "(tests/prerequisites.txt)").isTrue();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ProcessResult result = new ProcessRunner().run(ProcessSpec.builder(chromium.toString(), "--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")),
                "--screenshot=" + png, "--window-size=1200,1500", page.toUri().toString())
                .workingDirectory(tmp).timeout(Duration.ofMinutes(3)).graces(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .console(log).mergeStderr(true).build());
        assertThat(result.succeeded()).as("chromium: " + log.toString(StandardCharsets.UTF_8)).isTrue();
    }

    /** Filled round marks of one colour: pixels whose 7x7 square is all that colour, in connected blobs. */
    private static int points(BufferedImage image, int rgb) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] core = new boolean[w * h];
        for (int y = 3; y < h - 3; y++) {
            for (int x = 3; x < w - 3; x++) {
                boolean all = true;
                for (int dy = -3; dy <= 3 && all; dy++) {
                    for (int dx = -3; dx <= 3 && all; dx++) {
                        int c = image.getRGB(x + dx, y + dy) & 0xffffff;
                        all = Math.abs((c >> 16) - (rgb >> 16)) < 24 && Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 24
                                && Math.abs((c & 0xff) - (rgb & 0xff)) < 24;
                    }
                }
                core[y * w + x] = all;
            }
        }
        int blobs = 0;
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        for (int i = 0; i < core.length; i++) {
            if (!core[i]) {
                continue;
            }
            blobs++;
            core[i] = false;
            todo.push(i);
            while (!todo.isEmpty()) {
                int p = todo.pop();
                for (int q : new int[] {p + 1, p - 1, p + w, p - w}) {
                    if (q >= 0 && q < core.length && core[q]) {
                        core[q] = false;
                        todo.push(q);
                    }
                }
            }
        }
        return blobs;
    }
}
