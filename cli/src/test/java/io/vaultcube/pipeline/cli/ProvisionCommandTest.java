package io.vaultcube.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vault provision} with Debian's real ansible-playbook (./test.sh installs it), on localhost. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class ProvisionCommandTest {
    /** Synthetic test playbook: writes one file under out_dir. */
    static final String PLAYBOOK = """
            - name: Write a file
              hosts: all
              gather_facts: false
              tasks:
                - name: Converge the file
                  ansible.builtin.copy:
                    content: "{{ message }}\\n"
                    dest: "{{ out_dir }}/message.txt"
                    mode: "0644"
            """;

    @TempDir
    Path tmp;

    @Test
    void provisionsTwiceForIdempotencyAndTellsWhereTheEvidenceIs() throws Exception {
        Path playbook = Files.writeString(tmp.resolve("site.yml"), PLAYBOOK);
        Path inventory = Files.writeString(tmp.resolve("inventory.ini"),
                "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path evidence = tmp.resolve("evidence");
        MainTest.Run run = MainTest.vault("provision", playbook.toString(), "-i", inventory.toString(),
                "-e", "out_dir=" + tmp, "-e", "message=hello \"world\" $(id)", "--idempotency-runs", "2",
                "--evidence", evidence.toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(tmp.resolve("message.txt")).hasContent("hello \"world\" $(id)");
        assertThat(run.out()).contains("TASK [Converge the file]", "PLAY RECAP", "vault provision: SUCCEEDED",
                "evidence: " + evidence.resolve("ansible"));
        assertThat(EvidenceDir.open(evidence).readAllMetrics().values()).containsEntry("ansible.idempotent", true)
                .containsEntry("ansible.runs", 2L);
    }

    @Test
    void aFailingPlaybookExitsOne() throws Exception {
        Path playbook = Files.writeString(tmp.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Fail here
                      ansible.builtin.fail:
                        msg: no
                """);
        MainTest.Run run = MainTest.vault("provision", playbook.toString(), "-i", "localhost,", "-e",
                "ansible_connection=local", "--evidence", tmp.resolve("ev").toString());
        assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).contains("task 'Fail here' on localhost").contains("FAILED");
    }

    @Test
    void badUsageExitsTwoWithAClearMessage() throws Exception {
        Path playbook = Files.writeString(tmp.resolve("site.yml"), PLAYBOOK);
        MainTest.Run noInventory = MainTest.vault("provision", playbook.toString());
        assertThat(noInventory.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noInventory.err()).contains("-i");

        MainTest.Run missing = MainTest.vault("provision", tmp.resolve("none.yml").toString(), "-i", "localhost,",
                "--evidence", tmp.resolve("ev").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no playbook at");

        MainTest.Run atFile = MainTest.vault("provision", playbook.toString(), "-i", "localhost,", "-e", "@vars.yml");
        assertThat(atFile.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(atFile.err()).contains("--extra-vars-file vars.yml");

        MainTest.Run badName = MainTest.vault("provision", playbook.toString(), "-i", "localhost,", "-e", "a-b=1");
        assertThat(badName.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badName.err()).contains("not an Ansible variable name");

        MainTest.Run runs = MainTest.vault("provision", playbook.toString(), "-i", "localhost,",
                "--idempotency-runs", "0");
        assertThat(runs.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(runs.err()).contains("idempotency runs must be 1..");
    }
}
