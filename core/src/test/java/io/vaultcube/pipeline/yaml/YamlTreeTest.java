package io.vaultcube.pipeline.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a hostile or careless policy or pipeline file gets: a sentence at its line, never a library's words. */
class YamlTreeTest {
    @TempDir
    Path tmp;

    private static String refusal(String yaml) {
        try {
            YamlTree.parse(yaml, "f.yaml", "pipeline file");
        } catch (YamlException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void anAliasIsRefusedNotReadAsItsName() {
        // Jackson alone reads "*ver" as the text "ver": a pipeline published version "ver".
        assertThat(refusal("version: &v 1.0\nagain: *v\n"))
                .isEqualTo("f.yaml:2:8: YAML aliases (*v) are not supported in a pipeline file; write the value out");
        assertThat(refusal("version: *ver\n"))
                .isEqualTo("f.yaml:1:10: YAML aliases (*ver) are not supported in a pipeline file; write the value out");
        assertThat(refusal("channels:\n  - *chans\n"))
                .isEqualTo("f.yaml:2:5: YAML aliases (*chans) are not supported in a pipeline file; write the value out");
    }

    @Test
    void billionLaughsIsRefusedAtTheFirstAnchor() {
        String laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n";
        assertThat(refusal(laughs)).startsWith("f.yaml:1:4: YAML anchors (&a)");
    }

    @Test
    void tagsAreRefusedNotDropped() {
        assertThat(refusal("a: !foo x\n")).isEqualTo("f.yaml:1:4: YAML tags (!foo) are not supported in a pipeline file");
        assertThat(refusal("a: !!binary aGVsbG8=\n"))
                .isEqualTo("f.yaml:1:4: YAML tags (!!binary) are not supported in a pipeline file");
    }

    @Test
    void aNulByteIsReportedWhereItIs() {
        assertThat(refusal("a: b\nc: d\0e\n")).isEqualTo("f.yaml:2:5: control character U+0000 is not allowed in YAML");
        assertThat(refusal("a: \u001b[31m\n")).isEqualTo("f.yaml:1:4: control character U+001B is not allowed in YAML");
    }

    @Test
    void yamlsNotANumberAndInfinityAreValidYamlButNoFiniteNumber() {
        assertThat(refusal("min: .nan\n")).isEqualTo("f.yaml:1:6: number .nan is not finite");
        assertThat(refusal("min: -.inf\n")).isEqualTo("f.yaml:1:6: number -.inf is not finite");
        assertThat(refusal("min: .Inf\n")).isEqualTo("f.yaml:1:6: number .Inf is not finite");
        assertThat(refusal("min: 1e999\n")).isEqualTo("f.yaml:1:6: number 1e999 is not finite");
    }

    @Test
    void parserMessagesAreSentencesWithoutClassNames() {
        String complexKey = refusal("? [a]\n: b\n");
        assertThat(complexKey).isEqualTo("f.yaml:1:4: not valid YAML: a key must be plain text, not a list or a map");
        String flow = refusal("a: [1, {b: }\n");
        assertThat(flow).startsWith("f.yaml:2:1: not valid YAML: expected ',' or ']'")
                .contains("started at line 1");
        for (String bad : new String[] {"{a: 1}: 2\n", "[a]: 1\n", "a: 'x\n", "a: [\n", "- a\nb: c\n"}) {
            assertThat(refusal(bad)).doesNotContain("org.yaml", "Event", "JsonToken", "VALUE_", "Feature");
        }
    }

    @Test
    void aLongTextIsRefusedBeforeTheParserScansIt() {
        String big = "a: " + "x".repeat(YamlFiles.MAX_BYTES) + "\n";
        assertThat(refusal(big)).isEqualTo("f.yaml: the pipeline file is " + big.length()
                + " characters; a pipeline file is at most 256 KiB");
    }

    @Test
    void aHugeFileIsRefusedByItsSizeWithoutReadingIt() throws Exception {
        Path huge = tmp.resolve("huge.yaml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(8L << 30); // sparse: 8 GiB that take no disk
        }
        assertThatThrownBy(() -> YamlFiles.read(huge, "policy")).isInstanceOf(YamlException.class)
                .hasMessage(huge + ": the policy is 8589934592 bytes; a policy is at most 256 KiB");
    }

    @Test
    void anEndlessDeviceIsRefusedAfterABoundedRead() {
        Path zero = Path.of("/dev/zero");
        assertThatThrownBy(() -> YamlFiles.read(zero, "pipeline file")).isInstanceOf(YamlException.class)
                .hasMessage("/dev/zero: the pipeline file is more than 262144 bytes; a pipeline file is at most 256 KiB");
    }

    @Test
    void anEmptyValueStaysNull() throws Exception {
        YamlTree.MapNode map = (YamlTree.MapNode) YamlTree.parse("a:\n", "f", "policy");
        assertThat(((YamlTree.ScalarNode) map.entries().get("a").value()).kind()).isEqualTo(YamlTree.ScalarKind.NULL);
    }

    @Test
    void aFileAtTheLimitIsRead() throws Exception {
        Path ok = tmp.resolve("ok.yaml");
        Files.writeString(ok, "a: b\n");
        assertThat(YamlFiles.read(ok, "policy")).hasSize(5);
        assertThat(YamlTree.parse("a: b\n", "f", "policy")).isInstanceOf(YamlTree.MapNode.class);
    }
}
