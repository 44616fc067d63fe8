package io.vaultcube.pipeline.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class YamlFieldsTest {
    @Test
    void aSwapOfTwoAdjacentLettersIsOneEdit() {
        assertThat(YamlFields.distance("mni", "min")).isEqualTo(1);
        assertThat(YamlFields.distance("polciy", "policy")).isEqualTo(1);
        assertThat(YamlFields.distance("mni", "unit")).isEqualTo(2);
        assertThat(YamlFields.distance("eqq", "eq")).isEqualTo(1);
        assertThat(YamlFields.distance("", "max")).isEqualTo(3);
        assertThat(YamlFields.distance("min", "min")).isZero();
    }

    @Test
    void closestPrefersTheFewestEditsAndGivesUpBeyondTwo() {
        List<String> known = List.of("id", "metric", "unit", "min", "max", "matches");
        assertThat(YamlFields.closest("mni", known)).isEqualTo("min");
        assertThat(YamlFields.closest("MAX", known)).isEqualTo("max");
        assertThat(YamlFields.closest("metirc", known)).isEqualTo("metric");
        assertThat(YamlFields.closest("threshold", known)).isNull();
    }
}
