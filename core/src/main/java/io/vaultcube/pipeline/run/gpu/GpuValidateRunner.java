package io.vaultcube.pipeline.run.gpu;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.run.Console;
import io.vaultcube.pipeline.run.EvidenceLog;
import io.vaultcube.pipeline.run.RecordedStage;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SessionRunner;
import io.vaultcube.pipeline.run.StageSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * GPU detection and health into the {@code gpu} stage: runs {@code scripts/validate-gpus.sh
 * --evidence STAGE} (its live output on the console, kept as {@code validate-gpus.log}), or copies a
 * recorded collection's files into the stage, then reads the fixed files with the registry's
 * parsers ({@link GpuCollection}) into the documented {@code gpu} stage metrics.
 *
 * <p>The stage succeeds when the collection is complete and shows no clear fault. No NVIDIA driver
 * on the host (the script's exit 3) is a clear failure with the reason, never an empty pass; so is a
 * missing or unreadable required file. The metrics that could be read are written in every case
 * but an abort, so the gate can name what passed and what is missing. A recorded collection is
 * recorded as such ({@code stage.json} status RECORDED with {@code recordedFrom}; the returned
 * result says SUCCEEDED or FAILED as for a live run). Interrupting the calling thread aborts a live
 * run: the script gets SIGINT (it stops its load), a grace, SIGTERM, SIGKILL; the stage is ABORTED,
 * without metrics, and the interrupt is kept.
 */
public final class GpuValidateRunner extends SessionRunner<GpuValidateSettings> {
    public static final String STAGE = "gpu";
    public static final String LOG = "validate-gpus.log";

    public GpuValidateRunner() {
    }

    public GpuValidateRunner(ProcessRunner processes) {
        super(processes);
    }

    /**
     * Validates the GPUs (or reads a recorded validation). Nothing is started without a script or recorded
     * collection.
     */
    @Override
    protected Work prepare(GpuValidateSettings settings, Path workDir, StageEvidence stage)
            throws RunSetupException, IOException {
        if (settings.isRecorded()) {
            Path from = workDir.resolve(settings.recordedFrom()).normalize();
            if (!Files.isDirectory(from)) {
                throw new RunSetupException("no recorded GPU collection at " + from + " (a directory written by"
                        + " validate-gpus.sh --evidence DIR, or the gpu stage of an evidence directory)");
            }
            if (Files.isSameFile(from, stage.dir())) {
                throw new RunSetupException("the recorded collection " + from + " is the stage directory itself");
            }
            return session -> recorded(settings, from, session.console(), stage);
        }
        Path script = workDir.resolve(settings.script()).normalize();
        if (!Files.isRegularFile(script) || !Files.isExecutable(script)) {
            throw new RunSetupException("no validation script at " + script
                    + " (scripts/validate-gpus.sh; give the scripts directory with --scripts)");
        }
        return session -> live(settings, script, session);
    }

    private RunResult live(GpuValidateSettings s, Path script, StageSession session) throws IOException {
        StageEvidence stage = session.stage();
        List<String> argv = new ArrayList<>(List.of(script.toString(), "--evidence", stage.dir().toString()));
        add(argv, "--expect-count", s.expectCount());
        add(argv, "--expect-model", s.expectModel());
        add(argv, "--expect-memory-mib", s.expectMemoryMib());
        add(argv, "--expect-pcie-gen", s.expectPcieGen());
        add(argv, "--expect-pcie-width", s.expectPcieWidth());
        add(argv, "--expect-driver-min", s.expectDriverMin());
        add(argv, "--max-idle-temp", s.maxIdleTempC());
        add(argv, "--load-seconds", s.loadSeconds());
        add(argv, "--load-warmup", s.loadWarmupSeconds());
        add(argv, "--python", s.python());
        if (s.noLoad()) {
            argv.add("--no-load");
        }
        if (!s.loadCommand().isEmpty()) {
            argv.add("--");
            argv.addAll(s.loadCommand());
        }
        ProcessResult result;
        try (EvidenceLog log = new EvidenceLog(stage.file(LOG))) {
            ProcessSpec spec = session.spec(argv, Map.of("CUDA_DEVICE_ORDER", "PCI_BUS_ID"))
                    .mergeStderr(true)
                    .console(session.console().stream())
                    .listener(log)
                    .build();
            result = session.run(spec);
        }
        if (result.cancelled() || result.timedOut()) {
            return session.abortedBy("the GPU validation", result, "validate-gpus.sh", "");
        }
        GpuCollection c = GpuCollection.read(stage, parsers, result.exitCode(), s);
        StageStatus status = c.faults().isEmpty() ? StageStatus.SUCCEEDED : StageStatus.FAILED;
        report(c, status, session.console(), session.recorder()::message);
        return session.finish(status, c.metrics());
    }

    private RunResult recorded(GpuValidateSettings s, Path from, Console console, StageEvidence stage)
            throws RunSetupException, IOException {
        RecordedStage recorded = RecordedStage.copy(from, stage, "GPU collection");
        console.println("vault: gpu-validate: reading the recorded collection " + from + " ("
                + recorded.copied().size() + " file(s) copied into " + stage.dir() + ")");
        List<String> faults = new ArrayList<>();
        if (recorded.copied().stream().noneMatch(GpuCollection.FILES::contains)) {
            faults.add("the directory " + from + " holds none of the files of a validate-gpus.sh collection ("
                    + String.join(", ", GpuCollection.FILES.subList(0, 5)) + ", ...)");
            console.println("vault: " + faults.get(0));
        }
        GpuCollection c = GpuCollection.read(stage, parsers, null, s);
        StageStatus status = c.faults().isEmpty() && faults.isEmpty() ? StageStatus.SUCCEEDED : StageStatus.FAILED;
        List<String> all = new ArrayList<>(faults);
        report(c, status, console, all::add);
        all.addAll(recorded.provenance());
        return recorded.finish(status, c.metrics(), all);
    }

    private static void report(GpuCollection c, StageStatus status, Console console,
            Consumer<String> messages) {
        if (status == StageStatus.SUCCEEDED) {
            String ok = "GPU validation: evidence complete, no fault found ("
                    + c.metrics().get("gpu.count").map(m -> m.value().raw() + " GPU(s)").orElse("no GPU count") + ")";
            messages.accept(ok);
            console.println("vault: " + ok);
        }
        for (String f : c.faults()) {
            messages.accept(f);
            console.println("vault: FAULT: " + f);
        }
        for (String n : c.notes()) {
            messages.accept(n);
            console.println("vault: note: " + n);
        }
    }

    private static void add(List<String> argv, String option, Object value) {
        if (value != null) {
            argv.add(option);
            argv.add(value.toString());
        }
    }
}
