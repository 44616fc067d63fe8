package io.vaultcube.pipeline.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetricNameTest {
    @Test
    void parsesTheDocumentedExamples() {
        assertThat(MetricName.parse("gpu.count").segments()).extracting(MetricName.Segment::identifier)
                .containsExactly("gpu", "count");
        assertThat(MetricName.parse("gpu[0].memory_total_mib").keys()).containsExactly("0");
        assertThat(MetricName.parse("ansible.host[web-1].changed").keys()).containsExactly("web-1");
        assertThat(MetricName.parse("ansible.host[db.example.com].ok").keys()).containsExactly("db.example.com");
        assertThat(MetricName.parse("ansible.host[rack\\[3\\]].ok").keys()).containsExactly("rack[3]");
        assertThat(MetricName.parse("ddp.run[2].gpu[1].samples_per_s").keys()).containsExactly("2", "1");
    }

    @Test
    void buildsNamesWithEscapedKeys() {
        MetricName name = MetricName.root("ansible").child("host").at("odd]name\\x").child("changed");
        assertThat(name).hasToString("ansible.host[odd\\]name\\\\x].changed");
        assertThat(MetricName.parse(name.toString())).isEqualTo(name);
        assertThat(name.keys()).containsExactly("odd]name\\x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GPU.count", "gpu..count", "gpu.", ".gpu", "gpu[]", "gpu[0", "gpu[0]x", "1gpu",
        "gpu count", "gpu[a[b]", "gpu[\\q]", "gpu[*]", "gpu[\t]"})
    void rejectsMalformedNames(String bad) {
        assertThatThrownBy(() -> MetricName.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric");
        assertThat(MetricName.isValid(bad)).isFalse();
    }

    @Test
    void patternsMatchEveryEntityAndSayWhich() {
        MetricPattern pattern = MetricPattern.parse("gpu[*].memory_total_mib");
        assertThat(pattern.isWildcard()).isTrue();
        assertThat(pattern.match(MetricName.parse("gpu[3].memory_total_mib"))).contains(List.of("3"));
        assertThat(pattern.matches(MetricName.parse("gpu.memory_total_mib.min"))).isFalse();
        assertThat(pattern.matches(MetricName.parse("gpu[3].memory_used_mib"))).isFalse();
        assertThat(MetricPattern.parse("gpu.count").exactName()).contains(MetricName.parse("gpu.count"));
        assertThatThrownBy(() -> MetricName.root("x").at("*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void everyBuiltNameRoundTripsThroughItsText(@ForAll("identifiers") String a, @ForAll("keys") String key,
            @ForAll("identifiers") String b) {
        MetricName name = MetricName.root(a).at(key).child(b);
        MetricName parsed = MetricName.parse(name.toString());
        assertThat(parsed).isEqualTo(name);
        assertThat(parsed.keys()).containsExactly(key);
        assertThat(MetricPattern.parse(a + "[*]." + b).match(parsed)).contains(List.of(key));
    }

    @Provide
    Arbitrary<String> identifiers() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6)
                .flatMap(head -> Arbitraries.strings().withChars("abz09_").ofMaxLength(5).map(tail -> head + tail));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("ab-.[]\\* é:/0").ofMinLength(1).ofMaxLength(10).filter(k -> !k.equals("*"));
    }
}
