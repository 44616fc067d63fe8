package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.gateReport;
import static io.vaultcube.pipeline.cli.ImageCliSupport.randomFile;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromoteCommandTest {
    @TempDir
    Path tmp;

    Path repo() {
        return tmp.resolve("repo");
    }

    ImageCliSupport.Run promote(String version, Path gate, String... more) {
        String[] args = new String[8 + more.length];
        String[] head = {"promote", "--repo", repo().toString(), "--name", "vault-cube", "--version", version,
            "--gate-report=" + gate};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(more, 0, args, head.length, more.length);
        return vault(args);
    }

    @Test
    void promotesOnceAndThenSaysItIsAlreadyThere() throws Exception {
        Path disk = randomFile(tmp.resolve("in/vault cube.qcow2"), 300_000, 1);
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        ImageCliSupport.Run first = promote("1.0", gate, disk.toString(), "--channel", "stable", "--no-git",
                "--tool-version", "packer=1.6.6");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("vault-cube 1.0: promoted; 1 file(s), 293.0 KiB, gate SUCCESS",
                "channel stable -> 1.0", "(copy re-read and verified)");
        assertThat(repo().resolve("vault-cube/1.0/vault cube.qcow2")).hasSameBinaryContentAs(disk);

        ImageCliSupport.Run again = promote("1.0", gate, disk.toString(), "--no-git");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("unchanged (already promoted with the same files)");

        Path changed = randomFile(tmp.resolve("other/vault cube.qcow2"), 300_000, 2);
        ImageCliSupport.Run refused = promote("1.0", gate, changed.toString(), "--no-git");
        assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.err()).contains("vault promote: vault-cube 1.0 exists with other content");

        ImageCliSupport.Run channelOnly = promote("1.0", gate, "--channel", "candidate", "--no-git");
        assertThat(channelOnly.code()).isZero();
        assertThat(channelOnly.out()).contains("channels set", "channel candidate -> 1.0");
    }

    @Test
    void theGateReportDecidesTheExitStatus() throws Exception {
        Path disk = randomFile(tmp.resolve("in/disk.img"), 1000, 1);
        ImageCliSupport.Run failure = promote("1", gateReport(tmp.resolve("f.json"), "FAILURE", "FAILED"), disk.toString());
        assertThat(failure.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(failure.err()).contains("the gate report's verdict is FAILURE: promotion refused");

        Path unstableGate = gateReport(tmp.resolve("u.json"), "UNSTABLE", "FAILED");
        ImageCliSupport.Run unstable = promote("1", unstableGate, disk.toString());
        assertThat(unstable.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unstable.err()).contains("--allow-unstable");
        assertThat(repo()).doesNotExist();

        ImageCliSupport.Run allowed = promote("1", unstableGate, disk.toString(), "--allow-unstable", "--no-git");
        assertThat(allowed.code()).isZero();
        assertThat(allowed.out()).contains("warning: promoted on an UNSTABLE gate verdict");

        Path garbled = Files.writeString(tmp.resolve("g.json"), "{\"schema\": \"vault-gate-report/1\", \"verdict\": ");
        ImageCliSupport.Run unreadable = promote("2", garbled, disk.toString());
        assertThat(unreadable.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unreadable.err()).contains("not valid JSON");
        ImageCliSupport.Run lying = promote("2", gateReport(tmp.resolve("l.json"), "SUCCESS", "FAILED"), disk.toString());
        assertThat(lying.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(lying.err()).contains("says SUCCESS but its gates imply UNSTABLE");
    }

    @Test
    void badNamesAndMissingImagesAreUsageErrors() throws Exception {
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        Path disk = randomFile(tmp.resolve("in/disk.img"), 10, 1);
        ImageCliSupport.Run traversal = promote("../../etc", gate, disk.toString());
        assertThat(traversal.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(traversal.err()).contains("invalid version '../../etc'");
        ImageCliSupport.Run missing = promote("1", gate, tmp.resolve("in/nothing.img").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nothing.img");
        ImageCliSupport.Run noVersion = promote("9", gate, "--no-git");
        assertThat(noVersion.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noVersion.err()).contains("does not exist", "give its image files");
        assertThat(vault("promote", disk.toString()).code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void recordsPackerAndGitProvenance() throws Exception {
        Path checkout = Files.createDirectories(tmp.resolve("checkout"));
        assertThat(ImageCliSupport.tool(checkout, "git", "init", "-q").code()).isZero();
        Files.writeString(checkout.resolve("README"), "x");
        assertThat(ImageCliSupport.tool(checkout, "git", "add", "README").code()).isZero();
        assertThat(ImageCliSupport.tool(checkout, "git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit",
                "-q", "-m", "x").code()).isZero();
        String head = ImageCliSupport.tool(checkout, "git", "rev-parse", "HEAD").out().strip();
        Path packer = Files.writeString(tmp.resolve("manifest.json"), """
                {"builds": [{"name": "golden", "builder_type": "qemu", "build_time": 1795905643,
                  "files": [{"name": "vault-cube.qcow2", "size": 10}], "artifact_id": "vault-cube.qcow2",
                  "packer_run_uuid": "53213472-1246-4ae2-e4ca-01cf45b449a4", "custom_data": {}}],
                 "last_run_uuid": "53213472-1246-4ae2-e4ca-01cf45b449a4"}
                """);
        Path disk = randomFile(tmp.resolve("in/vault-cube.qcow2"), 10, 1);
        ImageCliSupport.Run run = promote("1", gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED"), disk.toString(),
                "--packer-manifest", packer.toString(), "--checkout", checkout.toString());
        assertThat(run.code()).as(run.err()).isZero();
        String manifest = Files.readString(repo().resolve("vault-cube/1/manifest.json"));
        assertThat(manifest).contains("\"lastRunUuid\" : \"53213472-1246-4ae2-e4ca-01cf45b449a4\"",
                "\"artifactId\" : \"vault-cube.qcow2\"", "\"commit\" : \"" + head + "\"", "\"dirty\" : false");
        ImageCliSupport.Run show = vault("images", "show", "--repo", repo().toString(), "vault-cube", "1");
        assertThat(show.out()).contains("git commit   " + head, "build golden (qemu): artifact vault-cube.qcow2");
    }
}
