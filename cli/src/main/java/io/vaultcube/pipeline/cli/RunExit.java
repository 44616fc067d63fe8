package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.StageRunner;
import io.vaultcube.pipeline.run.StageSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** How a run command runs its runner, and its end: where the evidence is, and the exit status. */
final class RunExit {
    private RunExit() {
    }

    /**
     * Runs a runner into its stage of the evidence directory, its output on {@code out}; nothing
     * started (a missing input or tool) is a usage error.
     *
     * @param evidence the --evidence option, or null for a fresh directory
     */
    static <S extends StageSettings> RunResult run(StageRunner<S> runner, S settings, Path evidence, PrintWriter out)
            throws IOException {
        EvidenceDir dir = EvidenceOption.open(evidence, settings.stageName());
        try (ConsoleStream console = new ConsoleStream(out)) {
            return runner.run(settings, console, dir.stage(settings.stageName()));
        } catch (RunSetupException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    static int report(PrintWriter out, String command, RunResult result) {
        out.printf(Locale.ROOT, "vault %s: %s in %.1f s; evidence: %s%n", command, result.status(),
                result.duration().toMillis() / 1000.0, result.stageDirectory());
        out.flush();
        return switch (result.status()) {
            case SUCCEEDED -> ExitCodes.OK;
            case ABORTED -> ExitCodes.INTERRUPTED;
            default -> ExitCodes.FAILURE;
        };
    }
}
