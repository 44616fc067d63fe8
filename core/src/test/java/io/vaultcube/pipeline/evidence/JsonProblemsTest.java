package io.vaultcube.pipeline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.image.GateReportReader;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.ParseInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON reader of core (metrics.json, stage.json, manifests and other repository files, the
 * gate report, parsed JSON evidence such as nccl and bench results) reports bad JSON as a sentence
 * with the file and where it stopped, never with the JSON library's class, enum or setting names.
 */
class JsonProblemsTest {
    /** Synthetic bad inputs, one per kind of mistake; the second line holds the mistake. */
    static List<String> badInputs() {
        return List.of(
                "{\"schema\": \"x\",\n\"a\": 1,}",
                "{\"schema\": \"x\",\n\"a\": NaN}",
                "{\"schema\": \"x\",\n\"a\": 1} 2",
                "{\"schema\": \"x\",\n\"a\": 1, \"a\": 2}",
                "{\"schema\": \"x\",\n\"a\": \"cut",
                "{\"schema\": \"x\",\n\"a\": tru}",
                "{\"schema\": \"x\",\n\"a\": \u0001}",
                "{\"schema\": \"x\",\n\"a\": [1 2]}",
                "{\"schema\": \"x\",\n\"a\": 01}",
                "{\"schema\": \"x\",\n'a': 1}",
                "{\"schema\": \"x\",\n\"a\": \"\\q\"}",
                "{\"schema\": \"x\",\n\"a\": {\"b\": 1]}",
                "{\"schema\": \"x\",\n\"a\": \"tab\there\"}");
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("badInputs")
    void everyReaderSaysWhatAndWhereInItsOwnWords(String json) throws Exception {
        Path file = Files.writeString(tmp.resolve("bad.json"), json, StandardCharsets.UTF_8);
        List<Throwable> failures = List.of(
                catchThrowable(() -> EvidenceJson.readMetrics(json, "gpu/metrics.json")),
                catchThrowable(() -> EvidenceJson.readStage(json, "gpu/stage.json")),
                catchThrowable(() -> ImageJson.parseObject(json.getBytes(StandardCharsets.UTF_8), "img/1/manifest.json")),
                catchThrowable(() -> GateReportReader.read(file)),
                catchThrowable(() -> JsonDocuments.readOne(ParseInput.of(file), JsonDocuments.all())),
                catchThrowable(() -> BuildSummary.fromJson(json, "gate/build-summary.json")));
        for (Throwable failure : failures) {
            assertThat(failure).as("refused").isNotNull();
            String message = failure.getMessage();
            assertThat(message).as("%s", failure.getClass().getSimpleName())
                    .containsAnyOf("metrics.json:2", "stage.json:2", "manifest.json:2", "bad.json:2", "build-summary.json:2")
                    .containsAnyOf("not valid JSON", "more than one JSON document", "required field")
                    .doesNotContain("Json", "Feature", "VALUE_", "com.fasterxml", "Source:", "START_", "END_",
                            "CTRL-CHAR", "MismatchedInput", "token 'null'");
        }
    }

    @org.junit.jupiter.api.Test
    void validJsonOfTheWrongFormIsSaidWithTheFieldNotTheLibrarysTypes() {
        Throwable wrongType = catchThrowable(() -> BuildSummary.fromJson(
                "{\"schema\": \"vault-build-summary/1\",\n\"verdict\": \"SUCCESS\", \"counts\": [1]}", "g/build-summary.json"));
        assertThat(wrongType).hasMessageStartingWith("g/build-summary.json:2:")
                .hasMessageContaining("the value of counts is not of the kind expected there")
                .message().doesNotContain("Json", "Mismatched", "java.", "com.fasterxml", "Source:", "START_");
        Throwable missing = catchThrowable(() -> BuildSummary.fromJson(
                "{\"schema\": \"vault-build-summary/1\",\n\"counts\": {}}", "g/build-summary.json"));
        assertThat(missing).hasMessageStartingWith("g/build-summary.json:2:")
                .hasMessageContaining("the required field \"verdict\" is missing or null")
                .message().doesNotContain("Json", "Instantiation", "java.", "com.fasterxml", "Source:");
        Throwable otherSchema = catchThrowable(() -> BuildSummary.fromJson("{\"schema\": \"x\", \"verdict\": \"SUCCESS\"}",
                "g/build-summary.json"));
        assertThat(otherSchema).hasMessage("g/build-summary.json: not a vault-build-summary/1 file (schema \"x\")");
    }
}
