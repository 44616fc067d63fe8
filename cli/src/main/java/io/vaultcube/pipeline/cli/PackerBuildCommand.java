package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.packer.PackerRunner;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault packer-build}: a Packer build with its evidence, masked secrets and a clean abort. */
@Command(
        header = "Build an image with Packer: validate, build, evidence, masking.",
        name = "packer-build",
        mixinStandardHelpOptions = true,
        description = "Runs packer init (Packer >= 1.7), packer validate and packer build -machine-readable, shows"
                + " Packer's output live, and keeps the raw log, the metrics and stage.json in stage 'packer' of the"
                + " evidence directory. Fails when a build errored, when --only/--except matched no build, or when"
                + " no artifact was made. Variables reach Packer in a private variable file, never on the command"
                + " line; sensitive values are masked in the console and the evidence. Give a secret with"
                + " --sensitive-var-from-env or --sensitive-var-file: vault's own command line (--var,"
                + " --sensitive-var) is readable by other users of the machine. Ctrl-C gives Packer SIGINT"
                + " and a grace to clean up (exit 130).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the build succeeded with artifacts",
            "1:the build failed (or made no artifact, or matched no build)",
            "2:bad usage: missing template or variable file, packer not installed",
            "130:aborted (Ctrl-C or SIGTERM); Packer was stopped",
        })
final class PackerBuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TEMPLATE_OR_DIR",
            description = "A template (.pkr.hcl, .pkr.json, legacy .json) or a directory of HCL2 files.")
    Path template;

    @Option(names = "--var", paramLabel = "K=V", description = "A variable (repeatable)." + SecretOptions.ARGV_VISIBLE
            + " never give a secret this way.")
    List<String> vars = new ArrayList<>();

    @Option(names = "--sensitive-var", paramLabel = "K=V",
            description = "A variable whose value is a secret: masked in the console and the evidence (repeatable)."
                    + SecretOptions.ARGV_VISIBLE + " prefer --sensitive-var-from-env or --sensitive-var-file.")
    List<String> sensitiveVars = new ArrayList<>();

    @Option(names = "--sensitive-var-from-env", paramLabel = "K=ENVVAR",
            description = "A sensitive variable whose value is in the environment variable ENVVAR (repeatable);"
                    + " masked like --sensitive-var, and on no command line.")
    List<String> sensitiveVarsFromEnv = new ArrayList<>();

    @Option(names = "--sensitive-var-file", paramLabel = "K=FILE",
            description = "A sensitive variable whose value is the content of FILE, without its final line end"
                    + " (repeatable); masked like --sensitive-var, and on no command line.")
    List<String> sensitiveVarFiles = new ArrayList<>();

    @Option(names = "--var-file", paramLabel = "F", description = "A variable file (repeatable); --var wins over it.")
    List<Path> varFiles = new ArrayList<>();

    @Option(names = "--only", paramLabel = "X", split = ",", description = "Build only these builds.")
    List<String> only = new ArrayList<>();

    @Option(names = "--except", paramLabel = "X", split = ",", description = "Build all but these builds.")
    List<String> except = new ArrayList<>();

    @Option(names = "--on-error", paramLabel = "cleanup|abort|ask",
            description = "What Packer does when a build fails (default: Packer's, cleanup).")
    String onError;

    @Option(names = "--force", description = "Delete existing artifacts before building.")
    boolean force;

    @Option(names = "--packer", paramLabel = "PATH", description = "The packer executable (default: packer on PATH).")
    String packer = "packer";

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory (default: ./vault-runs/<UTC time>/).")
    Path evidence;

    @Override
    public Integer call() throws IOException {
        PackerSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        RunResult result = RunExit.run(new PackerRunner(), settings, evidence, out);
        return RunExit.report(out, "packer-build", result);
    }

    private PackerSettings settings() {
        PackerSettings.Builder b = PackerSettings.builder(template.toAbsolutePath()).force(force).packer(packer);
        try {
            for (String v : vars) {
                String[] kv = EvidenceOption.keyValue("--var", v, false);
                b.var(kv[0], kv[1]);
            }
            for (String v : sensitiveVars) {
                String[] kv = EvidenceOption.keyValue("--sensitive-var", v, true);
                b.sensitiveVar(kv[0], kv[1]);
            }
            for (String v : sensitiveVarsFromEnv) {
                String[] kv = SecretOptions.fromEnv("--sensitive-var-from-env", v, System.getenv());
                b.sensitiveVar(kv[0], kv[1]).env(kv[2], null);
            }
            for (String v : sensitiveVarFiles) {
                String[] kv = SecretOptions.fromFile("--sensitive-var-file", v);
                b.sensitiveVar(kv[0], kv[1]);
            }
            varFiles.forEach(f -> b.varFile(f.toAbsolutePath()));
            only.forEach(b::only);
            except.forEach(b::except);
            if (onError != null) {
                b.onError(onError(onError));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    private static PackerSettings.OnError onError(String text) {
        for (PackerSettings.OnError choice : PackerSettings.OnError.values()) {
            if (choice.flag().equals(text.toLowerCase(Locale.ROOT))) {
                return choice;
            }
        }
        throw CliException.usage("--on-error must be cleanup, abort, ask or run-cleanup-provisioner, not '" + text + "'");
    }
}
