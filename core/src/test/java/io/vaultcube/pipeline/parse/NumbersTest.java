package io.vaultcube.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NumbersTest {
    @Test
    void parsesPlainDecimals() {
        assertThat(Numbers.parseDouble("512.33")).isEqualTo(512.33);
        assertThat(Numbers.parseDouble("-0.5")).isEqualTo(-0.5);
        assertThat(Numbers.parseDouble("100")).isEqualTo(100.0);
        assertThat(Numbers.parseDouble("1e3")).isEqualTo(1000.0);
        assertThat(Numbers.parseDouble(".5")).isEqualTo(0.5);
        assertThat(Numbers.parseDouble("7.")).isEqualTo(7.0);
        assertThat(Numbers.parseDouble("12345678901234567890.5")).isEqualTo(12345678901234567890.5);
    }

    @Test
    void refusesWhatIsNotPlainDecimal() {
        for (String s : new String[] {"", " 1", "1 ", "NaN", "Infinity", "-Infinity", "0x10", "1d", "1f", "1e", "e5",
            "+", ".", "1.2.3", "[N/A]", "1,5", "٣"}) {
            assertThat(Numbers.parseDouble(s)).as("'" + s + "'").isNaN();
        }
        assertThat(Numbers.parseDouble("1e999")).isNaN();
    }

    @Test
    void parsesLongsAndHex() {
        assertThat(Numbers.parseLong("42")).isEqualTo(42);
        assertThat(Numbers.parseLong("-7")).isEqualTo(-7);
        assertThat(Numbers.parseLong("4.0")).isEqualTo(Numbers.NOT_A_LONG);
        assertThat(Numbers.parseLong("")).isEqualTo(Numbers.NOT_A_LONG);
        assertThat(Numbers.parseHex("0x0000000000000004")).isEqualTo(4);
        assertThat(Numbers.parseHex("0x00000000000000A8")).isEqualTo(0xa8);
        assertThat(Numbers.parseHex("0x")).isEqualTo(-1);
        assertThat(Numbers.parseHex("4")).isEqualTo(-1);
        assertThat(Numbers.parseHex("0xFFFFFFFFFFFFFFFF")).isEqualTo(-1);
        assertThat(Numbers.parseHex("0x00000000000000004")).isEqualTo(-1);
    }

    @Property
    void agreesWithTheJdkOnEveryPlainDecimal(@ForAll long intPart, @ForAll("fractions") String fraction) {
        String text = intPart + (fraction.isEmpty() ? "" : "." + fraction);
        assertThat(Numbers.parseDouble(text)).isEqualTo(Double.parseDouble(text));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> fractions() {
        return net.jqwik.api.Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(20);
    }
}
