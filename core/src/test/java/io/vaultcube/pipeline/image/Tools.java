package io.vaultcube.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Real tools and real files for the image tests. */
public final class Tools {
    private Tools() {
    }

    /** The outcome of a real process. */
    public record Run(int code, byte[] stdout, byte[] stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String err() {
            return new String(stderr, StandardCharsets.UTF_8);
        }
    }

    /** Runs argv (no shell) in {@code dir} with {@code input} on stdin; fails the test when the tool is missing. */
    public static Run run(Path dir, byte[] input, String... argv) {
        requireTool(argv[0]);
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).directory(dir == null ? null : dir.toFile());
            Process p = builder.start();
            Thread feeder = new Thread(() -> {
                try (var in = p.getOutputStream()) {
                    if (input != null) {
                        in.write(input);
                    }
                } catch (IOException e) {
                    // The tool did not read it all: fine.
                }
            });
            feeder.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
            errReader.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + List.of(argv));
            }
            errReader.join();
            feeder.join();
            return new Run(p.exitValue(), out, err.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails (never skips) when a tool the test needs is not installed; ./test.sh installs it. */
    public static void requireTool(String tool) {
        if (tool.contains("/")) {
            return;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        throw new AssertionError(tool + " is not installed; ./test.sh installs it (tests/prerequisites.txt)");
    }

    /** The digest coreutils' sha256sum computes for a file. */
    public static String sha256sum(Path file) {
        Run run = run(null, null, "sha256sum", file.toString());
        assertThat(run.code()).as(run.err()).isZero();
        int start = run.out().startsWith("\\") ? 1 : 0;
        return run.out().substring(start, start + Sha256.HEX_LENGTH);
    }

    public static Path randomFile(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
        }
        return file;
    }

    public static Path resource(String name) {
        try {
            return Path.of(Tools.class.getResource("/image/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The java binary running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** argv that starts a JVM running {@code main} of the test classpath, tuned to start fast. */
    public static List<String> javaMain(Class<?> main, String... args) {
        List<String> argv = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xss512k", "-Xmx128m", "-cp", System.getProperty("java.class.path"), main.getName()));
        argv.addAll(List.of(args));
        return argv;
    }
}
