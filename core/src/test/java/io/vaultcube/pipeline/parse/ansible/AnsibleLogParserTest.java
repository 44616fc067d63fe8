package io.vaultcube.pipeline.parse.ansible;

import static io.vaultcube.pipeline.parse.ParseTesting.crlf;
import static io.vaultcube.pipeline.parse.ParseTesting.firstLines;
import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.lineCount;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleLogParserTest {
    private final AnsibleLogParser parser = new AnsibleLogParser();

    @TempDir
    Path tmp;

    @Test
    void aRecapOfAnsibleBefore28HasFourCountersAndTheOthersAreAbsentNotZero() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("ansible/reference-pre-2.8-four-counters.log"));
        assertThat(value(m, "ansible.hosts")).isEqualTo(4L);
        assertThat(value(m, "ansible.ok")).isEqualTo(8L);
        assertThat(value(m, "ansible.failed")).isEqualTo(0L);
        assertThat(value(m, "ansible.host[192.168.1.201].changed")).isEqualTo(0L);
        assertThat(m.contains("ansible.skipped")).isFalse();
        assertThat(m.contains("ansible.host[192.168.1.201].rescued")).isFalse();
        assertThat(m.contains("ansible.run[1].ignored")).isFalse();
        // Five counters is neither layout.
        String log = read("ansible/reference-pre-2.8-four-counters.log");
        assertThatThrownBy(() -> parser.parse(write(tmp, "five.log", log.replace("failed=0   \n192.168.1.201", "failed=0 skipped=0\n192.168.1.201"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a host line of the PLAY RECAP");
    }

    @Test
    void sumsTheRecapOverSeveralPlaysAndOddlyNamedHosts() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("ansible/several-plays-and-hosts.log"));
        assertThat(value(m, "ansible.runs")).isEqualTo(1L);
        assertThat(value(m, "ansible.hosts")).isEqualTo(6L);
        assertThat(value(m, "ansible.ok")).isEqualTo(23L);
        assertThat(value(m, "ansible.changed")).isEqualTo(7L);
        assertThat(value(m, "ansible.unreachable")).isEqualTo(1L);
        assertThat(value(m, "ansible.failed")).isEqualTo(0L);
        assertThat(value(m, "ansible.skipped")).isEqualTo(5L);
        assertThat(value(m, "ansible.rescued")).isEqualTo(5L);
        assertThat(value(m, "ansible.ignored")).isEqualTo(5L);
        assertThat(value(m, "ansible.host[/tmp/cap/chroot].changed")).isEqualTo(1L);
        assertThat(value(m, "ansible.host[10.0.0.5].ok")).isEqualTo(4L);
        assertThat(value(m, "ansible.host[db_01].changed")).isEqualTo(2L);
        assertThat(value(m, "ansible.host[ghost.invalid].unreachable")).isEqualTo(1L);
        assertThat(value(m, "ansible.run[1].host[web-1.example.com].changed")).isEqualTo(1L);
        assertThat(line(m, "ansible.host[localhost].changed")).isEqualTo(86L);
        assertThat(m.contains("ansible.idempotent")).as("only with two runs").isFalse();
        assertThat(m.contains("ansible.duration_s")).as("the default callback prints no duration").isFalse();
    }

    @Test
    void colourGivesTheSameMetricsAsPlainText() throws Exception {
        MetricSet colour = parser.parse(Fixtures.input("ansible/colour.log"));
        MetricSet plain = parser.parse(Fixtures.input("ansible/second-run-idempotent.log"));
        assertThat(colour.values()).isEqualTo(plain.values());
    }

    @Test
    void twoRunsInOneFileCheckIdempotence() throws Exception {
        String converge = read("ansible/several-plays-and-hosts.log");
        MetricSet m = parser.parse(write(tmp, "two.log", converge + read("ansible/second-run-idempotent.log")));
        assertThat(value(m, "ansible.runs")).isEqualTo(2L);
        assertThat(value(m, "ansible.idempotent")).isEqualTo(true);
        assertThat(value(m, "ansible.changed")).as("run 1").isEqualTo(7L);
        assertThat(value(m, "ansible.unreachable")).as("all runs").isEqualTo(2L);
        assertThat(value(m, "ansible.run[2].changed")).isEqualTo(0L);
        assertThat(line(m, "ansible.run[2].host[db_01].ok")).isEqualTo(lineCount(converge) + 84L);

        MetricSet twice = parser.parse(write(tmp, "twice.log", converge + converge));
        assertThat(value(twice, "ansible.idempotent")).isEqualTo(false);
    }

    @Test
    void failuresOfEveryRunCount() throws Exception {
        MetricSet failed = parser.parse(Fixtures.input("ansible/failed-task.log"));
        assertThat(value(failed, "ansible.failed")).isEqualTo(1L);
        assertThat(value(failed, "ansible.host[db_01].failed")).isEqualTo(1L);
        MetricSet m = parser.parse(write(tmp, "x.log",
                read("ansible/several-plays-and-hosts.log") + read("ansible/failed-task.log")));
        assertThat(value(m, "ansible.failed")).isEqualTo(1L);
        assertThat(value(m, "ansible.host[db_01].failed")).isEqualTo(1L);
        assertThat(value(m, "ansible.idempotent")).isEqualTo(false);
    }

    @Test
    void timerCallbackGivesTheDuration() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("ansible/timer-callback.log"));
        assertThat(value(m, "ansible.duration_s")).isEqualTo(0L);
        assertThat(line(m, "ansible.duration_s")).isEqualTo(17L);
        String longer = read("ansible/timer-callback.log").replace("0 hours, 0 minutes, 0 seconds", "1 hours, 2 minutes, 5 seconds");
        assertThat(value(parser.parse(write(tmp, "t.log", longer)), "ansible.duration_s")).isEqualTo(3725L);
    }

    @Test
    void aRecapWithoutHostsIsARunOfNoHost() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("ansible/no-hosts-matched.log"));
        assertThat(value(m, "ansible.hosts")).isEqualTo(0L);
        assertThat(value(m, "ansible.ok")).isEqualTo(0L);
    }

    @Test
    void readsAnsibleOutputInsideAPackerLog() throws Exception {
        MetricSet ok = parser.parse(Fixtures.input("packer/ansible-via-shell-local.log"));
        assertThat(value(ok, "ansible.hosts")).isEqualTo(2L);
        assertThat(value(ok, "ansible.changed")).isEqualTo(2L);
        assertThat(line(ok, "ansible.host[db_01].ok")).isEqualTo(18L);
        MetricSet failed = parser.parse(Fixtures.input("packer/ansible-via-shell-local-failed.log"));
        assertThat(value(failed, "ansible.failed")).isEqualTo(1L);
        MetricSet chosen = parser.parse(Fixtures.input("packer/ansible-via-shell-local.log", Map.of("build", "img.null.golden")));
        assertThat(chosen.values()).isEqualTo(ok.values());
        assertThatThrownBy(() -> parser.parse(Fixtures.input("packer/ansible-via-shell-local.log", Map.of("build", "other"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("no provisioner output of packer build 'other'");
        // A packer log of a build that ran no ansible has no recap.
        assertThatThrownBy(() -> parser.parse(Fixtures.input("packer/build-ok.log")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no PLAY RECAP");
    }

    @Test
    void everyCutOfARunIsRefused() throws Exception {
        String log = read("ansible/several-plays-and-hosts.log");
        int lines = lineCount(log);
        for (int n = 1; n < lines; n++) {
            String cut = firstLines(log, n);
            assertThatThrownBy(() -> parser.parse(write(tmp, "cut.log", cut))).as("first %d lines", n)
                    .isInstanceOf(ParseException.class);
        }
        String wrapped = read("packer/ansible-via-shell-local.log");
        String cutInRecap = firstLines(wrapped, 18) + firstLines(wrapped, 30).substring(firstLines(wrapped, 20).length());
        assertThatThrownBy(() -> parser.parse(write(tmp, "w.log", cutInRecap)))
                .isInstanceOf(ParseException.class).hasMessageContaining("not closed by the blank line");
    }

    @Test
    void refusesTheTrimmedReferenceTranscript() {
        assertThatThrownBy(() -> parser.parse(Fixtures.input("ansible/reference-trimmed.log")))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("PLAY RECAP at line 26 is not closed by the blank line");
    }

    @Test
    void refusesAPlayWithoutRecapAfterTheLastRecap() throws Exception {
        String log = read("ansible/failed-task.log") + "\nPLAY [again] ******\n\nTASK [x] ****\nok: [localhost]\n";
        assertThatThrownBy(() -> parser.parse(write(tmp, "p.log", log)))
                .isInstanceOf(ParseException.class).hasMessageContaining("has no recap of its own");
        assertThatThrownBy(() -> parser.parse(Fixtures.input("ansible/syntax-error-no-recap.log")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no PLAY RECAP");
    }

    @Test
    void refusesGarbledRecapLines() throws Exception {
        String log = read("ansible/failed-task.log");
        String wrongColumns = log.replace("failed=1    skipped=0", "failed=1");
        assertThatThrownBy(() -> parser.parse(write(tmp, "a.log", wrongColumns)))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("a.log:14: not a host line");
        String notANumber = log.replace("ok=2 ", "ok=x ");
        assertThatThrownBy(() -> parser.parse(write(tmp, "b.log", notANumber))).isInstanceOf(ParseException.class);
        String twice = log.replace("localhost                  : ok=2", "db_01                      : ok=2");
        assertThatThrownBy(() -> parser.parse(write(tmp, "c.log", twice)))
                .isInstanceOf(ParseException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> parser.parse(write(tmp, "d.log", log.replace("localhost", "local\u0001host"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("control character");
    }

    @Test
    void crlfEmptyBinaryAndHugeInputs() throws Exception {
        String log = read("ansible/several-plays-and-hosts.log");
        assertThat(parser.parse(write(tmp, "crlf.log", crlf(log))).values())
                .isEqualTo(parser.parse(Fixtures.input("ansible/several-plays-and-hosts.log")).values());
        assertThatThrownBy(() -> parser.parse(write(tmp, "e.log", ""))).isInstanceOf(ParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse(write(tmp, "b.log", new byte[] {'P', 'L', 'A', 'Y', (byte) 0x80})))
                .isInstanceOf(ParseException.class).hasMessageContaining("binary data");
        assertThatThrownBy(() -> parser.parse(write(tmp, "h.log", "x".repeat(1_100_000))))
                .isInstanceOf(ParseException.class).hasMessageContaining("longer than");
    }

    @Test
    void runsFromSeveralFilesCombineForTheProvisionRunner() throws Exception {
        List<AnsibleRun> runs = new ArrayList<>(parser.readRuns(Fixtures.input("ansible/several-plays-and-hosts.log")));
        runs.addAll(parser.readRuns(Fixtures.input("ansible/second-run-idempotent.log")));
        MetricSet m = AnsibleRuns.metrics(runs, EvidenceSource.file("ansible"));
        assertThat(value(m, "ansible.runs")).isEqualTo(2L);
        assertThat(value(m, "ansible.idempotent")).isEqualTo(true);
        assertThat(m.get("ansible.run[2].host[db_01].ok").orElseThrow().source().file())
                .isEqualTo("ansible/second-run-idempotent.log");
    }
}
