package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.image.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository on a 4 MiB tmpfs, mounted in a private mount namespace so that nothing is mounted
 * on the machine running the test ({@code unshare --mount --fork}; as a non-root user also
 * {@code --user --map-root-user}). An 8 MiB image is refused before copying; without that check
 * the copy runs into ENOSPC. Both say so clearly and leave nothing behind, and the repository
 * still takes a small image afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullDiskTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskGivesAClearErrorAndLeavesNothingBehind() throws Exception {
        Tools.requireTool("unshare");
        Tools.requireTool("mount");
        Path mountpoint = Files.createDirectories(tmp.resolve("mnt"));
        Path big = Tools.randomFile(tmp.resolve("big.img"), 8L << 20, 1);
        Path small = Tools.randomFile(tmp.resolve("small.img"), 100_000, 2);
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--fork"));
        if (!"root".equals(System.getProperty("user.name"))) {
            argv.addAll(1, List.of("--user", "--map-root-user"));
        }
        argv.add("--");
        argv.addAll(Tools.javaMain(FullDiskWorker.class, mountpoint.toString(), "4m",
                Tools.resource("gate-success.json").toString(), big.toString(), small.toString()));
        Tools.Run run = Tools.run(tmp, null, argv.toArray(String[]::new));
        String out = run.out();
        assertThat(run.code()).as(out + run.err()).isZero();

        assertThat(out).contains("refused-precheck not enough space in " + mountpoint.resolve("repo")
                + ": img big needs 8.0 MiB, the filesystem has ");
        assertThat(out).contains("refused-write the filesystem of " + mountpoint.resolve("repo")
                + " is full (No space left on device) while writing img big (8.0 MiB); nothing was promoted and the"
                + " partial copy was removed");
        long before = value(out, "free-before");
        assertThat(value(out, "free-after-precheck")).isGreaterThan(before - (64 << 10));
        assertThat(value(out, "free-after-write")).as("the partial copy's space came back").isGreaterThan(before - (64 << 10));
        List<String> left = out.lines().filter(l -> l.startsWith("left ")).map(l -> l.substring(5)).toList();
        // Nothing of the image is left; the audit log records both failures.
        assertThat(left).containsExactlyInAnyOrder("", ".vault", ".vault/repository.json", ".vault/locks",
                ".vault/locks/img.lock", ".vault/staging", ".vault/staging/img", "audit.jsonl", ".vault/audit.lock");
        assertThat(out).contains("small promoted", "verify VerifyReport[versions=1, files=1, bytes=100000, problems=[], notes=[]]");
        assertThat(out.lines().filter(l -> l.startsWith("audit "))).containsExactly("audit big failed", "audit big failed",
                "audit small created");
        // Full before the copy: the documented sentence (exit 1 in the CLI), not a bare OS message.
        assertThat(out).containsPattern("refused-full (the filesystem of " + java.util.regex.Pattern.quote(
                mountpoint.resolve("repo").toString()) + " is full \\(No space left on device\\)|not enough space in )");

        // Nothing was mounted here: the tmpfs lived and died in the child's namespace.
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(mountpoint.toString());
        try (var entries = Files.list(mountpoint)) {
            assertThat(entries).isEmpty();
        }
    }

    private static long value(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + " ")).map(l -> Long.parseLong(l.substring(key.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in " + out));
    }
}
