package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
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
