package io.vaultcube.pipeline.run.stress;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.run.ChildEnvironment;
import io.vaultcube.pipeline.run.EvidenceLog;
import io.vaultcube.pipeline.run.Executables;
import io.vaultcube.pipeline.run.StageRecorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernel log of a run's window, kept as the stage's {@code kernel.log}:
 * {@code journalctl -k --since @START --until @END --no-pager -o short-iso}, START and END in whole
 * epoch seconds around the run. When the journal cannot be read (journalctl missing or failing, no
 * journal files, or a user who may not see the system's messages, whom journalctl shows an empty
 * kernel log with only a hint on stderr), {@code dmesg} instead: its whole ring buffer, so Xids from
 * before the run count too (fail closed). Nothing readable: no file, and a message why.
 */
final class KernelLogWindow {
    static final String FILE = "kernel.log";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(180);

    private KernelLogWindow() {
    }

    /**
     * The outcome.
     *
     * @param captured whether {@code kernel.log} holds a readable log
     * @param source what it is, for messages
     * @param note what a person should know (the fallback, why nothing could be read), or null
     */
    record Capture(boolean captured, String source, String note) {
    }

    static Capture capture(ProcessRunner processes, StressSettings settings, StageEvidence stage, Instant since,
            Instant until, StageRecorder recorder) throws IOException {
        Map<String, String> env = ChildEnvironment.of(settings.process().environment());
        Path file = stage.file(FILE);
        String journalProblem;
        Path journalctl = Executables.find(settings.journalctl(), env.get("PATH")).orElse(null);
        if (journalctl == null) {
            journalProblem = settings.journalctl() + " not found";
        } else {
            long from = since.getEpochSecond() - 1;
            long to = until.getEpochSecond() + 2;
            List<String> stderr = new ArrayList<>();
            ProcessResult r = run(processes, settings, List.of(journalctl.toString(), "-k", "--since", "@" + from,
                    "--until", "@" + to, "--no-pager", "-o", "short-iso"), file, stderr, recorder);
            String err = String.join(" ", stderr);
            if (r.exitCode() != 0) {
                journalProblem = "journalctl exited " + r.exitCode() + (err.isEmpty() ? "" : ": " + err);
            } else if (err.contains("No journal files were found") || err.contains("not seeing messages")
                    || err.contains("insufficient permissions")) {
                journalProblem = "journalctl cannot read the system journal: " + err;
            } else if (Files.size(file) == 0) {
                journalProblem = "journalctl printed nothing";
            } else {
                return new Capture(true, "journalctl -k --since @" + from + " --until @" + to, null);
            }
        }
        Path dmesg = Executables.find(settings.dmesg(), env.get("PATH")).orElse(null);
        if (dmesg != null) {
            List<String> stderr = new ArrayList<>();
            ProcessResult r = run(processes, settings, List.of(dmesg.toString()), file, stderr, recorder);
            if (r.exitCode() == 0 && Files.size(file) > 0) {
                return new Capture(true, "dmesg", "the kernel log of the run's window could not be read ("
                        + journalProblem + "); " + stage.name() + "/" + FILE + " is dmesg's whole ring buffer, so"
                        + " Xids from before the run count too");
            }
            journalProblem += "; dmesg " + (r.exitCode() != 0 ? "exited " + r.exitCode() + ": "
                    + String.join(" ", stderr) : "printed nothing");
        } else {
            journalProblem += "; " + settings.dmesg() + " not found";
        }
        Files.deleteIfExists(file);
        return new Capture(false, null, "the kernel log of the run's window is unreadable (" + journalProblem
                + "); run as root or in group adm");
    }

    private static ProcessResult run(ProcessRunner processes, StressSettings settings, List<String> argv, Path file,
            List<String> stderr, StageRecorder recorder) throws IOException {
        ProcessResult r;
        try (EvidenceLog log = new EvidenceLog(file)) {
            ProcessSpec spec = ChildEnvironment.apply(ProcessSpec.builder(argv), settings.process().environment())
                    .timeout(COMMAND_TIMEOUT)
                    .listener((source, line) -> {
                        if (source == io.vaultcube.pipeline.exec.OutputSource.STDOUT) {
                            log.onLine(source, line);
                        } else if (stderr.size() < 20) {
                            stderr.add(line.strip());
                        }
                    })
                    .build();
            r = processes.run(spec);
        }
        recorder.command(r);
        return r;
    }
}
