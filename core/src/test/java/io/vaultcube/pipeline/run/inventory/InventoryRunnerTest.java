package io.vaultcube.pipeline.run.inventory;

import static io.vaultcube.pipeline.run.GpuRunTestSupport.repositoryRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory runner with the real collection script on this Debian machine: as an image root
 * (read from outside through dpkg-query --admindir), as the running system, and over Ansible
 * (localhost, connection local, the same settings as vault provision).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class InventoryRunnerTest {
    @TempDir
    Path tmp;
    StageEvidence stage;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final Path script = repositoryRoot().resolve("scripts/collect-inventory.sh");
    final Path playbook = repositoryRoot().resolve("scripts/collect-inventory.yml");

    @BeforeEach
    void evidence() throws IOException {
        stage = EvidenceDir.create(tmp.resolve("evidence")).stage(InventoryRunner.STAGE);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static long dpkgCount() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${db:Status-Abbrev}\\n").start();
        long n = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.length() > 1 && l.charAt(1) == 'i').count();
        p.waitFor();
        return n;
    }

    @Test
    void anImageRootIsReadFromOutside() throws Exception {
        RunResult result = new InventoryRunner().run(InventorySettings.builder(script).root(Path.of("/"))
                .tempRoot(tmp).build(), console, stage);

        assertThat(result.status()).as(console()).isEqualTo(StageStatus.SUCCEEDED);
        MetricSet m = stage.readMetrics();
        assertThat(m.values()).containsEntry("inventory.deb.count", dpkgCount());
        assertThat(m.get("inventory.deb[dpkg].version")).isPresent();
        assertThat(Files.readString(stage.file(InventoryRunner.DPKG))).contains("\tdpkg\t");
        assertThat(stage.readRecord().commands().get(0).commandLine()).contains("--root /");
        assertThat(console()).contains("inventory of the image root /: ");
    }

    @Test
    void theRunningSystemWithItsKernel() throws Exception {
        RunResult result = new InventoryRunner().run(InventorySettings.builder(script).tempRoot(tmp).build(), console, stage);

        assertThat(result.status()).as(console()).isEqualTo(StageStatus.SUCCEEDED);
        String uname = new String(new ProcessBuilder("uname", "-r").start().getInputStream().readAllBytes()).strip();
        assertThat(stage.readMetrics().values()).containsEntry("inventory.kernel.release", uname);
        assertThat(Files.readString(stage.file(InventoryRunner.KERNEL))).isEqualTo(uname + "\n");
    }

    @Test
    void aRunningBoxOverAnsible() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("ansible-home"));
        Path inventory = tmp.resolve("inventory.ini");
        Files.writeString(inventory, "box ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        AnsibleSettings ansible = AnsibleSettings.builder(Path.of("unused.yml"), inventory.toString())
                .workingDirectory(tmp)
                .tempRoot(tmp)
                .env("ANSIBLE_HOME", home.toString())
                .env("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString())
                .env("ANSIBLE_REMOTE_TEMP", home.resolve("remote-tmp").toString())
                .env("ANSIBLE_CONFIG", null)
                .build();
        RunResult result = new InventoryRunner().run(InventorySettings.builder(script).ansible(ansible, playbook)
                .pythonEnv("system=/usr/lib/python3/dist-packages").tempRoot(tmp).build(), console, stage);

        assertThat(result.status()).as(console() + result.messages()).isEqualTo(StageStatus.SUCCEEDED);
        MetricSet m = stage.readMetrics();
        assertThat(m.values()).containsEntry("inventory.deb.count", dpkgCount());
        assertThat(m.get("inventory.python[system].pkg[ansible-core].version")).isPresent();
        assertThat(stage.file(InventoryRunner.ANSIBLE_LOG)).content().contains("PLAY RECAP");
        assertThat(console()).contains("fetched the inventory of box");
        // Nothing private is left behind in the temporary root.
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("vault-inventory-"));
        }
    }

    @Test
    void garbledEvidenceFailsTheStageWithoutMetrics() throws Exception {
        Path fake = tmp.resolve("fake-collect.sh");
        Files.writeString(fake, """
                #!/bin/sh
                # synthetic: a collector that writes a package list in the wrong format
                out=$2
                printf 'bash 5.2\\n' >"$out/dpkg-query.txt"
                uname -r >"$out/kernel-release.txt"
                : >"$out/python-environments.txt"
                """);
        RunResult result = new InventoryRunner().run(InventorySettings.builder(fake).tempRoot(tmp).build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(stage.hasMetrics()).isFalse();
        assertThat(String.join("\n", result.messages())).contains("inventory/dpkg-query.txt:1")
                .contains("expected 4 tab-separated fields");
    }

    @Test
    void aRootThatIsNotDebianIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> new InventoryRunner().run(InventorySettings.builder(script).root(tmp).build(), console, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no Debian root at " + tmp);
    }
}
