package io.vaultcube.pipeline.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.run.ConsoleText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault parse KIND FILE}: one tool output turned into metrics, as the pipeline would. */
@Command(
        header = "Parse one tool output into metrics, as the pipeline does.",
        name = "parse",
        mixinStandardHelpOptions = true,
        description = "Parses one tool output FILE of format KIND and prints its metrics: name, value, unit and"
                + " the line each was read from. Input it cannot read (truncated, garbled, binary, empty) is an"
                + " error naming the file and line (exit 2), never a silent zero.")
final class ParseCommand implements Callable<Integer> {
    CommandSpec spec;

    /** Picocli injects the spec when it builds the command: the help lists the registry's kinds. */
    @Spec
    void spec(CommandSpec injected) {
        this.spec = injected;
        injected.usageMessage().footer("", "Kinds:", kindList(), "", "Metric names, units and meanings: docs/metrics.md");
    }

    @Parameters(index = "0", paramLabel = "KIND", description = "The format (see the list of kinds below).")
    String kind;

    @Parameters(index = "1", paramLabel = "FILE", description = "The tool output to read.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object: {\"kind\", \"file\", \"metrics\": {NAME: VALUE, ...}}.")
    boolean json;

    @Option(names = "--option", paramLabel = "KEY=VALUE",
            description = "A format option, repeatable: fields=index,uuid (header-less nvidia-smi or telemetry CSV), "
                    + "interval_s=N (telemetry), build=NAME (ansible inside a packer log). Any other is refused.")
    Map<String, String> options = new LinkedHashMap<>();

    /** Where the kinds list wraps: under picocli's 80 columns, so that it does not re-wrap the lines. */
    private static final int KIND_LIST_WIDTH = 78;
    private static final String DESCRIPTION_INDENT = "      ";

    /** The kinds and their descriptions, for the help footer: each description wrapped under its kind. */
    static String kindList() {
        StringBuilder sb = new StringBuilder();
        for (EvidenceParser p : ParserRegistry.standard().parsers()) {
            if (sb.length() > 0) {
                sb.append("%n");
            }
            sb.append("  ").append(p.kind());
            int column = KIND_LIST_WIDTH; // start a new line before the first word
            for (String word : p.description().split(" ")) {
                if (column + 1 + word.length() > KIND_LIST_WIDTH) {
                    sb.append("%n").append(DESCRIPTION_INDENT);
                    column = DESCRIPTION_INDENT.length();
                } else {
                    sb.append(' ');
                    column++;
                }
                // The footer is a format string: a '%' of a description must be doubled.
                sb.append(word.replace("%", "%%"));
                column += word.length();
            }
        }
        return sb.toString();
    }

    @Override
    public Integer call() throws IOException {
        return write(spec.commandLine().getOut());
    }

    /** Parses the file and writes its metrics to out (a table, or JSON with --json). */
    private int write(PrintWriter out) throws IOException {
        EvidenceParser parser = ParserRegistry.standard().find(kind).orElseThrow(() -> CliException.usage(
                "unknown kind '" + kind + "'; known kinds: " + String.join(", ", ParserRegistry.standard().kinds())));
        for (String key : options.keySet()) {
            if (!parser.options().contains(key)) {
                throw CliException.usage("unknown option '" + key + "' for kind " + kind + "; "
                        + (parser.options().isEmpty() ? "it takes none"
                                : "it takes " + String.join(", ", new TreeSet<>(parser.options()))));
            }
        }
        if (!Files.exists(file)) {
            throw CliException.usage("no such file: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw CliException.usage("not a regular file: " + file);
        }
        MetricSet metrics;
        try {
            metrics = parser.parse(new ParseInput(file, file.toString(), options));
        } catch (ParseException e) {
            throw new CliException(ExitCodes.USAGE, "cannot parse as " + kind + ": " + e.getMessage(), e);
        }
        if (json) {
            writeJson(out, metrics);
        } else if (metrics.isEmpty()) {
            out.println("no metrics in " + file);
        } else {
            int width = 0;
            for (Metric m : metrics) {
                width = Math.max(width, m.name().toString().length());
            }
            for (Metric m : metrics) {
                // A text value comes from a tool (a GPU name): no control character of it reaches the terminal.
                String value = ConsoleText.escapeControls(m.value() + (m.unit() == null ? "" : " " + m.unit()));
                out.printf("%-" + width + "s  %-20s  %s%n", m.name(), value, m.source() == null ? "" : m.source());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * {@code --json} through Jackson's streaming generator, not an {@code ObjectMapper}: the mapper's
     * start-up was 0.2 s of a 0.5 s parse. The text is what the mapper's indented form of
     * {@code {"kind", "file", "metrics"}} was, byte for byte.
     */
    private void writeJson(PrintWriter out, MetricSet metrics) throws IOException {
        // Made here, not in a static field: the table (the common case) loads no Jackson class.
        JsonFactory json = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("kind", kind);
            g.writeStringField("file", file.toString());
            g.writeObjectFieldStart("metrics");
            for (Map.Entry<String, Object> e : metrics.values().entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof Long n) {
                    g.writeNumber(n);
                } else if (v instanceof Double d) {
                    g.writeNumber(d);
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else if (v instanceof String t) {
                    g.writeString(t);
                } else {
                    throw new IllegalStateException("metric " + e.getKey() + " has a value of " + v.getClass());
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        out.println();
    }

    /**
     * The command for {@code parse KIND FILE} with at most {@code --json} beside them, read without
     * picocli; null for any other form. Scripts and the telemetry benchmark run this form, and
     * picocli's classes (Java 5 class files, which no class-data archive or AOT cache keeps) cost a
     * cold JVM about a third of a second to load and model. Anything picocli could read otherwise
     * (an option, help, {@code --}, an {@code @file}, an empty or dash-led argument) is left to it.
     */
    static ParseCommand plain(String... args) {
        if (args.length < 3 || args.length > 4 || !args[0].equals("parse")) {
            return null;
        }
        ParseCommand command = new ParseCommand();
        List<String> positional = new ArrayList<>(2);
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--json") && !command.json) {
                command.json = true;
            } else if (a.isEmpty() || a.charAt(0) == '-' || a.charAt(0) == '@') {
                return null;
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) {
            return null;
        }
        try {
            command.file = Path.of(positional.get(1));
        } catch (InvalidPathException e) {
            return null; // picocli says why
        }
        command.kind = positional.get(0);
        return command;
    }

    /** Runs a {@link #plain} command as picocli would: the same output, messages and exit status. */
    int runPlain(PrintWriter out, PrintWriter err) {
        try {
            return write(out);
        } catch (Exception e) {
            return Main.report(e, "vault parse", err);
        }
    }
}
