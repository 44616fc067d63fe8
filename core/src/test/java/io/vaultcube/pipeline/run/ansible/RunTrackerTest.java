package io.vaultcube.pipeline.run.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.exec.OutputSource;
import org.junit.jupiter.api.Test;

/** Default-callback output as ansible-core 2.14.18 prints it (captured here, see the reference §3.1). */
class RunTrackerTest {
    @Test
    void namesTheTasksThatChangedPerHost() {
        RunTracker t = feed("""
                PLAY [Non-idempotent play] *****************************************************

                TASK [Stable file] *************************************************************
                ok: [localhost]

                TASK [role : Always [changes]] ***************************************************
                changed: [localhost]
                changed: [web-1 -> localhost]

                TASK [Loop changes] ************************************************************
                changed: [localhost] => (item=a)
                changed: [localhost] => (item=b)

                RUNNING HANDLER [A handler] ****************************************************
                changed: [localhost]

                PLAY RECAP *********************************************************************
                localhost                  : ok=4    changed=3    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
                """);
        assertThat(t.changedByHost()).containsOnlyKeys("localhost", "web-1 -> localhost");
        assertThat(t.changedByHost().get("localhost")).containsExactly("role : Always [changes]", "Loop changes",
                "handler A handler");
        assertThat(t.describeChanges()).isEqualTo(
                "[localhost] 'role : Always [changes]', 'Loop changes', 'handler A handler'; "
                        + "[web-1 -> localhost] 'role : Always [changes]'");
    }

    @Test
    void notesFailuresButNotIgnoredOnesAndUnreachableHostsAndErrors() {
        RunTracker t = feed("""
                TASK [Ignored failure] *********************************************************
                fatal: [localhost]: FAILED! => {"changed": false, "rc": 1}
                ...ignoring

                TASK [Break on purpose] ********************************************************
                fatal: [localhost]: FAILED! => {"changed": false, "msg": "broken on purpose"}

                TASK [Stable file] *************************************************************
                fatal: [bogus]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect", "unreachable": true}
                ERROR! the playbook: nope.yml could not be found
                """);
        assertThat(t.failures()).containsExactly(
                "task 'Break on purpose' on localhost: {\"changed\": false, \"msg\": \"broken on purpose\"}");
        assertThat(t.unreachable()).hasSize(1).first().asString().startsWith("task 'Stable file' on bogus:");
        assertThat(t.errors()).containsExactly("the playbook: nope.yml could not be found");
    }

    private static RunTracker feed(String output) {
        RunTracker t = new RunTracker();
        output.lines().forEach(l -> t.onLine(OutputSource.STDOUT, l));
        return t;
    }
}
