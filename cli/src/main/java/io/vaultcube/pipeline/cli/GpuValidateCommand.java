package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.gpu.GpuValidateRunner;
import io.vaultcube.pipeline.run.gpu.GpuValidateSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault gpu-validate}: GPU detection and health into stage 'gpu' (live or from a recording). */
@Command(
        header = "Validate the GPUs (validate-gpus.sh) or read a recorded run.",
        name = "gpu-validate",
        mixinStandardHelpOptions = true,
        description = "Runs scripts/validate-gpus.sh (its output live) into stage 'gpu' of the evidence directory,"
                + " or reads a recorded collection (--from), and turns its files into the gpu metrics: inventory,"
                + " nvidia-smi -q, kernel log since boot (Xid), lspci count. No NVIDIA driver is a clear failure."
                + " Ctrl-C stops the script and its load (exit 130).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:collected, and no clear fault",
            "1:a fault, no NVIDIA driver, or evidence missing or unreadable",
            "2:bad usage: no script or recorded collection, a non-empty stage",
            "130:aborted (Ctrl-C or SIGTERM); the script was stopped",
        })
final class GpuValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory (default: ./vault-runs/<UTC time>/).")
    Path evidence;

    @Option(names = "--from", paramLabel = "DIR",
            description = "Read a recorded collection (validate-gpus.sh --evidence DIR) instead of running.")
    Path from;

    @Option(names = "--expect-count", paramLabel = "N", description = "GPUs expected (nvidia-smi and lspci).")
    Integer expectCount;

    @Option(names = "--expect-model", paramLabel = "NAME", description = "The exact name of every GPU.")
    String expectModel;

    @Option(names = "--expect-memory-mib", paramLabel = "N", description = "The least memory.total of every GPU.")
    Integer expectMemoryMib;

    @Option(names = "--expect-pcie-gen", paramLabel = "N", description = "Least PCIe gen under load (live).")
    Integer expectPcieGen;

    @Option(names = "--expect-pcie-width", paramLabel = "N", description = "Least PCIe width under load (live).")
    Integer expectPcieWidth;

    @Option(names = "--expect-driver-min", paramLabel = "VER", description = "Least driver version (live).")
    String expectDriverMin;

    @Option(names = "--max-idle-temp", paramLabel = "C", description = "Highest idle temperature (live).")
    Integer maxIdleTemp;

    @Option(names = "--no-load", description = "Run no load: PCIe under load is not measured (live).")
    boolean noLoad;

    @Option(names = "--load-seconds", paramLabel = "S", description = "Seconds sampled under load (live).")
    Integer loadSeconds;

    @Option(names = "--load-warmup", paramLabel = "S", description = "Seconds of load before sampling (live).")
    Integer loadWarmup;

    @Option(names = "--python", paramLabel = "PATH", description = "Python with torch for the default load.")
    String python;

    @Option(names = "--scripts", paramLabel = "DIR",
            description = "The scripts directory (default: $VAULT_SCRIPTS, else scripts/ here or in the repository).")
    Path scripts;

    @Parameters(paramLabel = "LOAD_COMMAND", arity = "0..*",
            description = "After --: a load instead of stress-gpus.py (live), e.g. -- gpu_burn 40.")
    List<String> loadCommand = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        GpuValidateSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        RunResult result = RunExit.run(new GpuValidateRunner(), settings, evidence, out);
        if (from != null) {
            out.println("vault gpu-validate: recorded evidence from " + from.toAbsolutePath().normalize()
                    + " (nothing was run on this host)");
        }
        return RunExit.report(out, "gpu-validate", result);
    }

    private GpuValidateSettings settings() {
        try {
            GpuValidateSettings.Builder b = from != null ? GpuValidateSettings.recorded(from.toAbsolutePath())
                    : GpuValidateSettings.live(ScriptsDirectory.resolve(scripts).resolve("validate-gpus.sh"));
            return b.expectCount(expectCount).expectModel(expectModel).expectMemoryMib(expectMemoryMib)
                    .expectPcieGen(expectPcieGen).expectPcieWidth(expectPcieWidth).expectDriverMin(expectDriverMin)
                    .maxIdleTempC(maxIdleTemp).noLoad(noLoad).loadSeconds(loadSeconds).loadWarmupSeconds(loadWarmup)
                    .python(python).loadCommand(loadCommand).build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
