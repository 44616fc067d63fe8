package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.image.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A symbolic link planted inside the repository's own bookkeeping must never make a promotion or
 * gc change what it points to outside the repository: the writer refuses and names the link, and
 * verify reports it. Each case plants one link at a path the repository creates, deletes, renames,
 * truncates or appends to, aimed at a directory or file outside with contents to lose.
 */
class PlantedLinkTest {
    @TempDir
    Path tmp;

    final Promotions promotions = new Promotions();

    Path repo() {
        return tmp.resolve("repo");
    }

    @org.junit.jupiter.api.Test
    void aHardLinkPlantedAtTheAuditLogIsRefusedAndTheFileItSharesIsUnchanged() throws Exception {
        Path disk = Tools.randomFile(Files.createDirectories(tmp.resolve("in")).resolve("disk.img"), 10_000, 1);
        promotions.promote(Promotions.request(repo(), "img", "0.9", disk).channel("candidate"));
        Path outsideFile = Files.writeString(tmp.resolve("outside.txt"), "keep this file\n");
        Path audit = repo().resolve("audit.jsonl");
        Files.delete(audit);
        Files.createLink(audit, outsideFile);

        Path next = Tools.randomFile(tmp.resolve("in/next.img"), 5_000, 2);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1.0", next).channel("stable")))
                .hasMessageContaining(audit + " has 2 hard links");
        assertThat(Files.readString(outsideFile)).isEqualTo("keep this file\n");
        assertThat(repo().resolve("img/1.0")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {".vault/staging/img", ".vault/trash/img", ".vault/locks/img.lock", "img", "img/channels",
        "img/1.0", ".vault/audit.lock", "audit.jsonl", ".vault/locks", ".vault/staging", ".vault"})
    void aPlantedLinkIsRefusedByPromoteAndGcAndReportedByVerify(String planted) throws Exception {
        Path disk = Tools.randomFile(Files.createDirectories(tmp.resolve("in")).resolve("disk.img"), 10_000, 1);
        promotions.promote(Promotions.request(repo(), "img", "0.9", disk).channel("candidate"));
        promotions.promote(Promotions.request(repo(), "img", "0.95", disk));

        // What the link points to: a directory of precious files, or a precious file.
        Path outsideDir = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outsideDir.resolve("precious.txt"), "keep me\n");
        Files.createDirectories(outsideDir.resolve("sub"));
        Files.writeString(outsideDir.resolve("sub/also.txt"), "keep me too\n");
        // Names a cleanup or gc would act on, had it followed the link.
        Files.createDirectories(outsideDir.resolve("1.0.stale"));
        Files.writeString(outsideDir.resolve("1.0.stale/x"), "x\n");
        Path outsideFile = Files.writeString(tmp.resolve("outside.txt"), "keep this file\n");
        boolean fileLink = planted.endsWith(".lock") || planted.endsWith(".jsonl");

        Path link = repo().resolve(planted);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            if (planted.equals(".vault")) {
                // Keep the repository marker readable through the link: the attack is the bookkeeping.
                Files.createDirectories(outsideDir.resolve("staging/img"));
                Files.copy(link.resolve("repository.json"), outsideDir.resolve("repository.json"));
            }
            Fs.deleteTree(link);
        }
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, fileLink ? outsideFile : outsideDir);
        String before = snapshot();

        Path next = Tools.randomFile(tmp.resolve("in/next.img"), 5_000, 2);
        assertThatThrownBy(() -> promotions.promote(Promotions.request(repo(), "img", "1.0", next).channel("stable")))
                .satisfies(e -> assertThat(e).isInstanceOfAny(RepositoryException.class, PromotionRefusedException.class))
                .hasMessageContaining(link + " is a symbolic link (to ")
                .hasMessageContaining("never follows a link out of itself");
        assertThat(snapshot()).as("outside the repository after promote").isEqualTo(before);

        GarbageCollector gc = new GarbageCollector(l -> { });
        if (planted.equals("img/1.0")) {
            // A linked version is not one of the repository's: gc leaves it alone and says so.
            GarbageCollector.Result result = gc.collect(ImageRepository.open(repo()), List.of(), 0, false,
                    new Actor("tester", "host"), Duration.ofSeconds(30));
            assertThat(result.problems()).anyMatch(p -> p.contains(link + " is a symbolic link (to "));
        } else {
            assertThatThrownBy(() -> gc.collect(ImageRepository.open(repo()),
                    planted.equals("img") ? List.of("img") : List.of(), 0, false, new Actor("tester", "host"),
                    Duration.ofSeconds(30)))
                    .isInstanceOf(RepositoryException.class)
                    .hasMessageContaining(link + " is a symbolic link (to ");
        }
        assertThat(snapshot()).as("outside the repository after gc").isEqualTo(before);

        VerifyReport report;
        try {
            report = Promotions.verify(repo());
        } catch (RepositoryException e) {
            // A planted .vault makes the repository unopenable; the message names the link.
            assertThat(e).hasMessageContaining(link + " is a symbolic link (to ");
            return;
        }
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anyMatch(p -> p.contains(link + " is a symbolic link (to "));
        assertThat(snapshot()).as("outside the repository after verify").isEqualTo(before);
    }

    /** Every file outside the repository with its contents, and every directory. */
    private String snapshot() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Path top : List.of(tmp.resolve("outside"), tmp.resolve("outside.txt"))) {
            try (Stream<Path> all = Files.walk(top)) {
                for (Path p : all.sorted().toList()) {
                    b.append(tmp.relativize(p));
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        b.append(" = ").append(Files.readString(p));
                    }
                    b.append('\n');
                }
            }
        }
        return b.toString();
    }
}
