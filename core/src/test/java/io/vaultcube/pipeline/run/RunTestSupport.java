package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Helpers of the runner tests: real tools, resource files, leftover files and processes. */
public final class RunTestSupport {
    private RunTestSupport() {
    }

    /** Fails (never skips) when a tool the test needs is missing; ./test.sh installs it. */
    public static Path requireTool(String program, String debianPackage) {
        return Executables.find(program, null).orElseGet(() -> fail(program + " is not installed: these tests run the"
                + " real tool. Install it with 'apt-get install " + debianPackage + "' (./test.sh does, from"
                + " tests/prerequisites.txt)."));
    }

    public static Path resource(String path) {
        try {
            return Path.of(RunTestSupport.class.getResource("/run/" + path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test resource run/" + path, e);
        }
    }

    /** Copies test resources into a directory; returns the copy of the first. */
    public static Path copy(Path dir, String... resources) throws IOException {
        Path first = null;
        for (String r : resources) {
            Path source = resource(r);
            Path target = dir.resolve(source.getFileName().toString());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            first = first == null ? target : first;
        }
        return first;
    }

    /** Every regular file under a directory (none when it does not exist). */
    public static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Asserts that no file under the directories, and no given text, contains any of the secrets. */
    public static void assertNoSecretIn(List<Path> dirs, List<String> texts, List<String> secrets) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path dir : dirs) {
            for (Path file : filesUnder(dir)) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                for (String s : secrets) {
                    if (content.contains(s)) {
                        found.add(file + " contains " + s);
                    }
                }
            }
        }
        for (String text : texts) {
            for (String s : secrets) {
                if (text.contains(s)) {
                    found.add("the console contains " + s);
                }
            }
        }
        assertThat(found).as("secrets that leaked").isEmpty();
    }

    /** Processes whose working directory or command line is inside the directory (a run's leftovers). */
    public static List<String> processesIn(Path dir) {
        List<String> found = new ArrayList<>();
        String prefix = dir.toAbsolutePath().toString();
        ProcessHandle self = ProcessHandle.current();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self.pid()).forEach(p -> {
            Path proc = Path.of("/proc", Long.toString(p.pid()));
            try {
                String cwd = Files.readSymbolicLink(proc.resolve("cwd")).toString();
                String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                if (cwd.startsWith(prefix) || cmdline.contains(prefix)) {
                    found.add(p.pid() + " " + cmdline.strip() + " (cwd " + cwd + ")");
                }
            } catch (IOException | SecurityException e) {
                // Gone, or not ours to read.
            }
        });
        return found;
    }
}
