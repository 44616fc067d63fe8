package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.pipeline.DebianPackages;
import io.vaultcube.pipeline.pipeline.PipelineFile;
import io.vaultcube.pipeline.pipeline.PipelineParser;
import io.vaultcube.pipeline.pipeline.PipelineResult;
import io.vaultcube.pipeline.pipeline.PipelineRunner;
import io.vaultcube.pipeline.pipeline.Preflight;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault pipeline run|check FILE}: the YAML pipeline, the same stages as Jenkinsfile.example. */
@Command(
        header = "Run or check a YAML pipeline, from Packer build to promotion.",
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Runs a YAML pipeline (docs/pipeline-file.md): Packer build, provisioning, GPU validation,"
                + " benchmarks, stress test, gate and promotion, each with the runner the Jenkins step runs.",
        subcommands = {PipelineCommand.Run.class, PipelineCommand.Check.class})
final class PipelineCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw SubcommandRequired.error(spec);
    }

    /** Reads and checks a pipeline file, and everything it names, before anything runs. */
    static PipelineFile load(Path file, Path workDir) throws IOException {
        PipelineFile pipeline = PipelineParser.load(file);
        Preflight.check(pipeline, workDir);
        return pipeline;
    }

    @Command(
            header = "Run every stage of a pipeline file, in order.",
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Runs every stage of the pipeline file in order, all evidence in one directory, the gates over"
                        + " it (reports in each gate stage's directory) and the promotions the gates allow. Relative"
                        + " paths in the file resolve against the current directory; $${evidence} is the run's"
                        + " evidence directory.",
                "Exit: 0 all passed; 1 a stage or gate failed; 3 unstable; 2 a malformed pipeline file (nothing"
                        + " is run); 130 aborted.",
            })
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file (YAML).")
        Path file;

        @Option(names = "--evidence", paramLabel = "DIR",
                description = "The evidence directory (default: the file's 'evidence', else vault-runs/NAME-TIME).")
        Path evidence;

        @Option(names = "--no-install",
                description = "Do not install the missing Debian packages the file lists in debian_packages (by default"
                        + " they are installed with apt-get, as root or through sudo -n, before the preflight).")
        boolean noInstall;

        @Override
        public Integer call() throws IOException {
            Path workDir = Path.of("").toAbsolutePath();
            PipelineFile pipeline = PipelineParser.load(file);
            PrintWriter out = spec.commandLine().getOut();
            out.flush();
            PrintStream console = new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8);
            installMissingPackages(pipeline, console, noInstall);
            Preflight.check(pipeline, workDir);
            PipelineResult result;
            result = new PipelineRunner().run(pipeline, workDir, evidence, console);
            console.flush();
            if (result.aborted()) {
                return ExitCodes.INTERRUPTED;
            }
            if (result.failed()) {
                return ExitCodes.FAILURE;
            }
            return result.unstable() ? ExitCodes.UNSTABLE : ExitCodes.OK;
        }
    }

    /** Installs the file's missing debian_packages, or stops with what to do (exit 2) when vault cannot. */
    private static void installMissingPackages(PipelineFile pipeline, PrintStream console, boolean noInstall)
            throws IOException {
        DebianPackages packages = new DebianPackages();
        List<String> missing = packages.missing(pipeline.debianPackages());
        if (missing.isEmpty()) {
            return;
        }
        if (noInstall) {
            // The tools may come from elsewhere (a vendor's build of packer): the preflight checks them.
            console.println("vault: not installing the Debian packages " + String.join(", ", missing)
                    + " (--no-install); the preflight checks the tools the stages run");
            return;
        }
        try {
            packages.install(missing, console);
        } catch (DebianPackages.CannotInstall e) {
            throw new CliException(ExitCodes.USAGE, "the pipeline " + pipeline.file() + " needs the Debian packages "
                    + String.join(", ", missing) + " (its debian_packages), which are not installed, and vault could"
                    + " not install them: " + e.getMessage());
        }
    }

    @Command(
            header = "Check a pipeline file and the files it names; run nothing.",
            name = "check",
            mixinStandardHelpOptions = true,
            description = {
                "Checks a pipeline file without running it: its format, every stage's settings, and the files"
                        + " it names (templates, playbooks, policies, recorded evidence).",
                "Exit: 0 valid; 2 not.",
            })
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline file (YAML).")
        Path file;

        @Override
        public Integer call() throws IOException {
            PipelineFile pipeline = load(file, Path.of("").toAbsolutePath());
            PrintWriter out = spec.commandLine().getOut();
            out.println("pipeline " + file + " (" + pipeline.name() + "): " + pipeline.stages().size()
                    + " stages; valid");
            pipeline.stages().forEach(s -> out.println("  " + s.name() + " (" + s.kind() + ")"));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Bytes written to the console go through picocli's writer, so tests can capture them. */
    private static final class WriterStream extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        WriterStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            // Whole lines only, so that a character split across two writes is decoded whole.
            for (int i = off + len - 1; i >= off; i--) {
                if (b[i] == '\n') {
                    flush();
                    return;
                }
            }
        }

        @Override
        public synchronized void flush() {
            out.print(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            out.flush();
        }
    }
}
