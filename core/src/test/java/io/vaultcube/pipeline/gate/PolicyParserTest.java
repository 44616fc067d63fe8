package io.vaultcube.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyParserTest {
    @TempDir
    Path tmp;

    static Policy parse(String yaml) throws PolicyException {
        return PolicyParser.parse(yaml, "p.yaml", "0".repeat(64));
    }

    /** The problems of a policy that must be rejected, as "LINE: message". */
    static List<io.vaultcube.pipeline.yaml.YamlException.Problem> problems(String yaml) {
        try {
            parse(yaml);
        } catch (PolicyException e) {
            assertThat(e.file()).isEqualTo("p.yaml");
            assertThat(e.getMessage()).contains("p.yaml:");
            return e.problems();
        }
        throw new AssertionError("the policy was accepted:\n" + yaml);
    }

    static final String HEAD = "schema: vault-policy/1\nname: t\ngates:\n";

    @Test
    void parsesEveryConditionAndOption() throws Exception {
        Policy p = parse("""
                schema: vault-policy/1
                name: demo-box
                description: the demo box
                gates:
                  - metric: gpu.count
                    eq: 4
                  - id: gpu-memory
                    metric: gpu[*].memory_total_mib
                    min: 32000
                    max: 33000
                    unit: MiB
                    expect_count: 4
                    description: memory per GPU
                  - metric: vllm.output_tokens_per_s
                    above: 10
                    below: 1e6
                  - id: name
                    metric: gpu[*].name
                    matches: "NVIDIA GeForce RTX 5090"
                  - metric: xid.codes
                    in: ["", "13", "31"]
                  - metric: gpu.pcie_gen_max.min
                    in: [4, 5]
                  - metric: ansible.idempotent
                    is: true
                  - id: vllm-vs-baseline
                    metric: vllm.output_tokens_per_s
                    min_ratio: 0.9
                    severity: unstable
                    optional: true
                  - metric: packer.duration_s
                    max_ratio: 1.1
                  - metric: gpu[0].name
                    eq: "NVIDIA GeForce RTX 5090"
                """);
        assertThat(p.name()).isEqualTo("demo-box");
        assertThat(p.description()).isEqualTo("the demo box");
        assertThat(p.sha256()).hasSize(64);
        assertThat(p.gates()).extracting(GateSpec::id).containsExactly("gpu.count", "gpu-memory",
                "vllm.output_tokens_per_s", "name", "xid.codes", "gpu.pcie_gen_max.min", "ansible.idempotent",
                "vllm-vs-baseline", "packer.duration_s", "gpu[0].name");
        assertThat(p.gates()).extracting(GateSpec::line).containsExactly(5, 7, 14, 17, 20, 22, 24, 26, 31, 33);
        GateSpec memory = p.gates().get(1);
        assertThat(memory.conditions()).containsExactly(new Condition.Min(32000), new Condition.Max(33000));
        assertThat(memory.describeConditions()).isEqualTo("min 32000, max 33000");
        assertThat(memory.unit()).isEqualTo("MiB");
        assertThat(memory.expectCount()).isEqualTo(4);
        assertThat(memory.description()).isEqualTo("memory per GPU");
        assertThat(memory.metric().isWildcard()).isTrue();
        assertThat(memory.severity()).isEqualTo(Severity.FAILURE);
        assertThat(memory.optional()).isFalse();
        assertThat(p.gates().get(2).conditions()).containsExactly(new Condition.Above(10), new Condition.Below(1e6));
        assertThat(p.gates().get(3).conditions()).containsExactly(
                new Condition.Matches(Pattern.compile("NVIDIA GeForce RTX 5090")));
        assertThat(p.gates().get(4).conditions()).containsExactly(new Condition.In(List.of(MetricValue.of(""),
                MetricValue.of("13"), MetricValue.of("31"))));
        assertThat(p.gates().get(5).conditions()).containsExactly(
                new Condition.In(List.of(MetricValue.of(4), MetricValue.of(5))));
        assertThat(p.gates().get(6).conditions()).containsExactly(new Condition.Is(true));
        GateSpec ratio = p.gates().get(7);
        assertThat(ratio.conditions()).containsExactly(new Condition.MinRatio(0.9));
        assertThat(ratio.severity()).isEqualTo(Severity.UNSTABLE);
        assertThat(ratio.optional()).isTrue();
        assertThat(ratio.usesBaseline()).isTrue();
        assertThat(p.gates().get(8).conditions()).containsExactly(new Condition.MaxRatio(1.1));
        assertThat(p.gates().get(9).conditions()).containsExactly(new Condition.Eq(MetricValue.of(
                "NVIDIA GeForce RTX 5090")));
        assertThat(p.usesBaseline()).isTrue();
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("unknown condition", HEAD + "  - metric: gpu.count\n    between: [1, 2]\n",
                        5, "unknown gate key or condition 'between'"),
                Arguments.of("misspelt condition", HEAD + "  - metric: gpu.count\n    maxx: 4\n",
                        5, "unknown gate key or condition 'maxx' (did you mean 'max'?)"),
                Arguments.of("unknown policy key", "schema: vault-policy/1\nname: t\nowner: me\ngates:\n"
                        + "  - metric: gpu.count\n    eq: 4\n", 3, "unknown policy key 'owner'"),
                Arguments.of("number in quotes", HEAD + "  - metric: gpu.count\n    min: \"4\"\n",
                        5, "min needs a number, found text \"4\""),
                Arguments.of("text for a bound", HEAD + "  - metric: gpu.count\n    max: four\n",
                        5, "max needs a number, found text \"four\""),
                Arguments.of("list for a bound", HEAD + "  - metric: gpu.count\n    min: [1]\n",
                        5, "min needs a number, found a list"),
                Arguments.of("boolean for eq", HEAD + "  - metric: stress.complete\n    eq: true\n",
                        5, "for a boolean write 'is: true'"),
                Arguments.of("text for is", HEAD + "  - metric: stress.complete\n    is: \"true\"\n",
                        5, "is needs true or false, found text \"true\""),
                Arguments.of("empty in", HEAD + "  - metric: xid.codes\n    in: []\n",
                        5, "in needs a non-empty list"),
                Arguments.of("mixed in", HEAD + "  - metric: xid.codes\n    in: [\"13\", 31]\n",
                        5, "in mixes numbers and strings"),
                Arguments.of("scalar in", HEAD + "  - metric: xid.codes\n    in: 13\n",
                        5, "in needs a non-empty list of numbers or of strings, found a number 13"),
                Arguments.of("bad regex", HEAD + "  - metric: gpu[*].name\n    matches: \"RTX (5090\"\n",
                        5, "the regular expression does not compile"),
                Arguments.of("regex not text", HEAD + "  - metric: gpu[*].name\n    matches: 5090\n",
                        5, "matches needs a regular expression in quotes"),
                Arguments.of("ratio of zero", HEAD + "  - metric: vllm.output_tokens_per_s\n    min_ratio: 0\n",
                        5, "min_ratio is a factor of the baseline's value and must be above 0"),
                Arguments.of("negative ratio", HEAD + "  - metric: packer.duration_s\n    max_ratio: -1.1\n",
                        5, "max_ratio is a factor of the baseline's value and must be above 0"),
                Arguments.of("ratio on text", HEAD + "  - metric: gpu[*].name\n    matches: \"RTX\"\n"
                        + "    min_ratio: 0.9\n", 6, "a ratio needs a numeric metric"),
                Arguments.of("ratio with is", HEAD + "  - metric: stress.complete\n    is: true\n"
                        + "    max_ratio: 1.1\n", 6, "a ratio needs a numeric metric"),
                Arguments.of("number and regex", HEAD + "  - metric: gpu.count\n    min: 1\n    matches: \"4\"\n",
                        6, "matches needs text but min needs a number"),
                Arguments.of("min above max", HEAD + "  - metric: gpu.count\n    min: 5\n    max: 4\n",
                        6, "no value can pass: the lower bound 5 is not below the upper bound 4"),
                Arguments.of("above equals below", HEAD + "  - metric: gpu.count\n    above: 4\n    below: 4\n",
                        6, "no value can pass"),
                Arguments.of("ratios crossed", HEAD + "  - metric: packer.duration_s\n    min_ratio: 1.2\n"
                        + "    max_ratio: 1.1\n", 6, "no value can pass: min_ratio 1.2 > max_ratio 1.1"),
                Arguments.of("unknown severity", HEAD + "  - metric: gpu.count\n    eq: 4\n    severity: fatal\n",
                        6, "severity is 'failure' or 'unstable', found \"fatal\""),
                Arguments.of("optional as text", HEAD + "  - metric: gpu.count\n    eq: 4\n    optional: \"no\"\n",
                        6, "optional is true or false, found text \"no\""),
                Arguments.of("fractional count", HEAD + "  - metric: gpu[*].name\n    matches: \"x\"\n"
                        + "    expect_count: 2.5\n", 6, "expect_count is a whole number of at least 1"),
                Arguments.of("count without pattern", HEAD + "  - metric: gpu.count\n    eq: 4\n    expect_count: 4\n",
                        6, "expect_count counts the entities of a pattern"),
                Arguments.of("bad metric name", HEAD + "  - metric: GPU.count\n    eq: 4\n",
                        4, "bad metric name 'GPU.count'"),
                Arguments.of("missing metric", HEAD + "  - eq: 4\n", 4, "missing key 'metric'"),
                Arguments.of("no condition", HEAD + "  - metric: gpu.count\n    description: nothing\n",
                        4, "has no condition"),
                Arguments.of("gate not a map", HEAD + "  - gpu.count\n", 4, "a gate is a map"),
                Arguments.of("gates not a list", "schema: vault-policy/1\nname: t\ngates: gpu.count\n",
                        3, "gates must be a list of gates"),
                Arguments.of("no gates", "schema: vault-policy/1\nname: t\ngates: []\n", 3, "gates is empty"),
                Arguments.of("missing gates", "schema: vault-policy/1\nname: t\n", 1, "missing key 'gates'"),
                Arguments.of("missing schema", "name: t\ngates:\n  - metric: gpu.count\n    eq: 4\n",
                        1, "missing key 'schema'"),
                Arguments.of("other schema", "schema: vault-policy/2\nname: t\ngates:\n  - metric: gpu.count\n"
                        + "    eq: 4\n", 1, "schema must be \"vault-policy/1\""),
                Arguments.of("bad id", HEAD + "  - id: \"gpu count\"\n    metric: gpu.count\n    eq: 4\n",
                        4, "an id is letters, digits"),
                Arguments.of("duplicate key", HEAD + "  - metric: gpu.count\n    eq: 4\n    eq: 5\n",
                        6, "duplicate key 'eq' (first at line 5)"),
                Arguments.of("duplicate explicit id", HEAD + "  - id: a\n    metric: gpu.count\n    eq: 4\n"
                        + "  - id: a\n    metric: xid.count\n    eq: 0\n", 7,
                        "gate id 'a' is already used by the gate at line 4"),
                Arguments.of("duplicate derived id", HEAD + "  - metric: vllm.output_tokens_per_s\n    above: 10\n"
                        + "  - metric: vllm.output_tokens_per_s\n    min_ratio: 0.9\n", 6,
                        "give one of them an explicit 'id'"),
                Arguments.of("YAML syntax", HEAD + "  - metric: gpu.count\n    eq: [4\n  - metric: x\n",
                        6, "not valid YAML"),
                Arguments.of("bad indentation", HEAD + "  - metric: gpu.count\n   eq: 4\n", 5, "not valid YAML"),
                Arguments.of("two documents", HEAD + "  - metric: gpu.count\n    eq: 4\n---\nname: x\n",
                        7, "a policy is one YAML document"),
                Arguments.of("a list, not a map", "- metric: gpu.count\n  eq: 4\n", 1, "a policy is a map"),
                Arguments.of("empty", "", 1, "the policy is empty"),
                Arguments.of("null condition", HEAD + "  - metric: gpu.count\n    eq:\n", 5,
                        "eq needs a number or a string, found nothing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedPoliciesWithTheLine(String what, String yaml, int line, String message) {
        List<io.vaultcube.pipeline.yaml.YamlException.Problem> problems = problems(yaml);
        assertThat(problems).as(what).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.message()).contains(message);
        });
    }

    @Test
    void reportsEveryProblemAtOnceInLineOrder() {
        List<io.vaultcube.pipeline.yaml.YamlException.Problem> problems = problems(HEAD
                + "  - metric: gpu.count\n    eqq: 4\n"
                + "  - metric: gpu[*].memory_total_mib\n    min: \"32000\"\n"
                + "  - metric: gpu[*].name\n    matches: \"(\"\n");
        assertThat(problems).extracting(io.vaultcube.pipeline.yaml.YamlException.Problem::line).containsExactly(5, 7, 9);
        assertThatThrownBy(() -> parse(HEAD + "  - metric: gpu.count\n    eqq: 4\n"
                + "  - metric: gpu[*].memory_total_mib\n    min: \"32000\"\n"))
                .hasMessageStartingWith("policy p.yaml has 2 problems:")
                .hasMessageContaining("p.yaml:5:5: unknown gate key or condition 'eqq' (did you mean 'eq'?)")
                .hasMessageContaining("p.yaml:7:10: min needs a number");
    }

    @Test
    void didYouMeanCountsTwoSwappedLettersAsOneEdit() {
        assertThat(problems(HEAD + "  - metric: gpu.count\n    mni: 4\n")).singleElement().satisfies(p ->
                assertThat(p.message()).startsWith("unknown gate key or condition 'mni' (did you mean 'min'?)"));
    }

    @Test
    void loadNamesTheFileAndHashesItsBytes() throws Exception {
        Path file = tmp.resolve("policy.yaml");
        String text = HEAD + "  - metric: gpu.count\n    eq: 4\n";
        Files.writeString(file, text);
        Policy p = PolicyParser.load(file);
        assertThat(p.file()).isEqualTo(file.toString());
        assertThat(p.sha256()).isEqualTo(PolicyParser.sha256(text.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(text.getBytes(StandardCharsets.UTF_8))));

        Files.writeString(file, HEAD + "  - metric: gpu.count\n    eq: four\n    max: 5\n");
        assertThatThrownBy(() -> PolicyParser.load(file)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(file + ":6:");

        // A problem of the whole file has no line: "FILE: message", a space after the colon as after a line.
        Files.write(file, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> PolicyParser.load(file)).isInstanceOf(PolicyException.class)
                .hasMessage(file + ": not UTF-8 text");
        assertThatThrownBy(() -> PolicyParser.load(tmp.resolve("missing.yaml"))).isInstanceOf(PolicyException.class)
                .hasMessage(tmp.resolve("missing.yaml") + ": no such policy file");
        assertThatThrownBy(() -> PolicyParser.load(tmp)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(tmp + ": cannot read the policy: ");
    }
}
