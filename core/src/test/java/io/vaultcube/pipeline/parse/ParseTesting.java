package io.vaultcube.pipeline.parse;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small helpers shared by the parser tests. */
public final class ParseTesting {
    private ParseTesting() {
    }

    /** The raw value of a metric (Long, Double, Boolean or String); fails when absent. */
    public static Object value(MetricSet metrics, String name) {
        return metric(metrics, name).value().raw();
    }

    public static Metric metric(MetricSet metrics, String name) {
        return metrics.get(name).orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics.values()));
    }

    /** The 1-based line a metric cites, or null for a whole-file source. */
    public static Long line(MetricSet metrics, String name) {
        return metric(metrics, name).source().line();
    }

    public static ParseInput write(Path dir, String name, String text) throws IOException {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    public static ParseInput write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return new ParseInput(p, name, Map.of());
    }

    public static ParseInput write(Path dir, String name, String text, Map<String, String> options) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return new ParseInput(p, name, options);
    }

    public static String read(String fixture) throws IOException {
        return Files.readString(Fixtures.path(fixture));
    }

    /** The text with every LF turned into CRLF. */
    public static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /** The first n lines of the text, each with its newline. */
    public static String firstLines(String text, int n) {
        int idx = 0;
        for (int i = 0; i < n; i++) {
            int nl = text.indexOf('\n', idx);
            if (nl < 0) {
                return text;
            }
            idx = nl + 1;
        }
        return text.substring(0, idx);
    }

    public static int lineCount(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return text.endsWith("\n") || text.isEmpty() ? n : n + 1;
    }
}
