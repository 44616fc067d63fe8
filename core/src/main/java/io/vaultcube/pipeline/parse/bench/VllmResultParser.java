package io.vaultcube.pipeline.parse.bench;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.JsonDocuments.Bool;
import io.vaultcube.pipeline.parse.JsonDocuments.Num;
import io.vaultcube.pipeline.parse.JsonDocuments.Obj;
import io.vaultcube.pipeline.parse.JsonDocuments.Str;
import io.vaultcube.pipeline.parse.JsonFields;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Locale;

/**
 * vLLM benchmark results (kind {@code vllm}), whichever form the runner kept:
 * <ul>
 *   <li>the offline {@code Throughput: X requests/s, Y total tokens/s, Z output tokens/s} line, or its
 *       old form {@code Throughput: X requests/s, Y tokens/s} (Y = total tokens), anywhere in a log;</li>
 *   <li>the {@code ============ Serving Benchmark Result ============} block of {@code vllm bench serve}
 *       ({@code Label: value} lines, labels compared case-insensitively because they drift across
 *       versions); it must hold the successful requests and both throughputs;</li>
 *   <li>JSON: our {@code scripts/test-vllm-inference.py} result ({@code vault-vllm/1}), the
 *       {@code --output-json} of {@code vllm bench throughput} ({@code requests_per_second},
 *       {@code tokens_per_second}) and the {@code --save-result} JSON of {@code vllm bench serve}
 *       ({@code request_throughput}, {@code output_throughput}, {@code total_token_throughput}).</li>
 * </ul>
 * A log with no result, or with two, is refused.
 */
public final class VllmResultParser implements EvidenceParser {
    @Override
    public String kind() {
        return "vllm";
    }

    @Override
    public String description() {
        return "vLLM results: offline Throughput line, bench serve block, bench JSON, vault-vllm/1 JSON";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        return startsWithBrace(input) ? json(input) : text(input);
    }

    private static boolean startsWithBrace(ParseInput input) throws IOException {
        try (InputStream in = Files.newInputStream(input.file())) {
            int c;
            while ((c = in.read()) == ' ' || c == '\n' || c == '\r' || c == '\t') {
                // skip white space
            }
            return c == '{';
        }
    }

    private static MetricSet json(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        // Per-request arrays of bench serve results (ttfts, itls, texts) are not kept.
        Obj root = json.object(JsonDocuments.readOne(input, path -> path.indexOf('.') < 0
                && !path.equals("itls") && !path.equals("ttfts") && !path.equals("generated_texts")
                && !path.equals("input_lens") && !path.equals("output_lens") && !path.equals("errors")
                || path.startsWith("versions")), "the vLLM result");
        MetricSet m = new MetricSet();
        if (root.has("schema")) {
            json.requireSchema(root, "vault-vllm/1");
            Num requests = json.requireCount(root, "requests", "the vLLM result", 0);
            Num failed = json.requireCount(root, "failed_requests", "the vLLM result", 0);
            if (failed.value() > requests.value()) {
                throw json.error(failed, "failed_requests " + failed.text() + " exceeds requests " + requests.text());
            }
            Bool smoke = json.requireBool(root, "smoke_ok", "the vLLM result");
            number(m, input, json, root, "requests_per_s", "vllm.requests_per_s", "requests/s");
            number(m, input, json, root, "output_tokens_per_s", "vllm.output_tokens_per_s", "tokens/s");
            number(m, input, json, root, "total_tokens_per_s", "vllm.total_tokens_per_s", "tokens/s");
            m.add(Metric.number("vllm.requests", requests.value(), null, input.at(requests.line())));
            m.add(Metric.number("vllm.failed_requests", failed.value(), null, input.at(failed.line())));
            m.add(Metric.bool("vllm.smoke_ok", smoke.value(), input.at(smoke.line())));
            number(m, input, json, root, "elapsed_s", "vllm.duration_s", "s");
            number(m, input, json, root, "peak_memory_gib", "vllm.peak_memory_gib", "GiB");
            Str model = json.optionalString(root, "model", "the vLLM result");
            if (model != null) {
                m.add(Metric.text("vllm.model", model.value(), input.at(model.line())));
            }
            Obj versions = json.optionalObject(root, "versions", "the vLLM result");
            if (versions != null) {
                for (String v : new String[] {"vllm", "torch"}) {
                    Str s = json.optionalString(versions, v, "versions");
                    if (s != null) {
                        m.add(Metric.text("vllm.version." + v, s.value(), input.at(s.line())));
                    }
                }
            }
        } else if (root.has("requests_per_second")) {
            // vllm bench throughput --output-json: tokens_per_second counts prompt and output tokens.
            number(m, input, json, root, "requests_per_second", "vllm.requests_per_s", "requests/s");
            number(m, input, json, root, "tokens_per_second", "vllm.total_tokens_per_s", "tokens/s");
            number(m, input, json, root, "elapsed_time", "vllm.duration_s", "s");
            number(m, input, json, root, "num_requests", "vllm.requests", null);
            if (!m.contains("vllm.requests_per_s") || !m.contains("vllm.total_tokens_per_s")) {
                throw json.error(root, "a vllm bench throughput JSON without requests_per_second and tokens_per_second");
            }
        } else if (root.has("request_throughput")) {
            // vllm bench serve --save-result.
            number(m, input, json, root, "request_throughput", "vllm.requests_per_s", "requests/s");
            number(m, input, json, root, "output_throughput", "vllm.output_tokens_per_s", "tokens/s");
            number(m, input, json, root, "total_token_throughput", "vllm.total_tokens_per_s", "tokens/s");
            number(m, input, json, root, "completed", "vllm.successful_requests", null);
            number(m, input, json, root, "failed", "vllm.failed_requests", null);
            number(m, input, json, root, "duration", "vllm.duration_s", "s");
            for (String stat : new String[] {"mean", "median", "p99"}) {
                number(m, input, json, root, stat + "_ttft_ms", "vllm.ttft_ms." + stat, "ms");
                number(m, input, json, root, stat + "_tpot_ms", "vllm.tpot_ms." + stat, "ms");
                number(m, input, json, root, stat + "_itl_ms", "vllm.itl_ms." + stat, "ms");
            }
            if (!m.contains("vllm.output_tokens_per_s") || !m.contains("vllm.successful_requests")) {
                throw json.error(root, "a vllm bench serve result without output_throughput and completed");
            }
        } else {
            throw json.error(root, "not a vLLM result: no schema, requests_per_second or request_throughput member");
        }
        return m;
    }

    private static void number(MetricSet m, ParseInput input, JsonFields json, Obj o, String member, String metric, String unit)
            throws ParseException {
        Num n = json.optionalNumber(o, member, "the vLLM result");
        if (n != null) {
            if (n.value() < 0) {
                throw json.error(n, member + " is negative: " + n.text());
            }
            m.add(Metric.number(metric, n.value(), unit, input.at(n.line())));
        }
    }

    private static final String SERVE_BANNER = "Serving Benchmark Result";

    private static MetricSet text(ParseInput input) throws ParseException, IOException {
        MetricSet m = new MetricSet();
        long resultLine = 0;
        boolean inBlock = false;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String line = lines.text().trim();
                long n = lines.lineNumber();
                if (line.startsWith("Throughput: ")) {
                    if (resultLine > 0) {
                        throw lines.error("a second result (the first is at line " + resultLine + ")");
                    }
                    resultLine = n;
                    offline(line, lines, input, m);
                    continue;
                }
                if (line.startsWith("=") && line.contains(SERVE_BANNER)) {
                    if (resultLine > 0) {
                        throw lines.error("a second result (the first is at line " + resultLine + ")");
                    }
                    resultLine = n;
                    inBlock = true;
                    continue;
                }
                if (!inBlock) {
                    continue;
                }
                if (line.isEmpty() || line.chars().allMatch(c -> c == '=')) {
                    inBlock = false;
                    continue;
                }
                if (line.startsWith("-")) {
                    continue; // a section rule such as ----Time to First Token----
                }
                int colon = line.lastIndexOf(':');
                if (colon <= 0) {
                    throw lines.error("not a 'Label: value' line in the serving result block: " + line);
                }
                String label = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                // No thousands separators: vLLM prints none, and "1,5" read as 15 would be a silent 10x error.
                String valueText = line.substring(colon + 1).trim();
                double v = Numbers.parseDouble(valueText);
                if (Double.isNaN(v) || v < 0) {
                    throw lines.error("not a number for '" + label + "': " + valueText);
                }
                String metric = serveMetric(label);
                if (metric != null) {
                    if (m.contains(metric)) {
                        throw lines.error("'" + label + "' twice in the serving result block");
                    }
                    m.add(Metric.number(metric, v, unitOf(metric), input.at(n)));
                }
            }
            if (resultLine == 0) {
                throw lines.errorAtEnd("no vLLM result: neither a 'Throughput:' line nor a '" + SERVE_BANNER + "' block");
            }
        }
        if (!m.contains("vllm.requests_per_s")) {
            throw new ParseException(input.sourceName(), resultLine, "the result has no request throughput: cut short?");
        }
        if (m.contains("vllm.successful_requests") || !m.contains("vllm.total_tokens_per_s")) {
            // A serving block: it must carry the output throughput too.
            if (!m.contains("vllm.output_tokens_per_s") || !m.contains("vllm.successful_requests")) {
                throw new ParseException(input.sourceName(), resultLine,
                        "the serving result block lacks the successful requests or the output token throughput: cut short?");
            }
        }
        return m;
    }

    private static void offline(String line, LineReader lines, ParseInput input, MetricSet m) throws ParseException {
        // Throughput: 70.77 requests/s, 54350.30 total tokens/s, 18116.77 output tokens/s
        // Throughput: 70.77 requests/s, 54350.30 tokens/s            (older vLLM: total tokens)
        String[] parts = line.substring("Throughput: ".length()).split(",\\s*");
        for (String part : parts) {
            String p = part.trim();
            int space = p.indexOf(' ');
            double v = space > 0 ? Numbers.parseDouble(p.substring(0, space)) : Double.NaN;
            String unit = space > 0 ? p.substring(space + 1) : "";
            String metric;
            switch (unit) {
                case "requests/s" -> metric = "vllm.requests_per_s";
                case "total tokens/s", "tokens/s" -> metric = "vllm.total_tokens_per_s";
                case "output tokens/s" -> metric = "vllm.output_tokens_per_s";
                default -> throw lines.error("not a vLLM throughput figure: '" + p + "'");
            }
            if (Double.isNaN(v) || v < 0 || m.contains(metric)) {
                throw lines.error("not a vLLM throughput line: " + line);
            }
            m.add(Metric.number(metric, v, metric.endsWith("requests_per_s") ? "requests/s" : "tokens/s", input.at(lines.lineNumber())));
        }
    }

    private static String serveMetric(String label) {
        return switch (label) {
            case "successful requests" -> "vllm.successful_requests";
            case "failed requests" -> "vllm.failed_requests";
            case "benchmark duration (s)" -> "vllm.duration_s";
            case "request throughput (req/s)" -> "vllm.requests_per_s";
            case "output token throughput (tok/s)" -> "vllm.output_tokens_per_s";
            case "total token throughput (tok/s)" -> "vllm.total_tokens_per_s";
            case "mean ttft (ms)" -> "vllm.ttft_ms.mean";
            case "median ttft (ms)" -> "vllm.ttft_ms.median";
            case "p99 ttft (ms)" -> "vllm.ttft_ms.p99";
            case "mean tpot (ms)" -> "vllm.tpot_ms.mean";
            case "median tpot (ms)" -> "vllm.tpot_ms.median";
            case "p99 tpot (ms)" -> "vllm.tpot_ms.p99";
            case "mean itl (ms)" -> "vllm.itl_ms.mean";
            case "median itl (ms)" -> "vllm.itl_ms.median";
            case "p99 itl (ms)" -> "vllm.itl_ms.p99";
            default -> null; // labels drift across versions; unknown ones are not measured
        };
    }

    private static String unitOf(String metric) {
        if (metric.endsWith("requests_per_s")) {
            return "requests/s";
        }
        if (metric.endsWith("tokens_per_s")) {
            return "tokens/s";
        }
        if (metric.endsWith("_s")) {
            return "s";
        }
        return metric.contains("_ms.") ? "ms" : null;
    }
}
