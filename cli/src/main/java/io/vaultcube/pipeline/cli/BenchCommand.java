package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.bench.BenchKind;
import io.vaultcube.pipeline.run.bench.BenchRunner;
import io.vaultcube.pipeline.run.bench.BenchSettings;
import java.io.IOException;
import java.io.PrintWriter;
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

/** {@code vault bench ddp|tensorflow|vllm -- COMMAND...}: a benchmark with telemetry into its stage. */
@Command(
        header = "Run a DDP, TensorFlow or vLLM benchmark with telemetry.",
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs a benchmark command (after --; nothing is appended to it) with telemetry sampled while"
                + " it runs, keeps its output, and writes its metrics to stage bench-KIND: the result"
                + " (VAULT_RESULT_JSON, which our scripts take as --json-out; vLLM's own output too) and the"
                + " telemetry as KIND.telemetry.*. Ctrl-C stops it (exit 130).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the benchmark ran and its result and telemetry were read",
            "1:it failed, left no readable result, or telemetry is missing",
            "2:bad usage: unknown kind, no command, no sampler, a non-empty stage",
            "130:aborted (Ctrl-C or SIGTERM); the benchmark was stopped",
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "ddp, tensorflow or vllm.")
    String kind;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*",
            description = "After --: the benchmark, e.g. -- python3 scripts/test-pytorch-ddp.py --nproc 4.")
    List<String> command = new ArrayList<>();

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory (default: ./vault-runs/<UTC time>/).")
    Path evidence;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s", converter = DurationConverter.class,
            description = "Telemetry sampling interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--sampler", paramLabel = "PATH",
            description = "The telemetry sampler (default: $VAULT_SAMPLER, else SCRIPTS/sample-telemetry.sh).")
    Path sampler;

    @Option(names = "--no-telemetry", description = "Sample no telemetry (no KIND.telemetry.* metrics).")
    boolean noTelemetry;

    @Option(names = "--stage-name", paramLabel = "NAME",
            description = "Another stage than bench-KIND (e.g. bench-ddp-amp); its metric names get its prefix.")
    String stageName;

    @Option(names = "--timeout", paramLabel = "D", converter = DurationConverter.class,
            description = "Stop the benchmark after this long (default: none).")
    Duration timeout;

    @Option(names = "--scripts", paramLabel = "DIR",
            description = "The scripts directory (default: $VAULT_SCRIPTS, else scripts/ here or in the repository).")
    Path scripts;

    @Override
    public Integer call() throws IOException {
        BenchSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        RunResult result = RunExit.run(new BenchRunner(), settings, evidence, out);
        return RunExit.report(out, "bench " + settings.kind().id(), result);
    }

    private BenchSettings settings() {
        try {
            BenchSettings.Builder b = BenchSettings.builder(BenchKind.of(kind), command).interval(interval)
                    .telemetry(!noTelemetry).stageName(stageName).timeout(timeout);
            if (!noTelemetry) {
                b.sampler(ScriptsDirectory.sampler(sampler, scripts));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
