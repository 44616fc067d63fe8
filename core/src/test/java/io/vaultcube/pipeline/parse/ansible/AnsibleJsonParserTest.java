package io.vaultcube.pipeline.parse.ansible;

import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleJsonParserTest {
    private final AnsibleJsonParser parser = new AnsibleJsonParser();

    @TempDir
    Path tmp;

    @Test
    void readsStatsWithFailuresAndTheDuration() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("ansible-json/several-plays-and-hosts.json"));
        // The same run as second-run-idempotent.log in the default format.
        MetricSet text = new AnsibleLogParser().parse(Fixtures.input("ansible/second-run-idempotent.log"));
        for (String name : new String[] {"ansible.hosts", "ansible.ok", "ansible.changed", "ansible.unreachable",
            "ansible.failed", "ansible.skipped", "ansible.rescued", "ansible.ignored", "ansible.host[ghost.invalid].unreachable",
            "ansible.host[/tmp/cap/chroot].ok"}) {
            assertThat(value(m, name)).as(name).isEqualTo(value(text, name));
        }
        assertThat(value(m, "ansible.duration_s")).isEqualTo(3.828);
        MetricSet failed = parser.parse(Fixtures.input("ansible-json/failed-task.json"));
        assertThat(value(failed, "ansible.failed")).isEqualTo(1L);
        assertThat(value(failed, "ansible.host[db_01].failed")).isEqualTo(1L);
        assertThat(line(failed, "ansible.host[db_01].failed")).isNotNull();
    }

    @Test
    void severalDocumentsAreSeveralRuns() throws Exception {
        MetricSet m = parser.parse(write(tmp, "runs.json",
                read("ansible-json/several-plays-and-hosts.json") + "\n" + read("ansible-json/failed-task.json")));
        assertThat(value(m, "ansible.runs")).isEqualTo(2L);
        assertThat(value(m, "ansible.idempotent")).isEqualTo(false);
        assertThat(value(m, "ansible.failed")).isEqualTo(1L);
    }

    @Test
    void refusesIncompleteDocuments() throws Exception {
        String doc = read("ansible-json/failed-task.json");
        assertThatThrownBy(() -> parser.parse(write(tmp, "t.json", doc.substring(0, doc.length() - 40))))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated JSON");
        assertThatThrownBy(() -> parser.parse(write(tmp, "f.json", doc.replaceFirst("\"failures\": 1", "\"failed\": 1"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("missing member \"failures\"");
        assertThatThrownBy(() -> parser.parse(write(tmp, "n.json", doc.replaceFirst("\"failures\": 1", "\"failures\": -1"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("whole number of at least 0");
        assertThatThrownBy(() -> parser.parse(write(tmp, "s.json", "{\"stats\": {}}")))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a json callback document");
        assertThatThrownBy(() -> parser.parse(write(tmp, "x.json", "[WARNING]: something\n" + doc)))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("x.json:1: not valid JSON");
        assertThatThrownBy(() -> parser.parse(write(tmp, "w.json", "  \n ")))
                .isInstanceOf(ParseException.class).hasMessageContaining("empty");
    }
}
