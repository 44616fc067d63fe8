package io.vaultcube.pipeline.parse.bench;

import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VllmResultParserTest {
    private final VllmResultParser parser = new VllmResultParser();

    @TempDir
    Path tmp;

    @Test
    void offlineThroughputLineInBothForms() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("vllm/reference-offline-throughput.log"));
        assertThat(value(m, "vllm.requests_per_s")).isEqualTo(70.77);
        assertThat(value(m, "vllm.total_tokens_per_s")).isEqualTo(54350.3);
        assertThat(value(m, "vllm.output_tokens_per_s")).isEqualTo(18116.77);
        MetricSet old = parser.parse(Fixtures.input("vllm/reference-offline-old-form.log"));
        assertThat(value(old, "vllm.total_tokens_per_s")).isEqualTo(8744.61);
        assertThat(old.contains("vllm.output_tokens_per_s")).isFalse();
    }

    @Test
    void servingResultBlocks() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("vllm/reference-serve-pr18566.log"));
        assertThat(value(m, "vllm.successful_requests")).isEqualTo(1000L);
        assertThat(value(m, "vllm.requests_per_s")).isEqualTo(32.42);
        assertThat(value(m, "vllm.output_tokens_per_s")).isEqualTo(6582.87);
        assertThat(value(m, "vllm.total_tokens_per_s")).isEqualTo(14029.44);
        assertThat(value(m, "vllm.itl_ms.p99")).isEqualTo(214.35);
        assertThat(m.contains("vllm.failed_requests")).as("this vLLM had no such line").isFalse();
        MetricSet newer = parser.parse(Fixtures.input("vllm/reference-serve-pr26478-annotation-removed.log"));
        assertThat(value(newer, "vllm.failed_requests")).isEqualTo(0L);
        assertThat(value(newer, "vllm.total_tokens_per_s")).as("'Total Token' in this version").isEqualTo(14141.12);
        // The PR's own annotation after a value is garbage to a parser.
        assertThatThrownBy(() -> parser.parse(Fixtures.input("vllm/reference-serve-pr26478.log")))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("vllm/reference-serve-pr26478.log:3: not a number");
    }

    @Test
    void aNumberWithACommaInTheServingBlockIsRefusedNotGuessed() throws Exception {
        // Found by the mutation property: "1,000" was read as 1000, and "1,5" would have been 15.
        String block = Files.readString(Fixtures.path("vllm/reference-serve-pr18566.log"))
                .replace("Successful requests:                     1000", "Successful requests:                     1,5");
        assertThatThrownBy(() -> parser.parse(write(tmp, "comma.log", block))).isInstanceOf(ParseException.class)
                .hasMessageContaining("not a number for 'successful requests': 1,5");
    }

    @Test
    void jsonResults() throws Exception {
        MetricSet ours = parser.parse(Fixtures.input("vllm/synthetic-vault-vllm.json"));
        assertThat(value(ours, "vllm.output_tokens_per_s")).isEqualTo(613.9);
        assertThat(value(ours, "vllm.failed_requests")).isEqualTo(0L);
        assertThat(value(ours, "vllm.smoke_ok")).isEqualTo(true);
        assertThat(value(ours, "vllm.version.vllm")).isEqualTo("0.9.2");
        MetricSet bench = parser.parse(Fixtures.input("vllm/synthetic-bench-throughput-output.json"));
        assertThat(value(bench, "vllm.requests_per_s")).isEqualTo(70.77);
        assertThat(value(bench, "vllm.total_tokens_per_s")).isEqualTo(54350.3);
        MetricSet serve = parser.parse(write(tmp, "s.json", "{\"completed\": 998, \"failed\": 2, \"request_throughput\": 32.4,"
                + " \"output_throughput\": 6582.9, \"total_token_throughput\": 14029.4, \"itls\": [[1.0, 2.0]], \"mean_ttft_ms\": 9626.1}"));
        assertThat(value(serve, "vllm.failed_requests")).isEqualTo(2L);
        assertThat(value(serve, "vllm.ttft_ms.mean")).isEqualTo(9626.1);
        String doc = read("vllm/synthetic-vault-vllm.json");
        assertThatThrownBy(() -> parser.parse(write(tmp, "f.json", doc.replace("\"failed_requests\": 0", "\"failed_requests\": 201"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("exceeds requests");
        assertThatThrownBy(() -> parser.parse(write(tmp, "x.json", "{\"hello\": 1}")))
                .isInstanceOf(ParseException.class).hasMessageContaining("not a vLLM result");
    }

    @Test
    void refusesLogsWithoutOrWithTwoResults() throws Exception {
        assertThatThrownBy(() -> parser.parse(write(tmp, "n.log", "INFO starting\nINFO done\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no vLLM result");
        String block = read("vllm/reference-serve-pr18566.log");
        assertThatThrownBy(() -> parser.parse(write(tmp, "two.log", block + "\n" + block)))
                .isInstanceOf(ParseException.class).hasMessageContaining("a second result");
        String cut = block.substring(0, block.indexOf("Output token"));
        assertThatThrownBy(() -> parser.parse(write(tmp, "cut.log", cut)))
                .isInstanceOf(ParseException.class).hasMessageContaining("cut short");
        assertThatThrownBy(() -> parser.parse(write(tmp, "bad.log", "Throughput: fast requests/s, 1 tokens/s\n")))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("bad.log:1:");
    }
}
