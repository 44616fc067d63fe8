package io.vaultcube.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.exec.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @TempDir
    Path tmp;

    @Test
    void packerManifestGivesTheBuildsOfTheLastRunOnly() throws Exception {
        Path file = Tools.resource("packer-manifest-two-runs.json");
        ImageManifest.Packer packer = PackerManifestProvenance.read(file);
        assertThat(packer.lastRunUuid()).isEqualTo("9a0da263-96fb-600c-5515-648282909367");
        assertThat(packer.builds()).extracting(ImageManifest.PackerBuild::name).containsExactly("art", "ok");
        assertThat(packer.builds()).extracting(ImageManifest.PackerBuild::buildTime).containsOnly(1795909121L);
        assertThat(packer.builds().get(0).artifactId()).isEqualTo("File");
        assertThat(packer.builds().get(0).files()).containsExactly(new ImageManifest.PackerFile("artifact.txt", 19L));
        assertThat(packer.builds().get(1).files()).as("\"files\": null").isEmpty();
        assertThat(packer.manifestSha256()).isEqualTo(Tools.sha256sum(file));
    }

    @Test
    void aPackerManifestWithoutItsLastRunIsRefused() throws IOException {
        Path file = tmp.resolve("manifest.json");
        Files.writeString(file, "{\"builds\": [{\"name\": \"a\", \"packer_run_uuid\": \"x\"}], \"last_run_uuid\": \"y\"}");
        assertThatThrownBy(() -> PackerManifestProvenance.read(file)).hasMessageContaining("last_run_uuid y names no build of the manifest");
        Files.writeString(file, "{\"builds\": []}");
        assertThatThrownBy(() -> PackerManifestProvenance.read(file)).hasMessageContaining("missing member \"last_run_uuid\"");
    }

    @Test
    void gitCommitOfARealCheckoutAndNothingOutsideOne() throws Exception {
        Path repo = tmp.resolve("checkout");
        Files.createDirectories(repo);
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a"), "a");
        git(repo, "add", "a");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first");
        String head = Tools.run(repo, null, "git", "rev-parse", "HEAD").out().strip();
        List<String> notes = new ArrayList<>();
        GitProvenance git = new GitProvenance(new ProcessRunner());
        assertThat(git.read(repo, notes::add)).isEqualTo(new ImageManifest.Git(head, false));
        Files.writeString(repo.resolve("a"), "changed");
        assertThat(git.read(repo, notes::add)).isEqualTo(new ImageManifest.Git(head, true));
        assertThat(notes).isEmpty();

        Path plain = Files.createDirectories(tmp.resolve("plain"));
        assertThat(git.read(plain, notes::add)).isNull();
        assertThat(notes).singleElement().asString().contains("not in a git checkout");
    }

    @Test
    void manifestJsonRoundTrips() throws Exception {
        ImageManifest m = new ImageManifest("vault-cube", "2026.11.28", Instant.parse("2026-11-28T10:00:00.123Z"),
                new ImageManifest.Actor("jenkins", "build-1"),
                List.of(new ImageManifest.FileEntry("a b\nc.qcow2", 12, Sha256.of("x"))),
                new ImageManifest.Gate(ReportedVerdict.SUCCESS, Sha256.of("r"), "/r.json", "demo-box", null, null),
                new ImageManifest.Provenance(PackerManifestProvenance.read(Tools.resource("packer-manifest-two-runs.json")),
                        new ImageManifest.Git("0123456789012345678901234567890123456789", null), Map.of("packer", "1.6.6")));
        byte[] json = ManifestJson.write(m);
        assertThat(ManifestJson.read(json, "test")).isEqualTo(m);
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).contains("\"schema\" : \"vault-image-manifest/1\"");
        assertThatThrownBy(() -> ManifestJson.read("{\"schema\":\"x\"}".getBytes(), "m.json")).hasMessageContaining("expected schema");
    }

    private static void git(Path dir, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "git";
        System.arraycopy(args, 0, argv, 1, args.length);
        Tools.Run run = Tools.run(dir, null, argv);
        assertThat(run.code()).as(run.err()).isZero();
    }
}
