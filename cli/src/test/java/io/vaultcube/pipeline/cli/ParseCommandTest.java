package io.vaultcube.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.evidence.EvidenceJson;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.ParserRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseCommandTest {
    /** The parser fixtures of core (Surefire runs in the module directory). */
    private static final Path FIXTURES = Path.of("..", "core", "src", "test", "resources", "parse");

    @TempDir
    Path tmp;

    @Test
    void helpListsEveryKind() {
        MainTest.Run run = MainTest.vault("parse", "--help");
        assertThat(run.code()).isZero();
        for (String kind : ParserRegistry.standard().kinds()) {
            assertThat(run.out()).contains("  " + kind + System.lineSeparator());
        }
        assertThat(run.out()).contains("--json", "--option", "docs/metrics.md");
        // the kinds' descriptions are wrapped under their kind, not re-wrapped by picocli to column 0
        assertThat(run.out().lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
        assertThat(run.out()).contains("  telemetry" + System.lineSeparator() + "      looped nvidia-smi");
    }

    @Test
    void jsonWorksForEveryKindAndEqualsTheParsersMetrics() throws Exception {
        for (String kind : ParserRegistry.standard().kinds()) {
            int parsed = 0;
            for (Path fixture : fixtures(kind)) {
                Map<String, String> options = options(fixture);
                MetricSet expected;
                try {
                    expected = ParserRegistry.standard().require(kind).parse(new ParseInput(fixture, null, options));
                } catch (ParseException refused) {
                    continue;
                }
                List<String> args = new ArrayList<>(List.of("parse", "--json"));
                options.forEach((k, v) -> args.add("--option=" + k + "=" + v));
                args.add(kind);
                args.add(fixture.toString());
                MainTest.Run run = MainTest.vault(args.toArray(String[]::new));
                assertThat(run.code()).as(run.err()).isZero();
                // The streamed text is, byte for byte, what an ObjectMapper's indented form gives.
                Map<String, Object> mapped = new LinkedHashMap<>();
                mapped.put("kind", kind);
                mapped.put("file", fixture.toString());
                mapped.put("metrics", expected.values());
                assertThat(run.out()).as("%s %s", kind, fixture)
                        .isEqualTo(EvidenceJson.mapper().writeValueAsString(mapped) + System.lineSeparator());
                JsonNode doc = EvidenceJson.mapper().readTree(run.out());
                assertThat(doc.get("kind").asText()).isEqualTo(kind);
                Map<String, Object> metrics = EvidenceJson.mapper().convertValue(doc.get("metrics"),
                        EvidenceJson.mapper().getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
                assertThat(metrics.keySet()).containsExactlyElementsOf(expected.values().keySet());
                for (Map.Entry<String, Object> e : expected.values().entrySet()) {
                    Object got = metrics.get(e.getKey());
                    if (e.getValue() instanceof Number n) {
                        assertThat(((Number) got).doubleValue()).as(e.getKey()).isEqualTo(n.doubleValue());
                    } else {
                        assertThat(got).as(e.getKey()).isEqualTo(e.getValue());
                    }
                }
                parsed++;
            }
            assertThat(parsed).as("fixtures of %s that vault parse --json read", kind).isPositive();
        }
    }

    @Test
    void tableShowsValuesUnitsAndLines() {
        MainTest.Run run = MainTest.vault("parse", "packer", FIXTURES.resolve("packer/build-ok.log").toString());
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("packer.artifacts", "6").contains("packer.build[file.art].artifacts")
                .contains("build-ok.log:15");
    }

    @Test
    void unreadableInputExitsTwoNamingFileAndLine() throws Exception {
        Path bad = tmp.resolve("bad.log");
        Files.writeString(bad, "1795908961,,ui,say,hello\nthis is not packer\n");
        MainTest.Run run = MainTest.vault("parse", "packer", bad.toString());
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("vault parse: cannot parse as packer: " + bad + ":2: not a packer machine-readable record");
        assertThat(run.out()).isEmpty();

        Path empty = tmp.resolve("empty.json");
        Files.writeString(empty, "");
        MainTest.Run e = MainTest.vault("parse", "--json", "ansible-json", empty.toString());
        assertThat(e.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(e.err()).contains(empty.toString(), "empty");
        assertThat(e.out()).isEmpty();

        MainTest.Run missing = MainTest.vault("parse", "packer", tmp.resolve("none.log").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such file");

        MainTest.Run kind = MainTest.vault("parse", "nope", bad.toString());
        assertThat(kind.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(kind.err()).contains("unknown kind 'nope'", "packer-manifest");

        MainTest.Run dir = MainTest.vault("parse", "packer", tmp.toString());
        assertThat(dir.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(dir.err()).contains("not a regular file");
    }

    @Test
    void optionsReachTheParser() {
        MainTest.Run run = MainTest.vault("parse", "--option", "build=nope", "ansible",
                FIXTURES.resolve("packer/ansible-via-shell-local.log").toString());
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no provisioner output of packer build 'nope'");
    }

    @Test
    void anOptionTheKindDoesNotTakeIsRefusedNotIgnored() {
        Path telemetry = FIXTURES.resolve("telemetry/synthetic-4gpu-features.csv");
        MainTest.Run typo = MainTest.vault("parse", "--option", "interval=5", "telemetry", telemetry.toString());
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("unknown option 'interval' for kind telemetry; it takes fields, interval_s");
        MainTest.Run none = MainTest.vault("parse", "--option", "fields=x", "packer",
                FIXTURES.resolve("packer/build-ok.log").toString());
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("unknown option 'fields' for kind packer; it takes none");
        assertThat(MainTest.vault("parse", "--option", "interval_s=1", "telemetry", telemetry.toString()).code()).isZero();
    }

    /**
     * {@code vault parse KIND FILE [--json]} runs without picocli (its start-up is most of a short
     * parse's time): that path must print, say and exit exactly as picocli's does, for good input
     * and for every refusal, and leave every other form to picocli.
     */
    @Test
    void thePlainFormSaysExactlyWhatPicocliSays() throws Exception {
        String telemetry = FIXTURES.resolve("telemetry/synthetic-4gpu-features.csv").toString();
        Path cut = tmp.resolve("cut.csv");
        Files.writeString(cut, Files.readString(Path.of(telemetry)).stripTrailing());
        Path garbled = tmp.resolve("garbled.csv");
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(telemetry)));
        lines.set(2, lines.get(2).replaceFirst(", [0-9]+, GPU-", ", x, GPU-"));
        Files.write(garbled, lines);
        List<String[]> forms = List.of(
                new String[] {"parse", "telemetry", telemetry},
                new String[] {"parse", "--json", "telemetry", telemetry},
                new String[] {"parse", "telemetry", telemetry, "--json"},
                new String[] {"parse", "telemetry", cut.toString()},
                new String[] {"parse", "--json", "telemetry", garbled.toString()},
                new String[] {"parse", "telemetry", tmp.resolve("none.csv").toString()},
                new String[] {"parse", "telemetry", tmp.toString()},
                new String[] {"parse", "nope", telemetry},
                new String[] {"parse", "packer", FIXTURES.resolve("packer/build-ok.log").toString()});
        for (String[] args : forms) {
            ParseCommand plain = ParseCommand.plain(args);
            assertThat(plain).as(String.join(" ", args)).isNotNull();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = plain.runPlain(new PrintWriter(out), new PrintWriter(err));
            MainTest.Run picocli = MainTest.vault(args);
            assertThat(code).as(String.join(" ", args)).isEqualTo(picocli.code());
            assertThat(out.toString()).as(String.join(" ", args)).isEqualTo(picocli.out());
            assertThat(err.toString()).as(String.join(" ", args)).isEqualTo(picocli.err());
        }
        // The refusals above are real ones, not one message for all.
        assertThat(MainTest.vault("parse", "telemetry", cut.toString()).err()).contains("cut short");
        assertThat(MainTest.vault("parse", "telemetry", garbled.toString()).err()).contains(garbled + ":3:");

        List<String[]> picocliForms = List.of(
                new String[] {"parse", "--help"},
                new String[] {"parse", "telemetry"},
                new String[] {"parse", "--option", "interval_s=1", "telemetry", telemetry},
                new String[] {"parse", "--", "telemetry", telemetry},
                new String[] {"parse", "-x", "telemetry", telemetry},
                new String[] {"parse", "telemetry", "@" + telemetry},
                new String[] {"parse", "--json", "telemetry", telemetry, "--json"},
                new String[] {"parse", "telemetry", telemetry, "extra"},
                new String[] {"gate", "telemetry", telemetry});
        for (String[] args : picocliForms) {
            assertThat(ParseCommand.plain(args)).as(String.join(" ", args)).isNull();
        }
    }

    private static List<Path> fixtures(String kind) throws Exception {
        Path dir = FIXTURES.resolve(kind);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return !n.equals("SOURCE.md") && !n.endsWith(".options");
            }).sorted().toList();
        }
    }

    private static Map<String, String> options(Path fixture) throws Exception {
        Path file = fixture.resolveSibling(fixture.getFileName() + ".options");
        Map<String, String> options = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    options.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        }
        return options;
    }
}
