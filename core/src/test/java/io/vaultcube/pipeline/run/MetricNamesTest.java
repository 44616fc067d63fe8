package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import org.junit.jupiter.api.Test;

class MetricNamesTest {
    private static final EvidenceSource LOG = EvidenceSource.line("ansible/ansible-run-2.log", 9);

    @Test
    void movesEveryMetricUnderTheNewPrefixKeepingKeysAndSources() {
        MetricSet run = new MetricSet()
                .add(Metric.number("ansible.ok", 3, null, LOG))
                .add(Metric.number("ansible.host[web\\[1\\].example.com].changed", 0, null, LOG));
        MetricSet moved = MetricNames.rebase(run, "ansible", "ansible.run[2]");
        assertThat(moved.values()).containsOnlyKeys("ansible.run[2].ok",
                "ansible.run[2].host[web\\[1\\].example.com].changed");
        assertThat(moved.get("ansible.run[2].ok").orElseThrow().source()).isEqualTo(LOG);
        assertThat(moved.get("ansible.run[2].host[web\\[1\\].example.com].changed").orElseThrow().name().keys())
                .containsExactly("2", "web[1].example.com");
    }

    @Test
    void refusesAMetricOutsideThePrefix() {
        MetricSet run = new MetricSet().add(Metric.number("ansiblex.ok", 3, null, LOG));
        assertThatThrownBy(() -> MetricNames.rebase(run, "ansible", "ansible.run[1]"))
                .hasMessageContaining("not under ansible");
    }
}
