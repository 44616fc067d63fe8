package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.image.ChecksumOutput;
import io.vaultcube.pipeline.image.Checksums;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.OrderedParallel;
import io.vaultcube.pipeline.image.ProgressMeter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault checksum FILE...} and {@code vault checksum --check SHA256SUMS}: sha256sum, at the speed of the CPU. */
@Command(
        header = "SHA-256 of files, or check a SHA256SUMS file, like sha256sum.",
        name = "checksum",
        mixinStandardHelpOptions = true,
        description = {
            "SHA-256 of files, as coreutils sha256sum writes it; --check verifies SHA256SUMS.",
            "Prints one line per FILE in sha256sum's format (which 'sha256sum -c' accepts, odd names escaped as"
                    + " coreutils does), hashing several files in parallel; '-' or no FILE reads standard input."
                    + " With --check, reads SHA256SUMS files (ours or coreutils') and verifies each listed file like"
                    + " 'sha256sum -c'. A progress line is drawn on stderr when it is a terminal.",
            "Exit: 0 all good; 1 a checksum did not match or a listed file is missing or unreadable; 2 a FILE or"
                    + " checksum file could not be read, or has no checksum lines.",
        })
final class ChecksumCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to hash, or with --check the checksum files.")
    List<String> files = new ArrayList<>();

    @Option(names = {"-c", "--check"}, description = "Read checksums from the FILEs and check them.")
    boolean check;

    @Option(names = "--tag", description = "Write BSD-style lines: SHA256 (FILE) = HEX.")
    boolean tag;

    @Option(names = "--quiet", description = "With --check: do not print OK for each verified file.")
    boolean quiet;

    @Option(names = "--status", description = "With --check: print nothing; the exit status tells.")
    boolean status;

    @Option(names = "--strict", description = "With --check: fail on improperly formatted lines.")
    boolean strict;

    @Option(names = {"-w", "--warn"}, description = "With --check: warn about improperly formatted lines.")
    boolean warn;

    @Option(names = "--ignore-missing", description = "With --check: say nothing of missing files (fail if none was verified).")
    boolean ignoreMissing;

    @Option(names = "--threads", paramLabel = "N", description = "Files hashed at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress line on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        if (!check && (quiet || status || strict || warn || ignoreMissing)) {
            throw CliException.usage("--quiet, --status, --strict, --warn and --ignore-missing need --check");
        }
        if (check && tag) {
            throw CliException.usage("--tag is meaningless with --check");
        }
        List<String> operands = files.isEmpty() ? List.of("-") : files;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ChecksumOutput output = new ChecksumOutput() {
            @Override
            public void line(String text) {
                out.print(text + "\n");
                out.flush();
            }

            @Override
            public void message(String text) {
                err.print("vault checksum: " + text + "\n");
                err.flush();
            }
        };
        try (ProgressMeter meter = progressMeter(spec, progress, check ? "check" : "checksum")) {
            Checksums checksums = new Checksums(new FileHasher(), threads(threads), meter,
                    () -> Channels.newChannel(System.in));
            if (!check) {
                int failed = checksums.hashFiles(operands, tag, output);
                return failed == 0 ? ExitCodes.OK : ExitCodes.USAGE;
            }
            int code = ExitCodes.OK;
            Checksums.CheckOptions options = new Checksums.CheckOptions(quiet, status, strict, warn, ignoreMissing);
            for (String checkFile : operands) {
                boolean fromStdin = "-".equals(checkFile);
                byte[] content;
                try {
                    content = fromStdin ? System.in.readAllBytes() : Files.readAllBytes(Path.of(checkFile));
                } catch (IOException e) {
                    output.message(checkFile + ": " + io.vaultcube.pipeline.image.IoErrors.reason(e));
                    code = worse(code, ExitCodes.USAGE);
                    continue;
                }
                Checksums.CheckResult result = checksums.check(fromStdin ? "standard input" : checkFile, content,
                        fromStdin, options, output);
                if (result.noProperlyFormattedLines()) {
                    code = worse(code, ExitCodes.USAGE);
                } else if (!result.ok()) {
                    code = worse(code, ExitCodes.FAILURE);
                }
            }
            return code;
        }
    }

    /** A checksum that did not match (1) is worse news than input that could not be read (2). */
    private static int worse(int a, int b) {
        if (a == ExitCodes.FAILURE || b == ExitCodes.FAILURE) {
            return ExitCodes.FAILURE;
        }
        return Math.max(a, b);
    }

    static int threads(Integer option) {
        if (option == null) {
            return OrderedParallel.defaultThreads();
        }
        if (option < 1) {
            throw CliException.usage("--threads must be at least 1");
        }
        return option;
    }

    /** A progress meter drawing on stderr when asked, or by default when stderr is a terminal. */
    static ProgressMeter progressMeter(CommandSpec spec, Boolean option, String label) {
        boolean show = option != null ? option : stderrIsTerminal();
        return show ? ProgressMeter.onTerminal(spec.commandLine().getErr(), label, Duration.ofMillis(500))
                : ProgressMeter.silent();
    }

    /** isatty(2), the Linux way (the JDK has no isatty for stderr). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
