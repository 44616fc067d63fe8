package io.vaultcube.pipeline.parse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The parser fixtures under src/test/resources/parse/KIND/: every file but SOURCE.md and
 * {@code *.options} (format options for the fixture of the same name, one k=v per line).
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path root() {
        URL url = Fixtures.class.getResource("/parse");
        if (url == null) {
            throw new IllegalStateException("no parse fixtures on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        return p;
    }

    /** A fixture's input, with its options and a source name relative to the fixture root. */
    public static ParseInput input(String relative) {
        Path p = path(relative);
        return new ParseInput(p, relative, options(p));
    }

    public static ParseInput input(String relative, Map<String, String> options) {
        return new ParseInput(path(relative), relative, options);
    }

    public static Map<String, String> options(Path fixture) {
        Path file = fixture.resolveSibling(fixture.getFileName() + ".options");
        Map<String, String> options = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        options.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return options;
    }

    /** Every fixture of a kind (relative paths such as "packer/build-ok.log"). */
    public static List<String> ofKind(String kind) {
        Path dir = root().resolve(kind);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("SOURCE.md") && !n.endsWith(".options"))
                    .sorted()
                    .forEach(n -> out.add(kind + "/" + n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
