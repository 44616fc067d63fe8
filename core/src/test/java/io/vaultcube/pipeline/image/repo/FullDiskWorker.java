package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ProgressMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Test main, run by {@link FullDiskTest} inside a private mount namespace
 * ({@code unshare --mount --fork}): mounts a small tmpfs at MOUNTPOINT (visible only in this
 * namespace, gone when it ends), then promotes into a repository on it: a too-big image with the
 * free-space check, the same without it (so the copy hits ENOSPC), then a small image.
 * Arguments: MOUNTPOINT SIZE GATE_REPORT BIG_IMAGE SMALL_IMAGE. Prints one line per finding.
 */
public final class FullDiskWorker {
    private FullDiskWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path mountpoint = Path.of(args[0]);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + args[1], "vault-full-disk-test",
                mountpoint.toString()).inheritIO().start();
        if (mount.waitFor() != 0) {
            System.out.println("mount failed: " + mount.exitValue());
            System.exit(3);
        }
        Path repo = mountpoint.resolve("repo");
        Path gate = Path.of(args[2]);
        Promoter promoter = new Promoter(new FileHasher(), 1, ProgressMeter.silent(), line -> { }, new ProcessRunner());
        long free = Files.getFileStore(mountpoint).getUsableSpace();
        System.out.println("free-before " + free);
        for (boolean check : new boolean[] {true, false}) {
            try {
                promoter.promote(PromotionRequest.builder(repo, "img", "big", gate).file(Path.of(args[3]))
                        .checkFreeSpace(check).actor(new Actor("t", "h")).build());
                System.out.println("big promoted (unexpected)");
            } catch (RepositoryException e) {
                System.out.println("refused-" + (check ? "precheck" : "write") + " " + e.getMessage());
            }
            System.out.println("free-after-" + (check ? "precheck" : "write") + " " + Files.getFileStore(mountpoint).getUsableSpace());
        }
        try (Stream<Path> all = Files.walk(repo)) {
            all.forEach(p -> System.out.println("left " + repo.relativize(p)));
        }
        promoter.promote(PromotionRequest.builder(repo, "img", "small", gate).file(Path.of(args[4]))
                .actor(new Actor("t", "h")).build());
        System.out.println("small promoted");
        System.out.println("verify " + new RepositoryVerifier(new FileHasher(), 1, ProgressMeter.silent(), l -> { })
                .verify(ImageRepository.open(repo), null, null));
        for (var e : ImageRepository.open(repo).auditLog().read(p -> { })) {
            System.out.println("audit " + e.path("version").asText() + " " + e.path("outcome").asText());
        }
        // A disk full before anything is copied: a new image's lock file cannot get its holder line.
        Path filler = mountpoint.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
            byte[] block = new byte[64 << 10];
            while (true) {
                out.write(block);
            }
        } catch (java.io.IOException full) {
            // The filesystem is full now.
        }
        try {
            promoter.promote(PromotionRequest.builder(repo, "other", "1", gate).file(Path.of(args[4]))
                    .actor(new Actor("t", "h")).build());
            System.out.println("other promoted (unexpected)");
        } catch (RepositoryException e) {
            System.out.println("refused-full " + e.getMessage());
        }
        Files.delete(filler);
    }
}
