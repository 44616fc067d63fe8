package io.vaultcube.pipeline.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PEP 440 ordering: the specification's edge cases, and Python's packaging library as the oracle. */
class Pep440VersionTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
            "1.0 = 1.0.0",
            "1.0 = v1.0",
            "1.0.dev1 < 1.0a1",
            "1.0a1.dev1 < 1.0a1",
            "1.0a1 < 1.0a2",
            "1.0a2 < 1.0b1",
            "1.0b1 < 1.0rc1",
            "1.0rc1 = 1.0c1",
            "1.0rc1 = 1.0-pre1",
            "1.0alpha1 = 1.0a1",
            "1.0rc1 < 1.0",
            "1.0 < 1.0.post1",
            "1.0.post1 = 1.0-1",
            "1.0.post1 = 1.0.rev1",
            "1.0.post1.dev1 < 1.0.post1",
            "1.0.post1 < 1.1.dev1",
            "1.0 < 1.0+local",
            "1.0+abc < 1.0+1",
            "1.0+1 < 1.0+2",
            "1.0+2 < 1.0+10",
            "1.0+abc < 1.0+abc.1",
            "1!0.1 > 2.0",
            "2.7.0+cu128 > 2.7.0",
            "2.7.0+cu126 < 2.7.0+cu128",
            "2.6.0 < 2.7.0+cu128",
            "2.7.0rc1 < 2.7.0",
            "0.8.5.post1 > 0.8.5",
            "1.26.4 < 2.0.0b1",
            "1.0a = 1.0a0",
            "1.0.DEV = 1.0.dev0",
    })
    void ordersByPep440(String a, String relation, String b) {
        int expected = switch (relation) {
            case "<" -> -1;
            case "=" -> 0;
            default -> 1;
        };
        assertThat(Integer.signum(Pep440Version.compare(a, b))).isEqualTo(expected);
        assertThat(Integer.signum(Pep440Version.compare(b, a))).isEqualTo(-expected);
        if (expected == 0) {
            assertThat(Pep440Version.parse(a)).isEqualTo(Pep440Version.parse(b))
                    .hasSameHashCodeAs(Pep440Version.parse(b));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "french toast", "1.0+", "1.0-dev-x", "1..0", "1.0+a b", "1.0_", "0.4.1-unknown"})
    void refusesLegacyVersions(String version) {
        assertThatThrownBy(() -> Pep440Version.parse(version)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEP 440");
    }

    /** 600 generated pairs are ordered exactly as packaging.version.Version orders them. */
    @Test
    @org.junit.jupiter.api.Tag("slow") // starts a real tool: left out of ./test.sh --fast
    void agreesWithPythonPackaging() throws IOException, InterruptedException {
        Random random = new Random(440);
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            pairs.add(new String[] {generate(random), generate(random)});
        }
        StringBuilder input = new StringBuilder();
        pairs.forEach(p -> input.append(p[0]).append(' ').append(p[1]).append('\n'));
        String script = "import sys\n"
                + "from packaging.version import Version\n"
                + "for line in sys.stdin:\n"
                + "    a, b = line.split()\n"
                + "    x, y = Version(a), Version(b)\n"
                + "    print(-1 if x < y else (0 if x == y else 1))\n";
        Process p = new ProcessBuilder(List.of("python3", "-c", script)).redirectErrorStream(true).start();
        p.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        String[] answers = out.split("\n");
        assertThat(answers).hasSize(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            String a = pairs.get(i)[0];
            String b = pairs.get(i)[1];
            assertThat(Integer.signum(Pep440Version.compare(a, b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.parseInt(answers[i].trim()));
        }
    }

    private static String generate(Random r) {
        StringBuilder s = new StringBuilder();
        if (r.nextInt(8) == 0) {
            s.append(r.nextInt(3)).append('!');
        }
        int parts = 1 + r.nextInt(3);
        for (int i = 0; i < parts; i++) {
            s.append(i == 0 ? "" : ".").append(r.nextInt(3));
        }
        String[] pre = {"a", "b", "rc", "c", "alpha", "beta", "pre", "preview"};
        if (r.nextInt(3) == 0) {
            s.append(r.nextBoolean() ? "" : ".").append(pre[r.nextInt(pre.length)]);
            if (r.nextInt(4) != 0) {
                s.append(r.nextInt(3));
            }
        }
        if (r.nextInt(3) == 0) {
            s.append(r.nextBoolean() ? ".post" : (r.nextBoolean() ? "-" : ".rev")).append(r.nextInt(3));
        }
        if (r.nextInt(3) == 0) {
            s.append(".dev").append(r.nextInt(3));
        }
        if (r.nextInt(3) == 0) {
            String[] local = {"1", "2", "10", "a", "cu128", "abc"};
            s.append('+').append(local[r.nextInt(local.length)]);
            if (r.nextBoolean()) {
                s.append('.').append(local[r.nextInt(local.length)]);
            }
        }
        return s.toString();
    }
}
