package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.gateReport;
import static io.vaultcube.pipeline.cli.ImageCliSupport.randomFile;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.attest.Sbom;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.inventory.DpkgQueryParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vault inventory} with the real collection script (this Debian machine as an image root,
 * and over Ansible's local connection), and {@code vault images diff} of two promoted versions.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class InventoryCommandTest {
    @TempDir
    Path tmp;

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("scripts/collect-inventory.sh"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    @Test
    void anImageRootThroughTheStagesRunner() throws Exception {
        Path evidence = tmp.resolve("evidence");
        ImageCliSupport.Run run = vault("inventory", "--root", "/", "--scripts", repositoryRoot().resolve("scripts")
                .toString(), "--python-env", "system=/usr/lib/python3/dist-packages", "--evidence", evidence.toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("inventory of the image root /: ", " Debian packages",
                "vault inventory: SUCCEEDED", "evidence: " + evidence.resolve("inventory"));
        EvidenceDir dir = EvidenceDir.create(evidence);
        assertThat(dir.stage("inventory").readRecord().status()).isEqualTo(StageStatus.SUCCEEDED);
        MetricSet m = dir.stage("inventory").readMetrics();
        assertThat(m.get("inventory.deb[dpkg].version")).isPresent();
        assertThat(m.get("inventory.python[system].count")).isPresent();
        assertThat(evidence.resolve("inventory/dpkg-query.txt")).content().contains("\tdpkg\t");
    }

    @Test
    void aRunningBoxOverAnsibleWithProvisionsConnectionOptions() throws Exception {
        Path evidence = tmp.resolve("evidence");
        ImageCliSupport.Run run = vault("inventory", "-i", "box,", "-e", "ansible_connection=local",
                "-e", "ansible_python_interpreter=/usr/bin/python3", "--python-env",
                "system=/usr/lib/python3/dist-packages", "--scripts", repositoryRoot().resolve("scripts").toString(),
                "--evidence", evidence.toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("fetched the inventory of box", "vault inventory: SUCCEEDED");
        MetricSet m = EvidenceDir.create(evidence).stage("inventory").readMetrics();
        assertThat(m.get("inventory.python[system].pkg[ansible-core].version")).isPresent();
        assertThat(evidence.resolve("inventory/ansible-collect.log")).content().contains("PLAY RECAP");
    }

    @Test
    void badUsageIsRefusedBeforeAnythingRuns() {
        ImageCliSupport.Run both = vault("inventory", "--root", "/", "-i", "box,");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("not both");
        ImageCliSupport.Run limitAlone = vault("inventory", "--limit", "box");
        assertThat(limitAlone.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(limitAlone.err()).contains("need -i");
        ImageCliSupport.Run notDebian = vault("inventory", "--root", tmp.toString(), "--scripts",
                repositoryRoot().resolve("scripts").toString(), "--evidence", tmp.resolve("e").toString());
        assertThat(notDebian.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notDebian.err()).contains("no Debian root at " + tmp);
        ImageCliSupport.Run badEnv = vault("inventory", "--python-env", "has space=/x");
        assertThat(badEnv.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badEnv.err()).contains("NAME=/ABSOLUTE/SITE_DIR");
    }

    /** Promotes a version with the CLI and puts the SBOM of this package list beside its manifest. */
    private void promoteWithSbom(String version, String dpkgQuery) throws Exception {
        Path disk = randomFile(tmp.resolve("in-" + version + "/vault-cube.img"), 10_000, version.hashCode());
        Path gate = gateReport(tmp.resolve("gate-" + version + ".json"), "SUCCESS", "PASSED");
        ImageCliSupport.Run promoted = vault("promote", "--repo", tmp.resolve("repo").toString(), "--name", "vault-cube",
                "--version", version, "--gate-report=" + gate, disk.toString(), "--no-git");
        assertThat(promoted.code()).as(promoted.err()).isZero();
        Path list = Files.writeString(tmp.resolve("dpkg-" + version + ".txt"), dpkgQuery);
        byte[] sbom = Sbom.write(new DpkgQueryParser().parse(ParseInput.of(list)), "vault-cube", version, Instant.now());
        Path dir = tmp.resolve("repo/vault-cube/" + version);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(dir.resolve(Attestation.SBOM), sbom);
    }

    @Test
    void imagesDiffByDebianOrderInTextAndJson() throws Exception {
        // Synthetic package lists in dpkg-query's format: a tilde and an epoch decide the order.
        promoteWithSbom("1.0", "ii \topenssl\t3.0.15-1~deb12u1\tamd64\nii \tdocker-ce\t5:27.5.1-1\tamd64\n"
                + "ii \tgone\t1.0-1\tamd64\nii \tsame\t2.0-1\tall\n");
        promoteWithSbom("1.1", "ii \topenssl\t3.0.15-1\tamd64\nii \tdocker-ce\t27.9.9-1\tamd64\n"
                + "ii \tnew\t0.1-1\tamd64\nii \tsame\t2.0-1\tall\n");

        ImageCliSupport.Run text = vault("images", "diff", "--repo", tmp.resolve("repo").toString(), "vault-cube",
                "1.0", "1.1");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("vault-cube 1.0 -> 1.1: 1 added, 1 removed, 1 upgraded, 1 downgraded, 0 changed",
                "upgraded    deb  openssl:amd64 3.0.15-1~deb12u1 -> 3.0.15-1",
                "downgraded  deb  docker-ce:amd64 5:27.5.1-1 -> 27.9.9-1",
                "added       deb  new:amd64 0.1-1", "removed     deb  gone:amd64 1.0-1").doesNotContain("same");

        ImageCliSupport.Run json = vault("images", "diff", "--repo", tmp.resolve("repo").toString(), "vault-cube",
                "1.0", "1.1", "--json");
        assertThat(json.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.path("summary").path("upgraded").asInt()).isEqualTo(1);
        assertThat(root.path("changes")).hasSize(4);
        assertThat(root.path("changes").findValuesAsText("order")).as("only the upgrade and the downgrade have one")
                .containsExactly("debian", "debian");
    }

    @Test
    void imagesDiffOfAVersionWithoutSbomFailsNamingTheFile() throws Exception {
        promoteWithSbom("1.0", "ii \tsame\t2.0-1\tall\n");
        Path disk = randomFile(tmp.resolve("in-2/vault-cube.img"), 10_000, 2);
        vault("promote", "--repo", tmp.resolve("repo").toString(), "--name", "vault-cube", "--version", "2.0",
                "--gate-report=" + gateReport(tmp.resolve("gate-2.json"), "SUCCESS", "PASSED"), disk.toString(), "--no-git");

        ImageCliSupport.Run run = vault("images", "diff", "--repo", tmp.resolve("repo").toString(), "vault-cube", "1.0",
                "2.0");
        assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.err()).contains("vault-cube/2.0/sbom.cdx.json is missing");
        ImageCliSupport.Run unknown = vault("images", "diff", "--repo", tmp.resolve("repo").toString(), "vault-cube",
                "1.0", "9.9");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("no version vault-cube/9.9");
    }
}
