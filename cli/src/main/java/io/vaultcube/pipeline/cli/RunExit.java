package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.RunResult;
import java.io.PrintWriter;
import java.util.Locale;

/** The end of a run command: where the evidence is, and the exit status. */
final class RunExit {
    private RunExit() {
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
