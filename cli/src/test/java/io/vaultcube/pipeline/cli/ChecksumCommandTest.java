package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.tool;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChecksumCommandTest {
    @TempDir
    Path tmp;

    List<String> oddFiles() throws Exception {
        List<String> files = new ArrayList<>();
        int i = 0;
        for (String name : List.of("with space", "back\\slash", "new\nline", "cr\rx", "empty")) {
            files.add(ImageCliSupport.randomFile(tmp.resolve(name), name.equals("empty") ? 0 : 70_000 * i, i).toString());
            i++;
        }
        return files;
    }

    @Test
    void printsExactlyWhatSha256sumPrints() throws Exception {
        List<String> files = oddFiles();
        List<String> argv = new ArrayList<>(List.of("sha256sum"));
        argv.addAll(files);
        ImageCliSupport.Run coreutils = tool(tmp, argv.toArray(String[]::new));
        argv.set(0, "checksum");
        ImageCliSupport.Run ours = vault(argv.toArray(String[]::new));
        assertThat(ours.code()).as(ours.err()).isZero();
        assertThat(ours.out()).isEqualTo(coreutils.out());
        assertThat(ours.err()).isEmpty();
    }

    @Test
    void checkVerifiesLikeSha256sumAndExitsOneOnAMismatchOrAMissingFile() throws Exception {
        List<String> files = oddFiles();
        List<String> argv = new ArrayList<>(List.of("sha256sum"));
        argv.addAll(files);
        Path sums = tmp.resolve("SHA256SUMS");
        Files.writeString(sums, tool(tmp, argv.toArray(String[]::new)).out());

        ImageCliSupport.Run ok = vault("checksum", "--check", sums.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).isEqualTo(tool(tmp, "sha256sum", "-c", sums.toString()).out());

        Files.writeString(Path.of(files.get(0)), "changed");
        ImageCliSupport.Run mismatch = vault("checksum", "-c", sums.toString());
        assertThat(mismatch.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(mismatch.out()).contains(files.get(0) + ": FAILED\n");
        assertThat(mismatch.err()).contains("vault checksum: WARNING: 1 computed checksum did NOT match");

        Files.writeString(Path.of(files.get(0)), "");
        Files.delete(Path.of(files.get(2)));
        ImageCliSupport.Run missing = vault("checksum", "-c", "--quiet", sums.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(missing.out()).contains("\\" + tmp + "/new\\nline: FAILED open or read\n");
        assertThat(missing.err()).contains("No such file or directory", "WARNING: 1 listed file could not be read");
    }

    @Test
    void ourOutputIsAcceptedBySha256sumCheck() throws Exception {
        List<String> files = oddFiles();
        List<String> argv = new ArrayList<>(List.of("checksum"));
        argv.addAll(files);
        Path sums = tmp.resolve("OURS");
        Files.writeString(sums, vault(argv.toArray(String[]::new)).out());
        ImageCliSupport.Run check = tool(tmp, "sha256sum", "--strict", "-c", sums.toString());
        assertThat(check.code()).as(check.err()).isZero();
    }

    @Test
    void unreadableInputExitsTwo() throws Exception {
        ImageCliSupport.Run missing = vault("checksum", tmp.resolve("missing").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("vault checksum: " + tmp + "/missing: No such file or directory");

        assertThat(vault("checksum", "-c", tmp.resolve("no-sums").toString()).code()).isEqualTo(ExitCodes.USAGE);
        Path garbage = Files.writeString(tmp.resolve("garbage"), "this is not a checksum file\n");
        ImageCliSupport.Run noLines = vault("checksum", "-c", garbage.toString());
        assertThat(noLines.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noLines.err()).contains("no properly formatted checksum lines found");
        assertThat(vault("checksum", "--quiet", garbage.toString()).code()).isEqualTo(ExitCodes.USAGE);
        assertThat(vault("checksum", "--threads", "0", garbage.toString()).code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void drawsAProgressLineOnlyOnATerminal() throws Exception {
        // The CLI in a JVM of its own, once under a pseudo-terminal (python3's pty.spawn, argv only)
        // and once on pipes, hashing a FIFO that this test fills slowly so that the meter ticks.
        Path python = Path.of("/usr/bin/python3");
        assertThat(python).as("python3 (Debian's) is needed to make a pseudo-terminal").isExecutable();
        for (boolean terminal : new boolean[] {true, false}) {
            Path fifo = tmp.resolve("fifo-" + terminal);
            assertThat(tool(tmp, "mkfifo", fifo.toString()).code()).isZero();
            List<String> argv = new ArrayList<>();
            if (terminal) {
                argv.addAll(List.of(python.toString(), "-c",
                        "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)"));
            }
            argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "checksum", fifo.toString()));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(fifo)) {
                for (int i = 0; i < 20; i++) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(100);
                }
            }
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(output).isZero();
            String digest = io.vaultcube.pipeline.image.Sha256.of(new byte[20 * chunk.length]);
            assertThat(output).contains(digest + "  " + fifo);
            if (terminal) {
                assertThat(output).contains("\rchecksum  ").contains("/s");
            } else {
                assertThat(output).doesNotContain("\r").isEqualTo(digest + "  " + fifo + "\n");
            }
        }
    }
}
