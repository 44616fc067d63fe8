package io.vaultcube.pipeline.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code sha256sum FILE...} and {@code sha256sum -c CHECKFILE...}, as coreutils 9.1 behaves: the
 * same result lines byte for byte, the same warnings (worded the same, without the program name),
 * the same rules for what counts as a failure. Files are hashed in parallel on a bounded pool;
 * results are printed in the order of the input, each as soon as it is known.
 */
public final class Checksums {
    /** The options of {@code -c}, as in coreutils. */
    public record CheckOptions(boolean quiet, boolean status, boolean strict, boolean warn, boolean ignoreMissing) {
        public static CheckOptions defaults() {
            return new CheckOptions(false, false, false, false, false);
        }
    }

    /** The outcome of checking one checksum file. */
    public record CheckResult(int properlyFormatted, int misformatted, int unreadable, int mismatched, int matched,
            boolean ok) {
        /** True when the file held no line that could be checked (coreutils: exit 1; vault: unreadable input). */
        public boolean noProperlyFormattedLines() {
            return properlyFormatted == 0;
        }
    }

    private final FileHasher hasher;
    private final int threads;
    private final ProgressMeter progress;
    private final Supplier<ReadableByteChannel> stdin;
    private final ChecksumLines.Parser parser = new ChecksumLines.Parser();

    /**
     * @param stdin what "-" reads (standard input in the CLI)
     */
    public Checksums(FileHasher hasher, int threads, ProgressMeter progress, Supplier<ReadableByteChannel> stdin) {
        this.hasher = Objects.requireNonNull(hasher);
        this.threads = Math.max(1, threads);
        this.progress = progress == null ? ProgressMeter.silent() : progress;
        this.stdin = stdin;
    }

    /** Hashes each file and prints its line; returns the number of files that could not be read. */
    public int hashFiles(List<String> names, boolean tagged, ChecksumOutput out) throws Exception {
        for (String name : names) {
            if (!"-".equals(name)) {
                try {
                    progress.addTotal(Files.size(Path.of(name)));
                } catch (IOException | RuntimeException e) {
                    // Reported when it is hashed.
                }
            }
        }
        int[] failures = {0};
        OrderedParallel.<String, HashResult>run(names, threads, "vault-checksum", this::hashOne, (name, result, failure) -> {
            if (failure != null) {
                failures[0]++;
                progress.printAbove(() -> out.message(shown(name) + ": " + describe(failure)));
            } else {
                progress.printAbove(() -> out.line(ChecksumLines.format(result.sha256(), name, tagged)));
            }
        });
        return failures[0];
    }

    private HashResult hashOne(String name) throws IOException, InterruptedException {
        if ("-".equals(name)) {
            if (stdin == null) {
                throw new IOException("standard input is not available");
            }
            return hasher.hash(stdin.get(), progress);
        }
        Path path = Path.of(name);
        if (Files.isDirectory(path)) {
            throw new IOException("Is a directory");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return hasher.hash(channel, progress);
        }
    }

    /**
     * Checks the lines of one checksum file (its bytes already read) and prints a result per line.
     *
     * @param checkFileName the name used in messages ("standard input" for "-")
     * @param readFromStdin true when the checksum file itself came from standard input (then a
     *     line naming "-" is improperly formatted, as in coreutils)
     */
    public CheckResult check(String checkFileName, byte[] content, boolean readFromStdin, CheckOptions options,
            ChecksumOutput out) throws Exception {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        long lineNumber = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            int len = end - start;
            boolean comment = len > 0 && content[start] == '#';
            if (!comment) {
                if (len > 0 && content[start + len - 1] == '\r') {
                    len--;
                }
                if (len > 0) {
                    String text = decode(content, start, len);
                    ChecksumLines.Entry entry = text == null ? null : parser.parse(text);
                    if (entry != null && readFromStdin && "-".equals(entry.name())) {
                        entry = null;
                    }
                    lines.add(new Line(lineNumber, entry));
                }
            }
            start = end + 1;
        }
        for (Line line : lines) {
            if (line.entry() != null && !"-".equals(line.entry().name())) {
                try {
                    progress.addTotal(Files.size(Path.of(line.entry().name())));
                } catch (IOException | RuntimeException e) {
                    // Reported when it is checked.
                }
            }
        }

        int[] counts = new int[5]; // properly formatted, misformatted, unreadable, mismatched, matched
        OrderedParallel.<Line, HashResult>run(lines, threads, "vault-check", line -> {
            if (line.entry() == null) {
                return null;
            }
            try {
                return hashOne(line.entry().name());
            } catch (NoSuchFileException e) {
                if (options.ignoreMissing()) {
                    return null;
                }
                throw e;
            }
        }, (line, result, failure) -> progress.printAbove(() -> {
            ChecksumLines.Entry entry = line.entry();
            if (entry == null) {
                counts[1]++;
                if (options.warn()) {
                    out.message(checkFileName + ": " + line.number() + ": improperly formatted SHA256 checksum line");
                }
                return;
            }
            counts[0]++;
            String name = options.status() ? null : ChecksumLines.checkedName(entry.name());
            if (failure != null) {
                counts[2]++;
                out.message(shown(entry.name()) + ": " + describe(failure));
                if (!options.status()) {
                    out.line(name + ": FAILED open or read");
                }
            } else if (result == null) {
                // --ignore-missing and the file is missing: nothing to say.
                return;
            } else if (result.sha256().equalsIgnoreCase(entry.sha256())) {
                counts[4]++;
                if (!options.status() && !options.quiet()) {
                    out.line(name + ": OK");
                }
            } else {
                counts[3]++;
                if (!options.status()) {
                    out.line(name + ": FAILED");
                }
            }
        }));

        int properly = counts[0];
        int misformatted = counts[1];
        int unreadable = counts[2];
        int mismatched = counts[3];
        int matched = counts[4];
        if (properly == 0) {
            out.message(checkFileName + ": no properly formatted checksum lines found");
        } else if (!options.status()) {
            if (misformatted != 0) {
                out.message("WARNING: " + misformatted + (misformatted == 1 ? " line is" : " lines are")
                        + " improperly formatted");
            }
            if (unreadable != 0) {
                out.message("WARNING: " + unreadable + (unreadable == 1 ? " listed file" : " listed files")
                        + " could not be read");
            }
            if (mismatched != 0) {
                out.message("WARNING: " + mismatched + (mismatched == 1 ? " computed checksum" : " computed checksums")
                        + " did NOT match");
            }
            if (options.ignoreMissing() && matched == 0) {
                out.message(checkFileName + ": no file was verified");
            }
        }
        boolean ok = properly > 0 && matched > 0 && mismatched == 0 && unreadable == 0
                && (!options.strict() || misformatted == 0);
        return new CheckResult(properly, misformatted, unreadable, mismatched, matched, ok);
    }

    private record Line(long number, ChecksumLines.Entry entry) {
    }

    /** UTF-8 text of a line, or null when its bytes are not UTF-8 (Java cannot name such a file). */
    private static String decode(byte[] bytes, int start, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * A name as coreutils shows it in a message (gnulib quotearg, shell-escape style, colons quoted):
     * bare when every character is harmless to a shell, else in single quotes with control
     * characters as {@code '$'\n''} and a single quote as {@code '\''}.
     */
    static String shown(String name) {
        if (name.isEmpty()) {
            return "''";
        }
        boolean quote = false;
        for (int i = 0; i < name.length() && !quote; i++) {
            quote = !harmless(name, i);
        }
        if (!quote) {
            return name;
        }
        StringBuilder b = new StringBuilder("'");
        boolean escaping = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (!escaping) {
                    b.append("'$'");
                    escaping = true;
                }
                b.append('\\').append(switch (c) {
                    case 0x07 -> "a";
                    case '\b' -> "b";
                    case '\f' -> "f";
                    case '\n' -> "n";
                    case '\r' -> "r";
                    case '\t' -> "t";
                    case 0x0b -> "v";
                    default -> String.format("%03o", (int) c);
                });
                continue;
            }
            if (escaping) {
                b.append("''");
                escaping = false;
            }
            b.append(c == '\'' ? "'\\''" : String.valueOf(c));
        }
        return b.append('\'').toString();
    }

    private static boolean harmless(String s, int i) {
        char c = s.charAt(i);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "%+,-./]_".indexOf(c) >= 0) {
            return true;
        }
        if (c == '#' || c == '~') {
            return i != 0;
        }
        if (c == '{' || c == '}') {
            return s.length() != 1;
        }
        return c >= 0x80 && !Character.isISOControl(c);
    }

    static String describe(Exception failure) {
        if (failure instanceof IOException io) {
            return IoErrors.reason(io);
        }
        return failure.toString();
    }
}
