package io.vaultcube.pipeline.run.bench;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
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
import io.vaultcube.pipeline.run.TelemetrySampler;
import io.vaultcube.pipeline.run.ToolLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A benchmark run into its stage ({@code bench-ddp}, {@code bench-tensorflow}, {@code bench-vllm}):
 * the command's output live on the console and kept as {@code bench.log}, telemetry sampled while
 * it runs ({@code telemetry.csv}), and its result parsed into the stage's metrics (see
 * docs/runners.md).
 *
 * <p>The result: nothing is appended to the command. The runner sets {@value ResultJson#VARIABLE}
 * to the stage's {@code result.json}, which our scripts take as the default of {@code --json-out}.
 * A command that names its own file with {@code --json-out F} or {@code --output-json F} (vLLM's
 * {@code bench throughput}) has that file copied in as {@code result.json}. For vLLM, without any
 * JSON, the output itself is read (its {@code Throughput:} line or its serving result block).
 *
 * <p>Metrics: the result parser's ({@code ddp.*}, {@code tensorflow.*}, {@code vllm.*}) and the
 * telemetry parser's over the run, namespaced ({@code ddp.telemetry.utilization_pct.median}). The
 * stage fails when the command fails, its result is missing or unreadable, or the telemetry is
 * (unless telemetry is off); what could be read is written anyway. Interrupting the calling thread
 * aborts: the benchmark gets SIGINT, a grace, SIGTERM, SIGKILL; the sampler is stopped; the stage
 * is ABORTED without metrics, and the interrupt is kept.
 */
public final class BenchRunner extends SessionRunner<BenchSettings> {
    public static final String LOG = "bench.log";
    public static final String RESULT_FILE = "result.json";

    public BenchRunner() {
    }

    public BenchRunner(ProcessRunner processes) {
        super(processes);
    }

    /** Nothing is started when the command or the sampler cannot be run. */
    @Override
    protected Work prepare(BenchSettings settings, Path workDir, StageEvidence stage)
            throws RunSetupException, IOException {
        StageSession.requireStageOf(settings, stage);
        Map<String, String> env = settings.process().childEnvironment();
        Executables.requireCommand(settings.command().get(0), workDir, env.get("PATH"), "the benchmark command");
        Path sampler = !settings.telemetry() ? null : Executables.requireSampler(workDir, settings.sampler(),
                "scripts/sample-telemetry.sh, or give one with --sampler; --no-telemetry runs without");
        // The private directory keeps the unmasked copy of the output that the vLLM result is read from.
        return session -> session.withPrivateTemp(null, "vault-bench-",
                (tmp, notesAfterCleanup) -> bench(settings, sampler, session, tmp));
    }

    /**
     * Reads a recorded benchmark (its result, output and telemetry, e.g. the stage directory of a
     * run on the GPU box) into the stage, through the same parsing as a live run.
     *
     * @param interval the sampling interval the recorded telemetry was taken at (for its coverage)
     */
    public RunResult replay(BenchKind kind, Duration interval, Path from, OutputStream consoleStream,
            StageEvidence stage) throws RunSetupException, IOException {
        Console console = new Console(consoleStream);
        RecordedStage recorded = RecordedStage.copy(from, stage, "benchmark");
        console.println("vault: bench " + kind.id() + " (" + stage.name() + "): reading the recorded benchmark " + from
                + " (" + recorded.copied().size() + " file(s) copied)");
        List<String> faults = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        MetricSet metrics = new MetricSet();
        readResult(kind, List.of(), from, stage, stage.file(LOG), metrics, faults, notes);
        if (Files.isRegularFile(stage.file(TelemetrySampler.FILE))) {
            readTelemetry(kind, interval, stage, metrics, faults);
        } else {
            notes.add("the recorded benchmark has no " + TelemetrySampler.FILE + ": no " + kind.metricRoot()
                    + ".telemetry.* metrics");
        }
        MetricSet named = StageNaming.forStage(metrics, stage.name(), kind.defaultStage());
        console.println("vault: bench " + kind.id() + ": " + headline(kind, metrics));
        List<String> messages = new ArrayList<>(faults);
        messages.addAll(notes);
        messages.forEach(m -> console.println("vault: " + m));
        messages.addAll(recorded.provenance());
        return recorded.finish(faults.isEmpty() ? StageStatus.SUCCEEDED : StageStatus.FAILED, named, messages);
    }

    private RunResult bench(BenchSettings s, Path samplerPath, StageSession session, PrivateTempDir tmp)
            throws IOException {
        StageEvidence stage = session.stage();
        Path workDir = session.workDir();
        Console console = session.console();
        List<String> faults = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        console.println("vault: bench " + s.kind().id() + " (" + stage.name() + "): "
                + (samplerPath == null ? "telemetry off" : "telemetry every " + Durations.format(s.interval()) + " by "
                        + samplerPath) + "; result expected in " + stage.name() + "/" + RESULT_FILE + " ($"
                + ResultJson.VARIABLE + ")");
        TelemetrySampler sampler = samplerPath == null ? null
                : TelemetrySampler.start(processes, samplerPath, s.interval(), stage, s.process().environment(), workDir,
                        console);
        if (sampler != null) {
            // The benchmark starts under observation: after the sampler's first sample.
            Duration limit = TelemetrySampler.firstSampleLimit(s.interval());
            boolean sampling;
            try {
                sampling = sampler.awaitFirstSample(stage.file(TelemetrySampler.FILE), limit);
            } catch (InterruptedException e) {
                session.command(sampler.stop().result());
                Thread.currentThread().interrupt();
                return session.abort("the benchmark was aborted before it started; no metrics written");
            }
            if (!sampling) {
                TelemetrySampler.Stopped stopped = sampler.stop();
                session.command(stopped.result());
                session.note(stopped.noFirstSample(limit)
                        + "; the benchmark was not started (--no-telemetry runs it without)");
                return session.finish(StageStatus.FAILED, null);
            }
        }

        Map<String, String> env = new LinkedHashMap<>();
        env.put(ResultJson.VARIABLE, stage.file(RESULT_FILE).toString());
        env.put("PYTHONUNBUFFERED", "1");
        env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
        ProcessResult result;
        Path output;
        try (ToolLog log = session.toolLog(LOG, tmp)) {
            ProcessSpec.Builder spec = session.spec(s.command(), env)
                    .mergeStderr(true)
                    .console(console.stream());
            result = session.run(log.into(spec).build());
            output = log.parsed();
        } catch (IOException | RuntimeException e) {
            if (sampler != null) {
                session.command(sampler.stop().result());
            }
            throw e;
        }
        TelemetrySampler.Stopped stopped = sampler == null ? null : sampler.stop();
        if (stopped != null) {
            session.command(stopped.result());
        }
        if (result.cancelled() || result.timedOut()) {
            return session.abortedBy("the benchmark", result, "it", "");
        }
        boolean interrupted = Thread.interrupted(); // parsing reads through interruptible channels
        try {
            if (result.exitCode() != 0) {
                faults.add("the benchmark failed (exit " + result.exitCode() + describeExit(s.kind(), result.exitCode())
                        + "; see " + stage.name() + "/" + LOG + ")");
            }
            MetricSet metrics = new MetricSet();
            readResult(s.kind(), s.command(), workDir, stage, output, metrics, faults, notes);
            if (stopped != null) {
                if (stopped.problem() != null) {
                    (stopped.endedByItself() ? faults : notes).add(stopped.problem());
                }
                readTelemetry(s.kind(), s.interval(), stage, metrics, faults);
            } else {
                notes.add("telemetry was off: no " + s.kind().metricRoot() + ".telemetry.* metrics");
            }
            MetricSet named = StageNaming.forStage(metrics, stage.name(), s.kind().defaultStage());
            StageStatus status = faults.isEmpty() ? StageStatus.SUCCEEDED : StageStatus.FAILED;
            session.say("bench " + s.kind().id() + ": " + headline(s.kind(), metrics));
            faults.forEach(session::note);
            notes.forEach(session::note);
            return session.finish(status, named);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The result's metrics: from {@code result.json}, the file the command named, or (vLLM) its
     * output, read from {@code output} (the unmasked copy of {@code bench.log}, or the log itself).
     */
    private void readResult(BenchKind kind, List<String> command, Path workDir, StageEvidence stage, Path output,
            MetricSet metrics, List<String> faults, List<String> notes) throws IOException {
        Path result = stage.file(RESULT_FILE);
        Path input;
        String cited = RESULT_FILE;
        if (Files.isRegularFile(result)) {
            input = result;
        } else {
            Optional<Path> named = ResultJson.namedIn(command, workDir, "--json-out", "--output-json");
            if (named.isPresent() && Files.isRegularFile(named.get())) {
                Files.copy(named.get(), result, StandardCopyOption.COPY_ATTRIBUTES);
                notes.add(stage.name() + "/" + RESULT_FILE + " is a copy of " + named.get()
                        + ", the file the command named");
                input = result;
            } else if (kind == BenchKind.VLLM && Files.isRegularFile(output)) {
                input = output;
                cited = LOG;
            } else {
                faults.add("the benchmark left no result: no " + stage.name() + "/" + RESULT_FILE + " ($"
                        + ResultJson.VARIABLE + ")" + named.map(p -> " and no " + p).orElse("")
                        + "; so there are no " + kind.metricRoot() + ".* metrics");
                return;
            }
        }
        try {
            MetricSet m = parsers.require(kind.parserKind()).parse(new ParseInput(input,
                    stage.source(cited, null).file(), Map.of()));
            metrics.addAll(m);
            verdict(kind, m, faults);
        } catch (ParseException e) {
            faults.add("the benchmark's result cannot be read: " + e.getMessage());
        }
    }

    /** What the result itself says failed (the gate judges the figures). */
    private static void verdict(BenchKind kind, MetricSet m, List<String> faults) {
        if (kind == BenchKind.TENSORFLOW) {
            m.get("tensorflow.ok").filter(ok -> Boolean.FALSE.equals(ok.value().raw()))
                    .ifPresent(ok -> faults.add("TensorFlow's checks failed (tensorflow.ok is false; " + ok.source() + ")"));
        }
        if (kind == BenchKind.VLLM) {
            m.get("vllm.smoke_ok").filter(ok -> Boolean.FALSE.equals(ok.value().raw()))
                    .ifPresent(ok -> faults.add("the vLLM smoke test failed (" + ok.source() + ")"));
            m.get("vllm.failed_requests").filter(n -> n.number().orElse(0) > 0)
                    .ifPresent(n -> faults.add(n.value().raw() + " vLLM request(s) failed (" + n.source() + ")"));
        }
    }

    private void readTelemetry(BenchKind kind, Duration interval, StageEvidence stage, MetricSet metrics,
            List<String> faults) throws IOException {
        Path file = stage.file(TelemetrySampler.FILE);
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            faults.add("no telemetry was recorded during the benchmark (" + stage.name() + "/" + TelemetrySampler.FILE
                    + " is missing or empty; see " + stage.name() + "/" + TelemetrySampler.LOG + "); --no-telemetry"
                    + " runs without");
            return;
        }
        try {
            MetricSet t = parsers.require("telemetry").parse(new ParseInput(file,
                    stage.source(TelemetrySampler.FILE, null).file(),
                    Map.of("interval_s", Durations.seconds(interval))));
            metrics.addAll(t.withPrefix(kind.metricRoot()));
        } catch (ParseException e) {
            faults.add("the telemetry cannot be read: " + e.getMessage());
        }
    }

    private static String describeExit(BenchKind kind, int code) {
        if (code == 3) {
            return switch (kind) {
                case DDP -> ": torch or torchvision is not installed";
                case TENSORFLOW -> ": TensorFlow cannot be imported";
                case VLLM -> ": vLLM cannot be imported";
            };
        }
        if (code == 2) {
            return ": bad usage, or no GPU for the device asked";
        }
        return code > 128 ? ": killed by signal " + (code - 128) : "";
    }

    private static String headline(BenchKind kind, MetricSet m) {
        String[] names = switch (kind) {
            case DDP -> new String[] {"ddp.world_size", "ddp.single_gpu_throughput_samples_per_s",
                "ddp.throughput_samples_per_s", "ddp.scaling_efficiency", "ddp.telemetry.utilization_pct.median",
                "ddp.telemetry.power_ratio.median"};
            case TENSORFLOW -> new String[] {"tensorflow.gpus", "tensorflow.ok", "tensorflow.telemetry.utilization_pct.median"};
            case VLLM -> new String[] {"vllm.output_tokens_per_s", "vllm.total_tokens_per_s", "vllm.requests_per_s",
                "vllm.failed_requests", "vllm.telemetry.utilization_pct.median"};
        };
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            m.get(n).ifPresent(x -> parts.add(n + " " + format(x)));
        }
        return parts.isEmpty() ? "no result metrics" : String.join(", ", parts);
    }

    private static String format(Metric m) {
        Object v = m.value().raw();
        String text = v instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(v);
        return m.unit() == null ? text : text + " " + m.unit();
    }
}
