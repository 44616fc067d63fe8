package io.vaultcube.pipeline.run.stress;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessOutcome;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.exec.RunningProcess;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.run.Console;
import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.run.Executables;
import io.vaultcube.pipeline.run.PrivateTempDir;
import io.vaultcube.pipeline.run.RecordedStage;
import io.vaultcube.pipeline.run.ResultJson;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SessionRunner;
import io.vaultcube.pipeline.run.StageNaming;
import io.vaultcube.pipeline.run.StageSession;
import io.vaultcube.pipeline.run.TelemetryFollower;
import io.vaultcube.pipeline.run.TelemetrySampler;
import io.vaultcube.pipeline.run.ToolLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The thermal soak: runs a GPU workload for a planned duration while the telemetry sampler
 * records every GPU, then summarises the telemetry, the kernel log of the run's window and the
 * workload's own verdict into the stress stage (see docs/runners.md).
 *
 * <ol>
 *   <li>The sampler starts ({@code telemetry.csv}), then the workload ({@code workload.log}, with
 *       {@value ResultJson#VARIABLE} naming {@code workload-result.json}).</li>
 *   <li>Every {@code progressEvery} a line: elapsed, time left, the hottest GPU, throttle events so
 *       far, read incrementally from the growing telemetry file ({@link TelemetryFollower}).</li>
 *   <li>At the planned end (after {@code endGrace} for a workload that times itself), the workload
 *       is stopped: SIGINT to its process group, a grace, SIGTERM, SIGKILL; then the sampler.</li>
 *   <li>Metrics: the telemetry parser's ({@code telemetry.*}, coverage measured against the planned
 *       duration), the kernel log's ({@code stress.xid.*}, {@code stress.gpu.fell_off_bus.count}),
 *       the workload's verdict ({@code stress.workload_ok}, {@code stress.faulty_gpus}, and the
 *       {@code stress_gpus.*} or {@code gpu_burn.*} details), {@code stress.complete},
 *       {@code stress.planned_duration_s}, {@code stress.duration_s}.</li>
 * </ol>
 *
 * <p>An abort (interrupting the calling thread) stops the workload and the sampler the same way,
 * and still summarises what was sampled: the stage is recorded ABORTED, {@code stress.complete} is
 * false, and the coverage of the planned duration shows the missing time. Unlike the Packer and
 * Ansible runners, an aborted stress run writes its metrics: a partial soak is evidence a person
 * wants to read, and the complete and coverage gates fail on it. The thread's interrupt is kept.
 */
public final class StressRunner extends SessionRunner<StressSettings> {
    public static final String WORKLOAD_LOG = "workload.log";
    public static final String RESULT_FILE = "workload-result.json";
    public static final String KERNEL_LOG = KernelLogWindow.FILE;
    private static final Duration POLL = Duration.ofSeconds(1);

    public StressRunner() {
    }

    public StressRunner(ProcessRunner processes) {
        super(processes);
    }

    /** Nothing is started when the workload or the sampler cannot be run. */
    @Override
    protected Work prepare(StressSettings settings, Path workDir, StageEvidence stage)
            throws RunSetupException, IOException {
        StageSession.requireStageOf(settings, stage);
        Path sampler = requireTools(settings, workDir);
        // The private directory keeps the unmasked copy of the workload's output that gpu-burn's verdict is read from.
        return session -> session.withPrivateTemp(null, "vault-stress-",
                (tmp, notesAfterCleanup) -> new Soak(settings, sampler, session).run(tmp));
    }

    /** The workload and the sampler can be run; returns the sampler's path. */
    static Path requireTools(StressSettings settings, Path workDir) throws RunSetupException {
        Map<String, String> env = settings.process().childEnvironment();
        Executables.requireCommand(settings.workload().get(0), workDir, env.get("PATH"), "the workload");
        return Executables.requireSampler(workDir, settings.sampler(),
                "scripts/sample-telemetry.sh, or give one with --sampler");
    }

    /**
     * Reads a recorded soak (its telemetry, kernel log over the run's window and workload result,
     * e.g. the stage directory of a run on the GPU box) into the stage, through the same summary as
     * a live run. Whether that soak ran to its end is taken from its own {@code stage.json}; without
     * one the soak counts as incomplete.
     *
     * @param planned the soak's planned duration (coverage is measured against it)
     * @param interval the sampling interval of the recorded telemetry
     */
    public RunResult replay(Duration planned, Duration interval, Path from, OutputStream consoleStream,
            StageEvidence stage) throws RunSetupException, IOException {
        RecordedStage recorded = RecordedStage.copy(from, stage, "soak");
        Console console = new Console(consoleStream);
        console.println("vault: stress (" + stage.name() + "): reading the recorded soak " + from + " ("
                + recorded.copied().size() + " file(s) copied)");
        // The workload and sampler of a recorded soak ran elsewhere; the settings carry only its plan.
        StressSettings plan = StressSettings.builder(List.of("(recorded)"), planned, from).interval(interval)
                .stageName(stage.name()).build();
        Soak soak = new Soak(plan, null, new StageSession(processes, plan.process(), from, console, stage));
        Optional<StageRecord> original = recorded.originalRecord();
        boolean complete = original.map(r -> r.status() == StageStatus.SUCCEEDED || r.status() == StageStatus.FAILED)
                .orElse(false);
        if (original.isEmpty()) {
            soak.notes.add("the recorded soak has no stage.json saying it ran to its end: counted as incomplete");
        } else if (!complete) {
            soak.notes.add("the recorded soak ended " + original.get().status() + ": counted as incomplete");
        }
        MetricSet named = soak.summarise(complete, null);
        console.println("vault: stress: " + soak.summary(named, complete));
        List<String> messages = new ArrayList<>(soak.faults);
        messages.addAll(soak.notes);
        messages.forEach(m -> console.println("vault: " + m));
        messages.addAll(recorded.provenance());
        return recorded.finish(soak.faults.isEmpty() ? StageStatus.SUCCEEDED : StageStatus.FAILED, named, messages);
    }

    /** One run's state; lives for one call of {@link #run} or {@link #replay}. */
    private final class Soak {
        private final StressSettings settings;
        private final Path samplerPath;
        private final StageSession session;
        private final Console console;
        private final StageEvidence stage;
        private final List<String> faults = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        /** The file the workload's output is parsed from: its unmasked copy in a live run ({@link ToolLog}). */
        private Path workloadOutput;

        Soak(StressSettings settings, Path samplerPath, StageSession session) {
            this.settings = settings;
            this.samplerPath = samplerPath;
            this.session = session;
            this.console = session.console();
            this.stage = session.stage();
            this.workloadOutput = stage.file(WORKLOAD_LOG);
        }

        RunResult run(PrivateTempDir tmp) throws IOException {
            String planned = Durations.format(settings.duration());
            TelemetryFollower follower = new TelemetryFollower(stage.file(TelemetrySampler.FILE));
            console.println("vault: stress (" + stage.name() + "): " + planned + " planned, telemetry every "
                    + Durations.format(settings.interval()) + " by " + samplerPath + " into " + stage.name() + "/"
                    + TelemetrySampler.FILE);
            Instant windowStart = Instant.now();
            TelemetrySampler sampler = TelemetrySampler.start(processes, samplerPath, settings.interval(), stage,
                    settings.process().environment(), session.workDir(), console);
            // The workload starts under observation: after the sampler's first sample.
            Duration limit = TelemetrySampler.firstSampleLimit(settings.interval());
            boolean sampling;
            try {
                sampling = sampler.awaitFirstSample(stage.file(TelemetrySampler.FILE), limit);
            } catch (InterruptedException e) {
                session.command(sampler.stop().result());
                Thread.interrupted();
                notes.add("aborted before the workload started");
                return finish(false, new Window(windowStart, Instant.now(), Duration.ZERO, true));
            }
            if (!sampling) {
                TelemetrySampler.Stopped s = sampler.stop();
                session.command(s.result());
                faults.add(s.noFirstSample(limit) + "; the workload was not started: a soak without telemetry proves nothing");
                return finish(false, null);
            }

            Map<String, String> env = new LinkedHashMap<>();
            env.put(ResultJson.VARIABLE, stage.file(RESULT_FILE).toString());
            env.put("PYTHONUNBUFFERED", "1");
            env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
            RunningProcess workload;
            ToolLog log = session.toolLog(WORKLOAD_LOG, tmp);
            workloadOutput = log.parsed();
            try {
                ProcessSpec.Builder spec = session.spec(settings.workload(), env)
                        .mergeStderr(true)
                        .console(console.stream());
                workload = session.start(log.into(spec).build());
            } catch (IOException | RuntimeException e) {
                log.close();
                TelemetrySampler.Stopped s = sampler.stop();
                session.command(s.result());
                faults.add("the workload could not be started: " + e.getMessage());
                return finish(false, null);
            }
            Instant started = Instant.now();
            Instant deadline = started.plus(settings.duration());
            console.println("vault: stress: workload started: " + workload.displayCommand() + "; it is stopped at "
                    + deadline.truncatedTo(ChronoUnit.SECONDS) + (settings.endGrace().isZero() ? ""
                            : " (or when it ends by itself within " + Durations.format(settings.endGrace())
                                    + " after that)"));

            boolean aborted = false;
            boolean endedEarly = false;
            boolean samplerDied = false;
            ProcessResult result = null;
            Instant nextProgress = started.plus(settings.progressEvery());
            try {
                while (true) {
                    Instant now = Instant.now();
                    if (!now.isBefore(nextProgress)) {
                        follower.poll();
                        console.println(progress(now, started, follower));
                        while (!nextProgress.isAfter(now)) {
                            nextProgress = nextProgress.plus(settings.progressEvery());
                        }
                    }
                    if (sampler.endedByItself()) {
                        samplerDied = true;
                        break;
                    }
                    if (!now.isBefore(deadline)) {
                        if (!settings.endGrace().isZero()) {
                            console.println("vault: stress: the planned " + planned + " are over; the workload has "
                                    + Durations.format(settings.endGrace()) + " to end by itself");
                            result = workload.await(settings.endGrace());
                        }
                        break;
                    }
                    Instant wake = min(min(deadline, nextProgress), now.plus(POLL));
                    result = workload.await(Duration.between(now, wake).plusMillis(1));
                    if (result != null) {
                        endedEarly = Instant.now().isBefore(deadline);
                        if (!endedEarly) {
                            result = null; // ended right at the deadline: judge it as stopped at the end
                        }
                        break;
                    }
                }
            } catch (InterruptedException e) {
                aborted = true;
            }
            if (result == null && !endedEarly) {
                if (!workload.isFinished()) {
                    console.println("vault: stress: " + (aborted ? "aborted; stopping" : samplerDied
                            ? "the telemetry sampler stopped; stopping" : "planned duration over; stopping")
                            + " the workload (SIGINT, then SIGTERM after "
                            + Durations.format(settings.process().interruptGrace()) + ")");
                    workload.cancel();
                }
                result = TelemetrySampler.awaitUninterruptibly(workload);
            }
            log.close();
            // A second interrupt while the workload stopped is the same abort.
            aborted |= Thread.interrupted();
            session.command(result);
            TelemetrySampler.Stopped stopped = sampler.stop();
            aborted |= Thread.interrupted();
            session.command(stopped.result());
            Instant windowEnd = Instant.now();

            Duration ran = Duration.between(started, result.ended());
            if (aborted) {
                notes.add(0, "aborted after " + Durations.format(truncate(ran)) + " of the planned " + planned
                        + "; the workload and the sampler were stopped; what was sampled is summarised and the run"
                        + " is marked incomplete (" + prefix() + "stress.complete=false)");
            } else if (endedEarly) {
                faults.add("the workload ended by itself after " + Durations.format(truncate(ran)) + " of the planned "
                        + planned + " (exit " + result.exitCode() + "; see " + stage.name() + "/" + WORKLOAD_LOG
                        + "): the soak is incomplete. Give the workload a duration at least as long (the runner"
                        + " stops it), or --end-grace for one that times itself");
            } else if (!samplerDied && result.outcome() == ProcessOutcome.EXITED
                    && result.exitCode() != 0) {
                faults.add("the workload failed (exit " + result.exitCode() + "; see " + stage.name() + "/"
                        + WORKLOAD_LOG + ")");
            }
            if ("KILL".equals(result.strongestSignal())) {
                notes.add("the workload did not stop on SIGINT within "
                        + Durations.format(settings.process().interruptGrace())
                        + " nor on SIGTERM, and was killed: its own result may be missing");
            }
            if (samplerDied || stopped.problem() != null) {
                (samplerDied ? faults : notes).add(stopped.problem() + (samplerDied
                        ? "; the workload was stopped, the soak is incomplete" : ""));
            }
            boolean complete = !aborted && !endedEarly && !samplerDied;
            return finish(complete, new Window(windowStart, windowEnd, ran, aborted));
        }

        /** The summary of what was collected; writes the metrics and stage.json. */
        private RunResult finish(boolean complete, Window window) throws IOException {
            boolean aborted = window != null && window.aborted();
            MetricSet named = window == null ? summariseNothing(complete) : summarise(complete, window);
            StageStatus status = aborted ? StageStatus.ABORTED : faults.isEmpty() ? StageStatus.SUCCEEDED
                    : StageStatus.FAILED;
            String summary = "stress: " + summary(named, complete);
            if (faults.isEmpty()) {
                session.note(summary);
            } else {
                session.say(summary);
            }
            faults.forEach(session::note);
            notes.forEach(session::note);
            if (aborted) {
                // The run ends as every runner's abort ends: with the thread's interrupt still set.
                Thread.currentThread().interrupt();
            }
            return session.finish(status, named);
        }

        /**
         * The metrics of a soak: telemetry, the kernel log (captured over the live window, or the
         * recorded file when {@code window} is null), the workload's verdict, and the plan.
         */
        private MetricSet summarise(boolean complete, Window window) throws IOException {
            boolean aborted = window != null && window.aborted();
            MetricSet metrics = new MetricSet();
            telemetry(metrics);
            if (window == null) {
                recordedKernelLog(metrics);
            } else {
                kernelLog(metrics, window);
            }
            verdict(metrics, aborted);
            if (window != null) {
                metrics.add(Metric.number("stress.duration_s", Math.round(window.ran().toMillis() / 10.0) / 100.0, "s",
                        stage.source(WORKLOAD_LOG, null)));
            }
            return plan(metrics, complete);
        }

        private MetricSet summariseNothing(boolean complete) {
            return plan(new MetricSet(), complete);
        }

        private MetricSet plan(MetricSet metrics, boolean complete) {
            metrics.add(Metric.bool("stress.complete", complete, stage.source(StageEvidence.RECORD_FILE, null)));
            metrics.add(Metric.number("stress.planned_duration_s", Durations.secondsValue(settings.duration()), "s",
                    stage.source(StageEvidence.RECORD_FILE, null)));
            return StageNaming.forStage(metrics, stage.name(), StressSettings.DEFAULT_STAGE);
        }

        private void telemetry(MetricSet metrics) throws IOException {
            Path file = stage.file(TelemetrySampler.FILE);
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                faults.add("no telemetry was recorded (" + stage.name() + "/" + TelemetrySampler.FILE
                        + " is missing or empty; see " + stage.name() + "/" + TelemetrySampler.LOG + ")");
                return;
            }
            try {
                MetricSet t = parsers.require("telemetry").parse(new ParseInput(file,
                        stage.source(TelemetrySampler.FILE, null).file(),
                        Map.of("interval_s", Durations.seconds(settings.interval()))));
                metrics.addAll(againstPlan(t, Durations.secondsValue(settings.duration())));
            } catch (ParseException e) {
                faults.add("the telemetry cannot be read: " + e.getMessage());
            }
        }

        private void kernelLog(MetricSet metrics, Window window) throws IOException {
            KernelLogWindow.Capture c = KernelLogWindow.capture(processes, settings, stage, window.start(),
                    window.end(), session.recorder());
            if (c.note() != null) {
                (c.captured() ? notes : faults).add(c.note());
            }
            if (!c.captured()) {
                return;
            }
            parseKernelLog(metrics);
        }

        private void recordedKernelLog(MetricSet metrics) throws IOException {
            if (!Files.isRegularFile(stage.file(KERNEL_LOG))) {
                faults.add("the recorded soak has no " + KERNEL_LOG + ": Xid errors during it are not measured");
                return;
            }
            parseKernelLog(metrics);
        }

        private void parseKernelLog(MetricSet metrics) throws IOException {
            try {
                MetricSet k = parsers.require("kernel-log").parse(new ParseInput(stage.file(KERNEL_LOG),
                        stage.source(KERNEL_LOG, null).file(), Map.of()));
                long xids = count(k, "xid.count");
                long offBus = count(k, "gpu.fell_off_bus.count");
                if (xids > 0) {
                    faults.add(xids + " NVIDIA Xid error(s) in the kernel log during the run (codes "
                            + k.get("xid.codes").map(m -> m.value().raw().toString()).orElse("?") + ", "
                            + count(k, "xid.fatal.count") + " fatal; see " + stage.name() + "/" + KERNEL_LOG + ")");
                }
                if (offBus > 0) {
                    faults.add(offBus + " kernel log line(s) say a GPU fell off the bus during the run (see "
                            + stage.name() + "/" + KERNEL_LOG + ")");
                }
                metrics.addAll(k.withPrefix("stress"));
            } catch (ParseException e) {
                faults.add("the kernel log cannot be read: " + e.getMessage());
            }
        }

        private void verdict(MetricSet metrics, boolean aborted) throws IOException {
            Path result = stage.file(RESULT_FILE);
            String kind;
            Path input;
            if (Files.isRegularFile(result)) {
                Optional<String> schema = ResultJson.schema(result);
                if (schema.isEmpty() || !schema.get().equals("vault-stress-gpus/1")) {
                    faults.add("the workload's result " + stage.name() + "/" + RESULT_FILE + " is not a stress-gpus"
                            + " result (schema vault-stress-gpus/1" + schema.map(s -> "; it says " + s)
                                    .orElse("; it has no schema or is not JSON") + ")");
                    return;
                }
                kind = "stress-gpus";
                input = result;
            } else if (looksLikeGpuBurn()) {
                kind = "gpu-burn";
                input = workloadOutput;
            } else {
                String why = "the workload left no verdict: it wrote no " + ResultJson.VARIABLE + " result ("
                        + stage.name() + "/" + RESULT_FILE + ") and is not gpu-burn, so " + prefix()
                        + "stress.workload_ok is not measured";
                (aborted ? notes : faults).add(why);
                return;
            }
            String cited = input == result ? RESULT_FILE : WORKLOAD_LOG;
            try {
                MetricSet v = parsers.require(kind).parse(new ParseInput(input, stage.source(cited, null).file(),
                        Map.of()));
                String root = kind.equals("gpu-burn") ? "gpu_burn" : "stress_gpus";
                Metric ok = v.get(root + ".ok").orElseThrow();
                Metric faulty = v.get(root + ".faulty").orElseThrow();
                metrics.addAll(v);
                metrics.add(new Metric(MetricName.parse("stress.workload_ok"), ok.value(), null, ok.source()));
                metrics.add(new Metric(MetricName.parse("stress.faulty_gpus"), faulty.value(), null, faulty.source()));
                double unverified = v.get(root + ".unverified").map(x -> x.number().orElse(0)).orElse(0.0);
                if (!Boolean.TRUE.equals(ok.value().raw()) && unverified > 0 && faulty.number().orElse(-1) == 0) {
                    faults.add("no result was verified in the soak: " + (long) unverified + " GPU(s) checked no result before it"
                            + " ended (a slow start? see " + ok.source() + " and " + stage.name() + "/" + WORKLOAD_LOG + ")");
                } else if (!Boolean.TRUE.equals(ok.value().raw())) {
                    faults.add("the workload's verdict is not ok: " + faulty.value().raw() + " faulty GPU(s) (see "
                            + ok.source() + ")");
                }
            } catch (ParseException e) {
                (aborted ? notes : faults).add("the workload's verdict cannot be read: " + e.getMessage());
            }
        }

        private boolean looksLikeGpuBurn() throws IOException {
            if (samplerPath == null) {
                // A recorded soak: gpu-burn's log ends with its per-GPU verdict lines.
                Path log = stage.file(WORKLOAD_LOG);
                return Files.isRegularFile(log) && Files.readString(log, StandardCharsets.ISO_8859_1)
                        .contains("Tested ");
            }
            for (String arg : settings.workload()) {
                String name = Path.of(arg).getFileName() == null ? arg : Path.of(arg).getFileName().toString();
                if (name.equals("gpu_burn") || name.equals("gpu-burn")) {
                    return true;
                }
            }
            return false;
        }

        private String progress(Instant now, Instant started, TelemetryFollower follower) {
            Duration elapsed = Duration.between(started, now);
            // Whole seconds: elapsed rounded down, time left rounded up, so that they add up.
            Duration left = settings.duration().minus(Duration.ofSeconds(elapsed.toSeconds()));
            return "vault: stress " + Durations.clock(elapsed) + " of " + Durations.clock(settings.duration()) + " ("
                    + (left.isNegative() || left.isZero() ? "over" : Durations.clock(left) + " left") + "): "
                    + follower.snapshot().describe();
        }

        private String summary(MetricSet m, boolean complete) {
            String p = prefix();
            StringBuilder s = new StringBuilder(complete ? "complete" : "INCOMPLETE");
            append(s, m, p + "telemetry.duration_s", "sampled %s s");
            append(s, m, p + "telemetry.coverage", "coverage %s");
            append(s, m, p + "telemetry.max_gap_s", "max gap %s s");
            append(s, m, p + "telemetry.temperature_c.max", "max %s C");
            append(s, m, p + "telemetry.throttle_events", "throttle events %s");
            append(s, m, p + "stress.xid.count", "Xid %s");
            append(s, m, p + "stress.workload_ok", "workload ok %s");
            return s.toString();
        }

        private String prefix() {
            return stage.name().equals(StressSettings.DEFAULT_STAGE) ? "" : StageNaming.metricPrefix(stage.name()) + ".";
        }
    }

    /** The run's window and how long the workload ran. */
    private record Window(Instant start, Instant end, Duration ran, boolean aborted) {
    }

    /**
     * The telemetry parser measures coverage against the sampled log's own span; a soak is measured
     * against its plan. With S samples of G GPUs at interval I, coverage = S ÷ (G × (⌊T ÷ I⌋ + 1)),
     * T the longer of the planned duration and the sampled span (the parser's formula with T). A
     * run that sampled its whole plan keeps the parser's figures; an aborted or cut run shows the
     * missing time.
     */
    static MetricSet againstPlan(MetricSet t, double plannedS) {
        Optional<Metric> duration = t.get("telemetry.duration_s");
        Optional<Metric> interval = t.get("telemetry.interval_s");
        Optional<Metric> gpus = t.get("telemetry.gpus");
        Optional<Metric> samples = t.get("telemetry.samples");
        if (duration.isEmpty() || interval.isEmpty() || gpus.isEmpty() || samples.isEmpty()
                || duration.get().number().getAsDouble() >= plannedS) {
            return t;
        }
        double expected = Math.floor(plannedS / interval.get().number().getAsDouble() + 1e-9) + 1;
        MetricPattern perGpu = MetricPattern.parse("telemetry.gpu[*].coverage");
        MetricSet out = new MetricSet();
        for (Metric m : t) {
            if (m.name().toString().equals("telemetry.coverage")) {
                double v = samples.get().number().getAsDouble() / (gpus.get().number().getAsDouble() * expected);
                out.add(new Metric(m.name(), MetricValue.of(v), m.unit(), m.source()));
            } else if (perGpu.matches(m.name())) {
                String samplesName = m.name().toString().replaceFirst("\\.coverage$", ".samples");
                double n = t.get(samplesName).orElseThrow().number().getAsDouble();
                out.add(new Metric(m.name(), MetricValue.of(n / expected), m.unit(),
                        m.source()));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static long count(MetricSet m, String name) {
        return (long) m.number(name).orElse(0);
    }

    private static void append(StringBuilder s, MetricSet m, String name, String format) {
        m.get(name).ifPresent(x -> {
            Object v = x.value().raw();
            String text = v instanceof Double d ? String.format(Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", "")
                    : String.valueOf(v);
            s.append(", ").append(String.format(Locale.ROOT, format, text));
        });
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration truncate(Duration d) {
        return Duration.ofSeconds(d.toSeconds());
    }
}
