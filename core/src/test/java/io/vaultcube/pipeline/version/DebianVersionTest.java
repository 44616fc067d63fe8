package io.vaultcube.pipeline.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Debian version ordering: the rules' edge cases, and dpkg itself as the oracle for generated pairs. */
class DebianVersionTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
            // tilde sorts before everything, even the end of the string
            "1.0~rc1 < 1.0",
            "1.0~~ < 1.0~",
            "1.0~~a < 1.0~",
            "1.0~ < 1.0",
            "1.0 < 1.0a",
            "1.0 < 1.0+b1",
            // letters sort before non-letters
            "1.0a < 1.0+",
            "1.0a < 1.0.",
            "1.0+a < 1.0.a",
            // digit runs are numbers
            "1.2 < 1.10",
            "1.002 = 1.2",
            "1.0 = 1.00",
            "1.99999999999999999999999 < 1.100000000000000000000000",
            // epoch first
            "1:1.0 > 9.9",
            "0:1.0 = 1.0",
            "1:0.1 < 2:0.0",
            "10:1 > 9:1",
            // revision
            "1.0 = 1.0-0",
            "1.0-1 < 1.0-2",
            "1.0-1 < 1.0-1.1",
            "1.0-1~bpo1 < 1.0-1",
            "1.0-1ubuntu1 > 1.0-1",
            "1.0-1-1 > 1.0-1",
            // real versions
            "570.124.06-1 < 570.133.20-1",
            "570.133.20-0ubuntu0.24.04.1 > 570.124.06-0ubuntu1",
            "2.36-9+deb12u10 > 2.36-9+deb12u9",
            "2.36-9+deb12u9 > 2.36-9",
            "1:2.39.5-0+deb12u2 > 1:2.39.2-1.1",
            "12.8.93-1 < 12.9.41-1",
            "2.26.2-1+cuda12.8 < 2.26.5-1+cuda12.8",
            "6.1.0-28 < 6.1.0-37",
    })
    void ordersLikeDpkg(String a, String relation, String b) {
        int expected = switch (relation) {
            case "<" -> -1;
            case "=" -> 0;
            default -> 1;
        };
        assertThat(DebianVersion.compare(a, b)).isEqualTo(expected);
        assertThat(DebianVersion.compare(b, a)).isEqualTo(-expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "a1.0|does not start with a digit",
            ":1.0|epoch in version ':1.0' is empty",
            "x:1.0|is not a number",
            "1:|nothing after colon",
            "1.0-|revision number in version '1.0-' is empty",
            "1.0 2|embedded spaces",
            "1.0_1|invalid character '_'",
            "1:1.0-1:2|invalid character ':' in the revision",
    })
    void refusesWhatDpkgRefuses(String version, String message) {
        assertThatThrownBy(() -> DebianVersion.parse(version)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void keepsItsParts() {
        DebianVersion v = DebianVersion.parse("1:2.39.5-0+deb12u2");
        assertThat(v.epoch()).hasToString("1");
        assertThat(v.upstream()).isEqualTo("2.39.5");
        assertThat(v.revision()).isEqualTo("0+deb12u2");
        assertThat(v).hasToString("1:2.39.5-0+deb12u2");
    }

    /** Every generated pair is ordered exactly as the machine's own dpkg orders it. */
    @Property(tries = 400)
    @net.jqwik.api.Tag("slow") // starts a real tool: left out of ./test.sh --fast
    void agreesWithDpkgCompareVersions(@ForAll("versions") String a, @ForAll("versions") String b)
            throws IOException, InterruptedException {
        int ours = DebianVersion.compare(a, b);
        assertThat(dpkg(a, "lt", b)).as("dpkg: %s lt %s (ours %d)", a, b, ours).isEqualTo(ours < 0);
        assertThat(dpkg(a, "eq", b)).as("dpkg: %s eq %s (ours %d)", a, b, ours).isEqualTo(ours == 0);
    }

    @Provide
    Arbitrary<String> versions() {
        // Small alphabets so that pairs share prefixes and hit the interesting comparisons.
        Arbitrary<String> epoch = Arbitraries.of("", "", "", "0:", "1:", "2:", "10:");
        Arbitrary<String> tail = Arbitraries.strings().withChars("0129.+~ab").ofMinLength(0).ofMaxLength(5);
        Arbitrary<String> upstream = Combinators.combine(Arbitraries.of("0", "1", "01", "2", "10"), tail)
                .as((first, rest) -> first + rest);
        Arbitrary<String> revision = Arbitraries.oneOf(Arbitraries.just(""),
                Arbitraries.strings().withChars("019.+~b").ofMinLength(1).ofMaxLength(4).map(r -> "-" + r));
        return Combinators.combine(epoch, upstream, revision).as((e, u, r) -> e + u + r)
                .filter(DebianVersion::isValid);
    }

    private static boolean dpkg(String a, String op, String b) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("dpkg", "--compare-versions", a, op, b))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        assertThat(code).as("dpkg --compare-versions %s %s %s: %s", a, op, b, out).isIn(0, 1);
        assertThat(out).as("dpkg warned about %s or %s", a, b).isEmpty();
        return code == 0;
    }
}
