package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.stress.DetachedSoak;
import io.vaultcube.pipeline.run.stress.StressRunner;
import io.vaultcube.pipeline.run.stress.StressSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault stress --duration 24h -- WORKLOAD...}: the thermal soak with telemetry. */
@Command(
        header = "Run the stress test with telemetry, then summarise it.",
        name = "stress",
        mixinStandardHelpOptions = true,
        description = "Runs a GPU workload (after --) for --duration while the telemetry sampler records every GPU,"
                + " prints progress, stops the workload at the end, and summarises telemetry, the kernel log of the"
                + " run's window and the workload's verdict into stage 'stress' (or --stage-name, e.g. stress-1h)."
                + " Ctrl-C stops both, keeps what was sampled and marks the run incomplete (exit 130)."
                + " --detach runs the soak in a process of its own that outlives this one (it prints the stage"
                + " directory and exits); --attach DIR follows it and reports it as a run does; --stop DIR stops it.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the soak ran its whole duration with no fault found",
            "1:a fault (Xid, faulty GPU, no verdict, no telemetry) or it ended early",
            "2:bad usage: no workload or sampler, a bad duration, a non-empty stage",
            "130:aborted (Ctrl-C or SIGTERM); the evidence is kept, incomplete; for --attach: the attacher"
                    + " was stopped, the detached soak goes on",
        })
final class StressCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "How long the soak runs: 24h, 6h, 90m, 1h30m, 20s (required unless --attach/--stop).")
    Duration duration;

    @Option(names = "--detach",
            description = "Start the soak in a process of its own (its own session: it outlives this command and"
                    + " the terminal), print its stage directory and exit.")
    boolean detach;

    @Option(names = "--attach", paramLabel = "STAGE_DIR",
            description = "Follow a detached soak (its console from the start), wait for its end and report it"
                    + " as a run does. Several may attach at once; stopping one leaves the soak running.")
    Path attach;

    @Option(names = "--stop", paramLabel = "STAGE_DIR",
            description = "Stop a detached soak as Ctrl-C stops a run (summarised, ABORTED) and report it.")
    Path stop;

    @Parameters(paramLabel = "WORKLOAD", arity = "0..*",
            description = "After --: the workload, e.g. -- python3 scripts/stress-gpus.py --duration 25h.")
    List<String> workload = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "D", defaultValue = "5s", converter = DurationConverter.class,
            description = "Telemetry sampling interval (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--progress-every", paramLabel = "D", defaultValue = "60s", converter = DurationConverter.class,
            description = "How often a progress line is printed (default: ${DEFAULT-VALUE}).")
    Duration progressEvery;

    @Option(names = "--stage-name", paramLabel = "NAME", defaultValue = "stress",
            description = "The stage (default: ${DEFAULT-VALUE}); another (stress-1h) prefixes its metric names.")
    String stageName;

    @Option(names = "--end-grace", paramLabel = "D", defaultValue = "0s", converter = DurationConverter.class,
            description = "Time a self-timed workload (gpu-burn) has after the end to finish (default: 0s).")
    Duration endGrace;

    @Option(names = "--stop-grace", paramLabel = "D", converter = DurationConverter.class,
            description = "Time the workload has after SIGINT before SIGTERM (default: 90s).")
    Duration stopGrace;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory (default: ./vault-runs/<UTC time>/).")
    Path evidence;

    @Option(names = "--sampler", paramLabel = "PATH",
            description = "The telemetry sampler (default: $VAULT_SAMPLER, else SCRIPTS/sample-telemetry.sh).")
    Path sampler;

    @Option(names = "--scripts", paramLabel = "DIR",
            description = "The scripts directory (default: $VAULT_SCRIPTS, else scripts/ here or in the repository).")
    Path scripts;

    @Option(names = "--journalctl", paramLabel = "PATH", defaultValue = "journalctl",
            description = "The journalctl executable (default: on PATH).")
    String journalctl;

    @Option(names = "--dmesg", paramLabel = "PATH", defaultValue = "dmesg",
            description = "The dmesg executable, used when the journal is unreadable (default: on PATH).")
    String dmesg;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (attach != null || stop != null) {
            if (attach != null && stop != null || detach || duration != null || !workload.isEmpty()) {
                throw CliException.usage("--attach and --stop take only the stage directory");
            }
            return follow(out);
        }
        if (duration == null || workload.isEmpty()) {
            throw CliException.usage("give --duration and the workload after --"
                    + (duration == null ? " (--duration is missing)" : " (no WORKLOAD after --)"));
        }
        StressSettings settings = settings();
        if (detach) {
            return detach(settings, out);
        }
        RunResult result = RunExit.run(new StressRunner(), settings, evidence, out);
        return RunExit.report(out, "stress", result);
    }

    private int detach(StressSettings settings, PrintWriter out) throws IOException {
        EvidenceDir dir = EvidenceOption.open(evidence, settings.stageName());
        DetachedSoak.State state;
        try {
            state = DetachedSoak.detach(settings, dir.stage(settings.stageName()), DetachedSoak.Launch.thisJvm());
        } catch (RunSetupException e) {
            throw CliException.usage(e.getMessage());
        }
        out.println("vault stress: detached (supervisor pid " + state.pid() + ", planned end "
                + state.plannedEnd().truncatedTo(ChronoUnit.SECONDS) + "); follow it with: vault stress --attach "
                + state.stageDir());
        out.println(state.stageDir());
        out.flush();
        return ExitCodes.OK;
    }

    private int follow(PrintWriter out) throws IOException {
        Path dir = attach != null ? attach : stop;
        RunResult result;
        try (ConsoleStream console = new ConsoleStream(out)) {
            result = attach != null ? DetachedSoak.attach(dir, console) : DetachedSoak.stop(dir, console);
        } catch (DetachedSoak.AttachException e) {
            // Fails closed: a soak that cannot be followed is never reported as passed.
            spec.commandLine().getErr().println("vault stress: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return ExitCodes.FAILURE;
        } catch (InterruptedException e) {
            out.println("vault stress: the attacher was stopped; the detached soak goes on (vault stress --attach "
                    + dir.toAbsolutePath() + " to follow it, --stop to stop it)");
            out.flush();
            return ExitCodes.INTERRUPTED;
        }
        return RunExit.report(out, "stress", result);
    }

    private StressSettings settings() {
        try {
            StressSettings.Builder b = StressSettings.builder(workload, duration,
                    ScriptsDirectory.sampler(sampler, scripts)).interval(interval).progressEvery(progressEvery)
                    .stageName(stageName).endGrace(endGrace).journalctl(journalctl).dmesg(dmesg);
            if (stopGrace != null) {
                b.graces(stopGrace, ProcessControl.DEFAULT_TERMINATE_GRACE);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}
