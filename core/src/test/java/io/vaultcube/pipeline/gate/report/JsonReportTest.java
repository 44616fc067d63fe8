package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.gate.GateRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheGateReportWithSchemaVerdictPolicyAndEvidence() throws Exception {
        GateRun run = ReportFixture.run(tmp, 3600, 60);
        JsonNode doc = new ObjectMapper().readTree(JsonReport.render(run.report()));
        assertThat(doc.get("schema").asText()).isEqualTo("vault-gate-report/1");
        assertThat(doc.get("verdict").asText()).isEqualTo("FAILURE");
        assertThat(doc.get("policy").get("file").asText()).isEqualTo(tmp.resolve("policy.yaml").toString());
        assertThat(doc.get("policy").get("name").asText()).isEqualTo("report-test");
        assertThat(doc.get("policy").get("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(doc.get("evidence").asText()).isEqualTo(tmp.resolve("evidence").toAbsolutePath().toString());
        assertThat(doc.get("baseline").asText()).isEqualTo(tmp.resolve("baseline").toAbsolutePath().toString());
        assertThat(doc.get("evaluated").asText()).isEqualTo("2026-11-28T10:00:00Z");
        List<String> fields = new ArrayList<>();
        doc.get("gates").get(0).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).contains("id", "metric", "entity", "condition", "observed", "baseline", "status",
                "severity", "message", "source", "description");

        JsonNode gates = doc.get("gates");
        JsonNode failed = find(gates, "gpu-memory", "gpu[2]");
        assertThat(failed.get("metric").asText()).isEqualTo("gpu[2].memory_total_mib");
        assertThat(failed.get("observed").isIntegralNumber()).isTrue();
        assertThat(failed.get("observed").asLong()).isEqualTo(31000);
        assertThat(failed.get("condition").asText()).isEqualTo("min 32000, max 33000");
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("severity").asText()).isEqualTo("failure");
        assertThat(failed.get("message").asText()).isEqualTo("observed 31000 MiB < min 32000 MiB");
        assertThat(failed.get("source").asText()).isEqualTo("gpu/q.csv:4");
        assertThat(failed.get("baseline").isNull()).isTrue();
        assertThat(failed.get("description").asText()).isEqualTo("32 GB per GPU <b>not bold</b>");

        JsonNode ratio = find(gates, "vllm-vs-baseline", null);
        assertThat(ratio.get("baseline").asLong()).isEqualTo(3600);
        assertThat(ratio.get("status").asText()).isEqualTo("UNSTABLE");
        assertThat(ratio.get("severity").asText()).isEqualTo("unstable");
        assertThat(ratio.get("entity").isNull()).isTrue();

        JsonNode skipped = find(gates, "dcgm", null);
        assertThat(skipped.get("status").asText()).isEqualTo("SKIPPED");
        assertThat(skipped.get("observed").isNull()).isTrue();
        assertThat(skipped.get("source").isNull()).isTrue();

        assertThat(find(gates, "ddp-scaling", null).get("observed").asDouble()).isEqualTo(0.93);
        assertThat(doc.get("counts").get("FAILED").asInt()).isEqualTo(2);
        assertThat(doc.get("stages")).hasSize(4);
    }

    @Test
    void bindsTheReportToEveryEvidenceFileTheGateRead() throws Exception {
        GateRun run = ReportFixture.run(tmp, 3600, 60);
        JsonNode binding = new ObjectMapper().readTree(JsonReport.render(run)).get("binding");
        List<String> listed = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (JsonNode f : binding.get("evidenceFiles")) {
            String path = f.get("path").asText();
            listed.add(path);
            Path file = tmp.resolve("evidence").resolve(path);
            assertThat(f.get("sha256").asText()).as(path).isEqualTo(sha256(java.nio.file.Files.readAllBytes(file)));
            lines.append(f.get("sha256").asText()).append("  ").append(path).append('\n');
        }
        try (var stages = java.nio.file.Files.list(tmp.resolve("evidence"))) {
            for (Path stage : stages.toList()) {
                for (String name : List.of("stage.json", "metrics.json")) {
                    if (java.nio.file.Files.isRegularFile(stage.resolve(name))) {
                        assertThat(listed).contains(stage.getFileName() + "/" + name);
                    }
                }
            }
        }
        assertThat(listed).isNotEmpty();
        assertThat(binding.get("evidenceSha256").asText())
                .isEqualTo(sha256(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // The report without its run (display only) carries no binding, so promotion refuses it.
        assertThat(new ObjectMapper().readTree(JsonReport.render(run.report())).has("binding")).isFalse();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static JsonNode find(JsonNode gates, String id, String entity) {
        for (JsonNode g : gates) {
            if (g.get("id").asText().equals(id) && (entity == null ? g.get("entity").isNull()
                    : entity.equals(g.get("entity").asText()))) {
                return g;
            }
        }
        throw new AssertionError("no row " + id + " " + entity + " in " + gates);
    }
}
