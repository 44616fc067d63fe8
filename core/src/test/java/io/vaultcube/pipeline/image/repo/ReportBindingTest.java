package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gate report is promoted only for what it judged: at least one gate passed, and the evidence it
 * bound is the evidence here, unchanged. Every refusal is in the audit log.
 */
class ReportBindingTest {
    @TempDir
    Path tmp;

    final Promotions promotions = new Promotions();

    Path repo() {
        return tmp.resolve("repo");
    }

    Path disk() throws Exception {
        Files.createDirectories(tmp.resolve("in"));
        return Tools.randomFile(tmp.resolve("in/disk.img"), 10_000, 1);
    }

    /** A repository with one version, so that refusals have an audit log to go to. */
    void existingRepository() throws Exception {
        promotions.promote(Promotions.request(repo(), "img", "0.1", disk()));
    }

    List<JsonNode> refusals() throws Exception {
        return ImageRepository.open(repo()).auditLog().read(p -> { }).stream()
                .filter(e -> "refused".equals(e.path("outcome").asText())).toList();
    }

    @Test
    void aHandWrittenReportWithoutBindingIsRefusedAndAudited() throws Exception {
        existingRepository();
        Path report = Files.writeString(tmp.resolve("gate.json"), "{\"schema\":\"vault-gate-report/1\","
                + "\"verdict\":\"SUCCESS\",\"gates\":[{\"id\":\"x\",\"status\":\"PASSED\"}]}\n");
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1", report).file(disk())))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("does not say which evidence it judged");
        assertThat(repo().resolve("img/1")).doesNotExist();
        assertThat(refusals()).singleElement().satisfies(e -> {
            assertThat(e.path("version").asText()).isEqualTo("1");
            assertThat(e.path("reason").asText()).contains("does not say which evidence it judged");
        });
    }

    @Test
    void aReportInWhichNoGatePassedIsNotASuccess() throws Exception {
        Path report = Files.writeString(tmp.resolve("gate.json"), "{\"schema\":\"vault-gate-report/1\","
                + "\"verdict\":\"SUCCESS\",\"gates\":[{\"id\":\"a\",\"status\":\"SKIPPED\"},"
                + "{\"id\":\"b\",\"status\":\"SKIPPED\"}]}\n");
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1", report).file(disk())))
                .isInstanceOf(GateReportException.class)
                .hasMessageContaining("no gate PASSED");
        assertThat(repo()).doesNotExist();
    }

    @Test
    void aReportMadeForOtherEvidenceIsRefused() throws Exception {
        existingRepository();
        Path evidence = copyOfFixtureEvidence();
        // The same evidence: accepted.
        promotions.promote(Promotions.request(repo(), "img", "1", disk()).evidence(evidence));

        Files.writeString(evidence.resolve("gpu/metrics.json"), "\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "2", disk()).evidence(evidence)))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("was not made for the evidence in " + evidence)
                .hasMessageContaining("gpu/metrics.json is not the file the gate judged");
        Files.delete(evidence.resolve("stress/stage.json"));
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "2", disk()).evidence(evidence)))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("stress/stage.json is missing");
        assertThat(repo().resolve("img/2")).doesNotExist();
        assertThat(refusals()).hasSize(2).allSatisfy(e -> assertThat(e.path("reason").asText())
                .contains("was not made for the evidence"));
    }

    @Test
    void aReportMadeWithAnotherPolicyIsRefused() throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy.yaml"), "schema: vault-policy/1\nname: other\n");
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", disk()).policy(policy)))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("was made with another policy");
    }

    @Test
    void everyRefusalBeforeTheRepositoryIsTouchedIsAudited() throws Exception {
        existingRepository();
        Path disk = disk();
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1",
                Tools.resource("gate-failure.json")).file(disk))).isInstanceOf(PromotionRefusedException.class);
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1",
                Tools.resource("gate-unstable.json")).file(disk))).isInstanceOf(PromotionRefusedException.class);
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1",
                tmp.resolve("no-report.json")).file(disk))).isInstanceOf(GateReportException.class);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", tmp.resolve("no-such.img"))))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "9")))
                .isInstanceOf(PromotionRefusedException.class).hasMessageContaining("does not exist");
        assertThat(refusals()).extracting(e -> e.path("reason").asText()).satisfiesExactly(
                r -> assertThat(r).contains("verdict is FAILURE"),
                r -> assertThat(r).contains("verdict is UNSTABLE"),
                r -> assertThat(r).contains("does not exist"),
                r -> assertThat(r).contains("no-such.img"),
                r -> assertThat(r).contains("img 9 does not exist"));
    }

    @Test
    void aFifoOrADeviceIsNotAnImageFileAndIsNeverRead() throws Exception {
        existingRepository();
        Path fifo = tmp.resolve("in/pipe.img");
        Tools.Run made = Tools.run(tmp, null, "mkfifo", fifo.toString());
        assertThat(made.code()).isZero();
        // Reading the FIFO would block forever (no writer): the refusal proves it was never opened.
        for (Path notRegular : List.of(fifo, Path.of("/dev/zero"))) {
            assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", notRegular)))
                    .hasMessageContaining(notRegular + " is not a regular file (a FIFO, device or socket)");
        }
        assertThat(refusals()).hasSize(2);
    }

    @Test
    void aChannelThatCannotBeSetIsSaidAndAudited() throws Exception {
        existingRepository();
        // A directory where the channel's link goes: the rename over it fails after the version is published.
        Files.createDirectories(repo().resolve("img/channels/stable/x"));
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", disk()).channel("stable")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("could not set the channels stable");
        List<JsonNode> audit = ImageRepository.open(repo()).auditLog().read(p -> { });
        assertThat(audit.get(audit.size() - 1).path("reason").asText()).contains("could not set the channels stable");
        assertThat(audit.get(audit.size() - 1).path("version").asText()).isEqualTo("1");
    }

    private Path copyOfFixtureEvidence() throws Exception {
        Path from = Tools.resource("gate-evidence");
        Path to = tmp.resolve("evidence");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.sorted().toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
        return to;
    }
}
