package io.vaultcube.pipeline.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our checksum lines and our -c against coreutils sha256sum (9.1 on Debian 12) run side by side on
 * the same files, byte for byte: names with spaces, backslashes, newlines and carriage returns,
 * and checksum files in every format coreutils accepts or rejects.
 */
class ChecksumsCoreutilsTest {
    /** Names that exercise every escape rule of coreutils. */
    static final List<String> ODD_NAMES = List.of("plain.img", "with space.img", " leading space", "back\\slash",
            "new\nline", "both\\\nand", "carriage\rreturn", "cr\rand\nnl", "tab\tname", "ünïcødé-ñame", "trailing\\",
            "a*star", "(parens) = x", "-dash");

    @TempDir
    Path tmp;

    List<String> files;

    @BeforeEach
    void oddFiles() throws Exception {
        files = new ArrayList<>();
        int i = 0;
        for (String name : ODD_NAMES) {
            Path file = tmp.resolve(name);
            Tools.randomFile(file, i * 1000L, i);
            files.add(file.toString());
            i++;
        }
        Files.createFile(tmp.resolve("empty"));
        files.add(tmp.resolve("empty").toString());
    }

    record Captured(int failures, String out, String err) {
    }

    Captured hash(List<String> names, boolean tagged) throws Exception {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int failures = checksums().hashFiles(names, tagged, output(out, err));
        return new Captured(failures, out.toString(), err.toString());
    }

    static Checksums checksums() {
        return new Checksums(new FileHasher(), 3, ProgressMeter.silent(),
                () -> Channels.newChannel(new java.io.ByteArrayInputStream("stdin bytes\n".getBytes(StandardCharsets.UTF_8))));
    }

    static ChecksumOutput output(StringBuilder out, StringBuilder err) {
        return new ChecksumOutput() {
            @Override
            public void line(String text) {
                out.append(text).append('\n');
            }

            @Override
            public void message(String text) {
                err.append(text).append('\n');
            }
        };
    }

    @Test
    void hashLinesAreByteForByteThoseOfSha256sum() throws Exception {
        List<String> argv = new ArrayList<>(List.of("sha256sum"));
        argv.addAll(files);
        Tools.Run coreutils = Tools.run(tmp, null, argv.toArray(String[]::new));
        assertThat(coreutils.code()).isZero();

        Captured ours = hash(files, false);
        assertThat(ours.failures()).isZero();
        assertThat(ours.out().getBytes(StandardCharsets.UTF_8)).isEqualTo(coreutils.stdout());
        assertThat(ours.out()).contains("\\" + Tools.sha256sum(Path.of(files.get(4))) + "  " + tmp + "/new\\nline\n");

        argv.add(1, "--tag");
        Tools.Run tagged = Tools.run(tmp, null, argv.toArray(String[]::new));
        assertThat(hash(files, true).out().getBytes(StandardCharsets.UTF_8)).isEqualTo(tagged.stdout());
    }

    @Test
    void standardInputIsHashedAsDash() throws Exception {
        Tools.Run coreutils = Tools.run(tmp, "stdin bytes\n".getBytes(StandardCharsets.UTF_8), "sha256sum", "-");
        assertThat(hash(List.of("-"), false).out().getBytes(StandardCharsets.UTF_8)).isEqualTo(coreutils.stdout());
    }

    @Test
    void sha256sumAcceptsOurLinesAndWeAcceptItsLines() throws Exception {
        Path ours = tmp.resolve("OURS");
        Files.writeString(ours, hash(files, false).out());
        Tools.Run check = Tools.run(tmp, null, "sha256sum", "--strict", "-c", ours.toString());
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out()).doesNotContain("FAILED");

        List<String> argv = new ArrayList<>(List.of("sha256sum"));
        argv.addAll(files);
        Path theirs = tmp.resolve("THEIRS");
        Files.write(theirs, Tools.run(tmp, null, argv.toArray(String[]::new)).stdout());
        assertCheckLikeCoreutils(theirs, Checksums.CheckOptions.defaults(), "-c");
    }

    @Test
    void checkReportsMismatchesMissingFilesAndDirectoriesLikeCoreutils() throws Exception {
        List<String> argv = new ArrayList<>(List.of("sha256sum"));
        argv.addAll(files);
        Path sums = tmp.resolve("SUMS");
        Files.write(sums, Tools.run(tmp, null, argv.toArray(String[]::new)).stdout());
        Files.writeString(Path.of(files.get(1)), "changed");
        Files.delete(Path.of(files.get(4)));
        Files.delete(Path.of(files.get(6)));
        Files.createDirectory(Path.of(files.get(6)));
        for (Checksums.CheckOptions options : List.of(Checksums.CheckOptions.defaults(),
                new Checksums.CheckOptions(true, false, false, false, false),
                new Checksums.CheckOptions(false, true, false, false, false),
                new Checksums.CheckOptions(false, false, false, false, true))) {
            assertCheckLikeCoreutils(sums, options, flags(options));
        }
    }

    @Test
    void everyLineFormatIsAcceptedOrRejectedAsCoreutilsDoes() throws Exception {
        Path plain = Path.of(files.get(0));
        String h = Tools.sha256sum(plain);
        String upper = h.toUpperCase(java.util.Locale.ROOT);
        String p = plain.toString();
        String back = tmp.resolve("back\\slash").toString().replace("\\", "\\\\");
        String lines = String.join("\n",
                "# a comment",
                "",
                upper + "  " + p,
                h + " *" + p,
                "SHA256 (" + p + ") = " + h,
                "SHA256(" + p + ")= " + upper,
                "SHA256 (" + p + ")   =   " + h,
                h + "  " + p + "\r",
                "\\" + h + "  " + p.replace("plain", "pl\\ain"),
                h + " " + p,
                h + "   " + p,
                h + "0  " + p,
                h.substring(1) + "  " + p,
                "  \t" + h + "  " + p,
                "sha256 (" + p + ") = " + h,
                "MD5 (" + p + ") = " + h,
                h + "  ",
                h,
                "\\" + Tools.sha256sum(tmp.resolve("back\\slash")) + "  " + back,
                "\\" + h + "  " + p + "\\",
                "\\SHA256 (" + tmp.resolve("new\nline").toString().replace("\n", "\\n") + ") = "
                        + Tools.sha256sum(tmp.resolve("new\nline")),
                h + "  " + tmp.resolve("does-not-exist"),
                "garbage") + "\n";
        Path sums = tmp.resolve("MIXED");
        Files.writeString(sums, lines);
        assertCheckLikeCoreutils(sums, Checksums.CheckOptions.defaults(), "-c");
        assertCheckLikeCoreutils(sums, new Checksums.CheckOptions(false, false, true, true, false), "-c", "--strict", "--warn");

        // "BSD reversed" lines (one space) are accepted only while no standard line was seen.
        Path reversed = tmp.resolve("REVERSED");
        Files.writeString(reversed, h + " " + p + "\n" + h + "  " + p + "\n");
        assertCheckLikeCoreutils(reversed, Checksums.CheckOptions.defaults(), "-c");
        Path onlyComments = tmp.resolve("ONLY-COMMENTS");
        Files.writeString(onlyComments, "# nothing\n\n\r\n");
        assertCheckLikeCoreutils(onlyComments, Checksums.CheckOptions.defaults(), "-c");
    }

    @Property(tries = 200)
    void anyNameSurvivesFormatThenParse(@ForAll("names") String name, @ForAll boolean tagged) {
        String line = ChecksumLines.format(Sha256.of(name), name, tagged);
        assertThat(line).doesNotContain("\n", "\r");
        assertThat(new ChecksumLines.Parser().parse(line)).isEqualTo(new ChecksumLines.Entry(Sha256.of(name), name));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("ab \\\n\r\t*()=-#ü.").ofMinLength(1).ofMaxLength(12);
    }

    private static String[] flags(Checksums.CheckOptions o) {
        List<String> f = new ArrayList<>(List.of("-c"));
        if (o.quiet()) {
            f.add("--quiet");
        }
        if (o.status()) {
            f.add("--status");
        }
        if (o.strict()) {
            f.add("--strict");
        }
        if (o.warn()) {
            f.add("--warn");
        }
        if (o.ignoreMissing()) {
            f.add("--ignore-missing");
        }
        return f.toArray(String[]::new);
    }

    /** Runs coreutils and us on the same checksum file: same stdout bytes, same warnings, same verdict. */
    private void assertCheckLikeCoreutils(Path sums, Checksums.CheckOptions options, String... flags) throws Exception {
        List<String> argv = new ArrayList<>(List.of("sha256sum"));
        argv.addAll(List.of(flags));
        argv.add(sums.toString());
        Tools.Run coreutils = Tools.run(tmp, null, argv.toArray(String[]::new));

        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        Checksums.CheckResult result = checksums().check(sums.toString(), Files.readAllBytes(sums), false, options,
                output(out, err));
        String what = String.join(" ", flags) + " " + sums.getFileName();
        assertThat(out.toString().getBytes(StandardCharsets.UTF_8)).as("stdout of %s", what).isEqualTo(coreutils.stdout());
        assertThat(result.ok()).as("verdict of %s (coreutils exit %d)", what, coreutils.code()).isEqualTo(coreutils.code() == 0);
        // Messages: the same lines, without the program name (we print "vault checksum: " before them).
        String theirs = coreutils.err().lines().map(l -> l.replaceFirst("^sha256sum: ", ""))
                .collect(Collectors.joining("\n"));
        assertThat(err.toString().strip()).as("messages of %s", what).isEqualTo(theirs.strip());
    }

    @Test
    void unreadableFilesAreReportedAndCounted() throws Exception {
        Captured captured = hash(List.of(files.get(0), tmp.resolve("missing").toString(), tmp.toString()), false);
        assertThat(captured.failures()).isEqualTo(2);
        assertThat(captured.out()).hasLineCount(1);
        assertThat(captured.err()).contains(tmp + "/missing: No such file or directory", tmp + ": Is a directory");
    }

    @Test
    void progressCountsEveryByte() throws Exception {
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        try (ProgressMeter meter = ProgressMeter.silent()) {
            new Checksums(new FileHasher(), 2, meter, null).hashFiles(files, false, output(new StringBuilder(), new StringBuilder()));
            long total = 0;
            for (String f : files) {
                total += Files.size(Path.of(f));
            }
            assertThat(meter.done()).isEqualTo(total);
            assertThat(meter.total()).isEqualTo(total);
        }
        assertThat(ignored.size()).isZero();
        assertThat(ProgressMeter.render("checksum", 3L << 30, 4L << 30, 3.0))
                .isEqualTo("checksum  3.0 GiB of 4.0 GiB  75%  1.0 GiB/s  0:01 left");
    }
}
