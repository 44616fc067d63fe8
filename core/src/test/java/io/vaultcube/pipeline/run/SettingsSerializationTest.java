package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.bench.BenchKind;
import io.vaultcube.pipeline.run.bench.BenchSettings;
import io.vaultcube.pipeline.run.gpu.GpuValidateSettings;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import io.vaultcube.pipeline.run.stress.StressSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Jenkins step sends the settings to its agent with Java serialization: they must survive it whole. */
class SettingsSerializationTest {
    @Test
    void packerSettingsSurviveSerialization() throws Exception {
        PackerSettings s = PackerSettings.builder(Path.of("packer/golden.pkr.hcl"))
                .var("region", "eu").sensitiveVar("password", "p,w\n").varFile(Path.of("a.json")).only("qemu.golden")
                .onError(PackerSettings.OnError.ABORT).force(true).packer("/usr/bin/packer")
                .workingDirectory(Path.of("/ws")).env("PACKER_LOG", null).env("X", "1").tempRoot(Path.of("/ws@tmp"))
                .timeout(Duration.ofMinutes(40)).secret("token").build();
        assertThat(roundTrip(s)).isEqualTo(s);
    }

    @Test
    void ansibleSettingsSurviveSerialization() throws Exception {
        AnsibleSettings s = AnsibleSettings.builder(Path.of("site.yml"), "hosts.ini").limit("web").tags("base")
                .skipTags("slow").extraVar("a", "b c").extraVarsFile(Path.of("v.yml")).user("ubuntu")
                .privateKey("KEY\n").become(true).check(true).diff(true).idempotencyRuns(3)
                .ansiblePlaybook("/usr/bin/ansible-playbook").workingDirectory(Path.of("/ws")).env("A", null)
                .tempRoot(Path.of("/t")).timeout(Duration.ofMinutes(5)).secret("s").build();
        assertThat(roundTrip(s)).isEqualTo(s);
    }

    @Test
    void gpuBenchAndStressSettingsSurviveSerialization() throws Exception {
        GpuValidateSettings live = GpuValidateSettings.live(Path.of("scripts/validate-gpus.sh")).expectCount(4)
                .expectModel("NVIDIA GeForce RTX 5090").expectMemoryMib(32000).expectPcieGen(5).expectPcieWidth(16)
                .expectDriverMin("570.124").maxIdleTempC(60).loadSeconds(20).loadWarmupSeconds(5).python("/usr/bin/python3")
                .loadCommand(List.of("gpu_burn", "60")).workingDirectory(Path.of("/ws")).env("CUDA_VISIBLE_DEVICES", null)
                .timeout(Duration.ofMinutes(20)).secret("s").build();
        assertThat(roundTrip(live)).isEqualTo(live);
        GpuValidateSettings recorded = GpuValidateSettings.recorded(Path.of("/evidence/gpu")).expectCount(4).build();
        assertThat(roundTrip(recorded)).isEqualTo(recorded);
        BenchSettings bench = BenchSettings.builder(BenchKind.VLLM, List.of("python3", "x.py", "--model", "/m"))
                .interval(Duration.ofSeconds(2)).sampler(Path.of("scripts/sample-telemetry.sh")).stageName("bench-vllm-7b")
                .workingDirectory(Path.of("/ws")).env("HF_TOKEN", "t").secret("t").timeout(Duration.ofHours(1)).build();
        assertThat(roundTrip(bench)).isEqualTo(bench);
        StressSettings stress = StressSettings.builder(List.of("python3", "scripts/stress-gpus.py"), Duration.ofHours(24),
                Path.of("scripts/sample-telemetry.sh")).interval(Duration.ofSeconds(5)).stageName("stress-24h")
                .progressEvery(Duration.ofMinutes(5)).endGrace(Duration.ofMinutes(2)).journalctl("/bin/journalctl")
                .dmesg("/bin/dmesg").graces(Duration.ofSeconds(120), Duration.ofSeconds(5)).build();
        assertThat(roundTrip(stress)).isEqualTo(stress);
    }

    private static Object roundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
