package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.ReportedVerdict;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.Tools;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoterTest {
    @TempDir
    Path tmp;

    final Promotions promotions = new Promotions();

    Path repo() {
        return tmp.resolve("repo");
    }

    Path image(String name, long size, long seed) throws Exception {
        Files.createDirectories(tmp.resolve("in"));
        return Tools.randomFile(tmp.resolve("in").resolve(name), size, seed);
    }

    @Test
    void promotesAVerifiedVersionWithManifestSumsChannelAndAuditEntry() throws Exception {
        Path disk = image("vault-cube.qcow2", 3_000_000, 1);
        Path extra = image("vault-cube.vmlinuz", 20_000, 2);
        PromotionResult result = promotions.promote(Promotions.request(repo(), "vault-cube", "2026.11.28", disk, extra)
                .channel("candidate")
                .packerManifest(Tools.resource("packer-manifest-two-runs.json"))
                .tool("packer", "1.6.6"));

        assertThat(result.outcome()).isEqualTo(PromotionResult.Outcome.CREATED);
        Path dir = repo().resolve("vault-cube/2026.11.28");
        assertThat(result.versionDir()).isEqualTo(dir);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("vault-cube.qcow2", "vault-cube.vmlinuz", "manifest.json", "SHA256SUMS");
        }
        assertThat(Files.mismatch(disk, dir.resolve("vault-cube.qcow2"))).isEqualTo(-1L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("vault-cube.qcow2"))))
                .isEqualTo("r--r--r--");

        ImageManifest m = ImageRepository.open(repo()).manifest("vault-cube", "2026.11.28");
        assertThat(m.files()).extracting(ImageManifest.FileEntry::name, ImageManifest.FileEntry::size, ImageManifest.FileEntry::sha256)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("vault-cube.qcow2", 3_000_000L, Tools.sha256sum(disk)),
                        org.assertj.core.groups.Tuple.tuple("vault-cube.vmlinuz", 20_000L, Tools.sha256sum(extra)));
        assertThat(m.gate().verdict()).isEqualTo(ReportedVerdict.SUCCESS);
        assertThat(m.gate().reportSha256()).isEqualTo(Tools.sha256sum(Tools.resource("gate-success.json")));
        assertThat(m.gate().policyName()).isEqualTo("demo-box");
        assertThat(m.provenance().packer().lastRunUuid()).isEqualTo("9a0da263-96fb-600c-5515-648282909367");
        assertThat(m.provenance().tools()).containsEntry("packer", "1.6.6");
        assertThat(m.promotedBy()).isEqualTo(new ImageManifest.Actor("tester", "test-host"));

        Tools.Run check = Tools.run(dir, null, "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).isEqualTo("vault-cube.qcow2: OK\nvault-cube.vmlinuz: OK\nmanifest.json: OK\n");

        Path channel = repo().resolve("vault-cube/channels/candidate");
        assertThat(Files.readSymbolicLink(channel)).isEqualTo(Path.of("../2026.11.28"));
        assertThat(Files.mismatch(disk, channel.resolve("vault-cube.qcow2"))).isEqualTo(-1L);

        List<JsonNode> audit = ImageRepository.open(repo()).auditLog().read(p -> { throw new AssertionError(p); });
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.path("action").asText()).isEqualTo("promote");
            assertThat(e.path("outcome").asText()).isEqualTo("created");
            assertThat(e.path("user").asText()).isEqualTo("tester");
            assertThat(e.path("gateReportSha256").asText()).isEqualTo(m.gate().reportSha256());
            assertThat(e.path("channels").get(0).path("to").asText()).isEqualTo("2026.11.28");
        });
        assertThat(Promotions.verify(repo()).ok()).isTrue();
        assertThat(Promotions.verify(repo()).notes()).isEmpty();
        try (Stream<Path> staging = Files.list(repo().resolve(".vault/staging/vault-cube"))) {
            assertThat(staging).isEmpty();
        }
    }

    @Test
    void oddFileNamesAreKeptAndSha256sumAcceptsTheirLines() throws Exception {
        Path a = image("with space.img", 1000, 1);
        Path b = image("back\\slash\nnew line\rcr.img", 2000, 2);
        Path c = image("ünïcødé.img", 0, 3);
        promotions.promote(Promotions.request(repo(), "odd", "1", a, b, c));
        Path dir = repo().resolve("odd/1");
        String sums = Files.readString(dir.resolve("SHA256SUMS"));
        assertThat(sums).contains("\\" + Tools.sha256sum(b) + "  back\\\\slash\\nnew line\\rcr.img\n");
        Tools.Run check = Tools.run(dir, null, "sha256sum", "--strict", "-c", "SHA256SUMS");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).contains("with space.img: OK", "ünïcødé.img: OK", "\\back\\\\slash\\nnew line\\rcr.img: OK");
        assertThat(Promotions.verify(repo()).ok()).isTrue();
    }

    @Test
    void theSameContentAgainIsANoOpAndOtherContentIsRefused() throws Exception {
        Path disk = image("disk.img", 100_000, 1);
        promotions.promote(Promotions.request(repo(), "img", "1.0", disk));
        long created = Files.getLastModifiedTime(repo().resolve("img/1.0/manifest.json")).toMillis();

        PromotionResult again = promotions.promote(Promotions.request(repo(), "img", "1.0", disk).channel("stable"));
        assertThat(again.outcome()).isEqualTo(PromotionResult.Outcome.UNCHANGED);
        assertThat(promotions.log).anyMatch(l -> l.contains("already holds exactly these files"));
        assertThat(Files.getLastModifiedTime(repo().resolve("img/1.0/manifest.json")).toMillis()).isEqualTo(created);
        assertThat(ImageRepository.open(repo()).channel("img", "stable")).isEqualTo("1.0");

        Path other = image("disk.img.other", 100_000, 2);
        Path renamed = Files.move(other, tmp.resolve("disk.img"));
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1.0", renamed)))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("exists with other content (disk.img has sha256")
                .hasMessageContaining("versions are immutable");
        Path extra = image("second.img", 10, 3);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1.0", disk, extra)))
                .isInstanceOf(PromotionRefusedException.class).hasMessageContaining("it has no file second.img");
        assertThat(Files.mismatch(disk, repo().resolve("img/1.0/disk.img"))).isEqualTo(-1L);

        List<JsonNode> audit = ImageRepository.open(repo()).auditLog().read(p -> { });
        assertThat(audit).extracting(e -> e.path("outcome").asText()).containsExactly("created", "unchanged", "refused", "refused");
        assertThat(Promotions.verify(repo()).ok()).isTrue();
    }

    @Test
    void aDamagedStoredCopyIsNotPromotedAgainNorPointedAt() throws Exception {
        Path disk = image("disk.img", 100_000, 1);
        promotions.promote(Promotions.request(repo(), "img", "1.0", disk).channel("candidate"));
        Path stored = repo().resolve("img/1.0/disk.img");
        stored.toFile().setWritable(true);
        byte[] bytes = Files.readAllBytes(stored);
        bytes[50_000] ^= 1; // same size, one bit flipped: only a re-hash sees it
        Files.write(stored, bytes);

        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1.0", disk).channel("stable")))
                .isInstanceOf(PromotionRefusedException.class)
                .hasMessageContaining("the stored img 1.0 is damaged (disk.img")
                .hasMessageContaining("no channel moved; run vault images verify");
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1.0").channel("stable")))
                .isInstanceOf(PromotionRefusedException.class).hasMessageContaining("is damaged");
        assertThat(ImageRepository.open(repo()).channels("img")).containsExactly(java.util.Map.entry("candidate", "1.0"));
        assertThat(promotions.log).noneMatch(l -> l.contains("already holds exactly these files"));
        assertThat(Files.readString(repo().resolve("audit.jsonl"))).contains("\"refused\"", "is damaged");
    }

    @Test
    void theGateVerdictDecidesAndARefusalTouchesNothing() throws Exception {
        Path disk = image("disk.img", 1000, 1);
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1", Tools.resource("gate-failure.json"))
                .file(disk))).isInstanceOf(PromotionRefusedException.class).hasMessageContaining("verdict is FAILURE");
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1", Tools.resource("gate-unstable.json"))
                .file(disk))).isInstanceOf(PromotionRefusedException.class).hasMessageContaining("--allow-unstable");
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1", Tools.resource("gate-lying-success.json"))
                .file(disk))).isInstanceOf(GateReportException.class);
        assertThatThrownBy(() -> promotions.promote(PromotionRequest.builder(repo(), "img", "1", tmp.resolve("no-report.json"))
                .file(disk))).isInstanceOf(GateReportException.class).hasMessageContaining("does not exist");
        assertThat(repo()).doesNotExist();

        PromotionResult unstable = promotions.promote(PromotionRequest.builder(repo(), "img", "1", Tools.resource("gate-unstable.json"))
                .file(disk).allowUnstable(true));
        assertThat(unstable.manifest().gate().verdict()).isEqualTo(ReportedVerdict.UNSTABLE);
    }

    @Test
    void namesCannotClimbOutOfTheRepository() throws Exception {
        Path disk = image("disk.img", 10, 1);
        for (String bad : List.of("..", ".", "../x", "a/b", ".hidden", "", "x y", "-rf", "a\nb")) {
            assertThatThrownBy(() -> Promotions.request(repo(), bad, "1", disk).build()).as("name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Promotions.request(repo(), "img", bad, disk).build()).as("version %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Promotions.request(repo(), "img", "1", disk).channel(bad).build()).as("channel %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Promotions.request(repo(), "img", "channels", disk).build()).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Promotions.request(repo(), "audit.jsonl", "1", disk).build()).hasMessageContaining("reserved");
        Path manifest = image("manifest.json", 10, 2);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", manifest)))
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", disk, disk)))
                .hasMessageContaining("two image files are named disk.img");
        assertThat(repo()).doesNotExist();
    }

    @Test
    void channelsOnlyMovesChannelsOfAnExistingVersion() throws Exception {
        promotions.promote(Promotions.request(repo(), "img", "1", image("a.img", 10, 1)).channel("stable"));
        promotions.promote(Promotions.request(repo(), "img", "2", image("b.img", 10, 2)).channel("candidate"));
        PromotionResult moved = promotions.promote(Promotions.request(repo(), "img", "2").channel("stable"));
        assertThat(moved.outcome()).isEqualTo(PromotionResult.Outcome.CHANNELS_ONLY);
        assertThat(moved.channels()).containsExactly(new ChannelMove("stable", "1", "2"));
        assertThat(ImageRepository.open(repo()).channels("img")).containsExactly(
                java.util.Map.entry("candidate", "2"), java.util.Map.entry("stable", "2"));
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "3").channel("stable")))
                .isInstanceOf(PromotionRefusedException.class).hasMessageContaining("does not exist");
    }

    @Test
    void refusesToWriteIntoADirectoryThatIsNotARepository() throws Exception {
        Path notRepo = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(notRepo.resolve("thesis.tex"), "precious");
        assertThatThrownBy(() -> promotions.promote(Promotions.request(notRepo, "img", "1", image("a.img", 10, 1))))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("is not empty and is not a vault image repository");
        try (Stream<Path> entries = Files.list(notRepo)) {
            assertThat(entries).containsExactly(notRepo.resolve("thesis.tex"));
        }
    }

    @Test
    void aVersionRemovedByGcIsNeverRebornWithOtherContent() throws Exception {
        Path a = image("disk.img", 1000, 1);
        promotions.promote(Promotions.request(repo(), "img", "1", a));
        promotions.promote(Promotions.request(repo(), "img", "2", image("other.img", 10, 2)));
        new GarbageCollector(l -> { }).collect(ImageRepository.open(repo()), List.of(), 1, false,
                new Actor("tester", "h"), null);
        assertThat(repo().resolve("img/1")).doesNotExist();

        Path changed = tmp.resolve("changed/disk.img");
        Files.createDirectories(changed.getParent());
        Tools.randomFile(changed, 1000, 99);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1", changed)))
                .isInstanceOf(PromotionRefusedException.class).hasMessageContaining("versions are never reused");
        assertThat(repo().resolve("img/1")).doesNotExist();
        // The same bytes may come back.
        assertThat(promotions.promote(Promotions.request(repo(), "img", "1", a)).outcome())
                .isEqualTo(PromotionResult.Outcome.CREATED);
    }

    @Test
    void staleStagingOfACrashedRunIsRemovedUnderTheLock() throws Exception {
        promotions.promote(Promotions.request(repo(), "img", "1", image("a.img", 10, 1)));
        Path stale = Files.createDirectories(repo().resolve(".vault/staging/img/2.dead"));
        Files.writeString(stale.resolve("a.img"), "half");
        Path staleLink = repo().resolve("img/channels/.stable.tmp-dead");
        Files.createDirectories(staleLink.getParent());
        Files.createSymbolicLink(staleLink, Path.of("../1"));
        assertThat(Promotions.verify(repo()).notes()).anyMatch(n -> n.contains("2.dead"));
        assertThat(Promotions.verify(repo()).ok()).as("stale staging is hidden, not damage").isTrue();

        promotions.promote(Promotions.request(repo(), "img", "2", image("b.img", 10, 2)));
        assertThat(stale).doesNotExist();
        assertThat(Files.exists(staleLink, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(promotions.log).anyMatch(l -> l.startsWith("removing ") && l.contains("2.dead"));
    }

    @Test
    void anUnauditedVersionIsRecordedByTheNextWriter() throws Exception {
        promotions.promote(Promotions.request(repo(), "img", "1", image("a.img", 10, 1)).channel("stable"));
        // What a run killed between the rename and the audit append leaves: a version and a channel move without entries.
        Path audit = repo().resolve("audit.jsonl");
        Files.writeString(audit, "");
        assertThat(Promotions.verify(repo()).notes()).anyMatch(n -> n.contains("not in the audit log"));
        promotions.promote(Promotions.request(repo(), "img", "2", image("b.img", 10, 2)));
        List<JsonNode> entries = ImageRepository.open(repo()).auditLog().read(p -> { });
        assertThat(entries).extracting(e -> e.path("action").asText() + " " + e.path("version").asText() + " "
                + e.path("outcome").asText()).containsExactly("recover 1 recovered", "recover 1 recovered", "promote 2 created");
        assertThat(entries.get(0).path("promotedBy").asText()).isEqualTo("tester@test-host");
        assertThat(entries.get(1).path("channels").get(0).path("name").asText()).isEqualTo("stable");
        assertThat(Promotions.verify(repo()).notes()).isEmpty();
    }
}
