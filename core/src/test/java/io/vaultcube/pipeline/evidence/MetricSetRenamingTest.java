package io.vaultcube.pipeline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two ways a metric set is renamed: a prefix in front, or one root moved under another. */
class MetricSetRenamingTest {
    private static final EvidenceSource LOG = EvidenceSource.line("ansible/ansible-run-2.log", 9);

    @Test
    void movesEveryMetricUnderTheNewPrefixKeepingKeysAndSources() {
        MetricSet run = new MetricSet()
                .add(Metric.number("ansible.ok", 3, null, LOG))
                .add(Metric.number("ansible.host[web\\[1\\].example.com].changed", 0, null, LOG));
        MetricSet moved = run.rebased("ansible", "ansible.run[2]");
        assertThat(moved.values()).containsOnlyKeys("ansible.run[2].ok",
                "ansible.run[2].host[web\\[1\\].example.com].changed");
        assertThat(moved.get("ansible.run[2].ok").orElseThrow().source()).isEqualTo(LOG);
        assertThat(moved.get("ansible.run[2].host[web\\[1\\].example.com].changed").orElseThrow().name().keys())
                .containsExactly("2", "web[1].example.com");
    }

    @Test
    void refusesAMetricOutsideThePrefix() {
        MetricSet run = new MetricSet().add(Metric.number("ansiblex.ok", 3, null, LOG));
        assertThatThrownBy(() -> run.rebased("ansible", "ansible.run[1]"))
                .hasMessageContaining("not under ansible");
    }

    @Test
    void aPrefixGoesInFrontOfEveryNameKeepingValuesAndSources() {
        MetricSet kernel = new MetricSet().add(Metric.number("xid.count", 0, null, LOG));
        MetricSet prefixed = kernel.withPrefix("stress");
        assertThat(prefixed.values()).containsOnlyKeys("stress.xid.count");
        assertThat(prefixed.get("stress.xid.count").orElseThrow().source()).isEqualTo(LOG);
    }
}
