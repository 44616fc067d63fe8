package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.gateReport;
import static io.vaultcube.pipeline.cli.ImageCliSupport.randomFile;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesCommandTest {
    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void threeVersions() throws Exception {
        repo = tmp.resolve("repo");
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        for (int v = 1; v <= 3; v++) {
            Path disk = randomFile(tmp.resolve("in" + v + "/disk.img"), 50_000 * v, v);
            ImageCliSupport.Run run = vault("promote", "--repo", repo.toString(), "--name", "vault-cube", "--version",
                    "1." + v, "--gate-report", gate.toString(), "--no-git", disk.toString(), "--channel",
                    v == 1 ? "stable" : "candidate");
            assertThat(run.code()).as(run.err()).isZero();
        }
    }

    @Test
    void listAndShow() {
        ImageCliSupport.Run list = vault("images", "list", "--repo", repo.toString());
        assertThat(list.code()).isZero();
        assertThat(list.out().lines()).hasSize(4);
        assertThat(list.out().lines().skip(1).map(l -> l.split("\\s+")[1])).containsExactly("1.3", "1.2", "1.1");
        assertThat(list.out()).contains("SUCCESS  candidate", "SUCCESS  stable");
        ImageCliSupport.Run json = vault("images", "list", "--repo", repo.toString(), "--json");
        assertThat(json.out()).contains("\"channels\" : {", "\"stable\" : \"1.1\"", "\"version\" : \"1.3\"");

        ImageCliSupport.Run show = vault("images", "show", "--repo", repo.toString(), "vault-cube", "--channel", "stable");
        assertThat(show.code()).isZero();
        assertThat(show.out()).startsWith("vault-cube 1.1\n").contains("channels     stable", "50000  disk.img");
        ImageCliSupport.Run raw = vault("images", "show", "--repo", repo.toString(), "vault-cube", "1.2", "--json");
        assertThat(raw.out()).contains("\"schema\" : \"vault-image-manifest/1\"");
        assertThat(vault("images", "show", "--repo", repo.toString(), "vault-cube", "9.9").code()).isEqualTo(ExitCodes.USAGE);
        ImageCliSupport.Run unknown = vault("images", "show", "--repo", repo.toString(), "nope");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).isEqualTo("vault images show: no image 'nope' in " + repo.toAbsolutePath() + "\n");
        assertThat(vault("images", "show", "--repo", repo.toString(), "vault-cube").err())
                .isEqualTo("vault images show: give a VERSION or --channel CHANNEL\n");
        assertThat(vault("images", "list", "--repo", tmp.toString()).err())
                .startsWith("vault images list: ").contains("is not a vault image repository");
    }

    @Test
    void verifyReportsEveryProblemAndExitsOne() throws Exception {
        ImageCliSupport.Run ok = vault("images", "verify", "--repo", repo.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("verified 3 version(s), 3 file(s)", "OK      vault-cube channel stable -> 1.1");

        Path disk = repo.resolve("vault-cube/1.2/disk.img");
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(disk);
        bytes[12_345] ^= 1;
        Files.write(disk, bytes);
        Files.delete(repo.resolve("vault-cube/1.1/disk.img"));
        Files.writeString(repo.resolve("vault-cube/1.3/stray.txt"), "?");

        ImageCliSupport.Run bad = vault("images", "verify", "--repo", repo.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(bad.err()).contains("vault-cube/1.2: disk.img: sha256 mismatch: the manifest says",
                "vault-cube/1.1: disk.img is missing", "vault-cube/1.3: unexpected file stray.txt",
                "channel stable points to 1.1, which failed verification", "5 problem(s)");
        ImageCliSupport.Run one = vault("images", "verify", "--repo", repo.toString(), "vault-cube", "1.2");
        assertThat(one.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(one.err()).contains("1 problem(s)");
    }

    @Test
    void gcKeepsTheNewestAndEveryChannelTarget() {
        ImageCliSupport.Run dry = vault("images", "gc", "--repo", repo.toString(), "--keep", "0", "--dry-run");
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("would remove vault-cube/1.2", "would remove 1 version(s)");
        assertThat(repo.resolve("vault-cube/1.2")).exists();

        ImageCliSupport.Run gc = vault("images", "gc", "--repo", repo.toString(), "--keep", "0");
        assertThat(gc.code()).isZero();
        assertThat(gc.out()).contains("keep    vault-cube/1.3  (channel candidate)", "keep    vault-cube/1.1  (channel stable)",
                "removed vault-cube/1.2");
        assertThat(repo.resolve("vault-cube/1.2")).doesNotExist();
        assertThat(vault("images", "verify", "--repo", repo.toString()).code()).isZero();
        assertThat(vault("images", "gc", "--repo", repo.toString(), "--keep", "-1").code()).isEqualTo(ExitCodes.USAGE);
    }
}
