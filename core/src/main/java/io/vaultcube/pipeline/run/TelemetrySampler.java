package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.exec.RunningProcess;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The telemetry sampler of a stage while its workload runs: {@code SAMPLER --interval SECONDS
 * --output STAGE/telemetry.csv} (by default {@code scripts/sample-telemetry.sh}, which runs the
 * looped nvidia-smi query of scripts/sample-telemetry.sh), started before the workload and stopped after it.
 *
 * <p>The sampler runs with {@code TZ=UTC} (nvidia-smi writes local time; a DST change would make
 * the timestamps go back, which the telemetry parser refuses) and {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}.
 * What it prints goes to {@code sampler.log} and, prefixed, to the console. It is stopped like any
 * child of the product: SIGINT to its process group, a grace, SIGTERM, SIGKILL. A sampler that
 * ended before it was asked to is reported with what its exit status means.
 */
public final class TelemetrySampler {
    /** The telemetry file of a stage; the HTML report plots every stage's file of this name. */
    public static final String FILE = "telemetry.csv";
    public static final String LOG = "sampler.log";
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(15);
    static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);

    private final RunningProcess process;
    private final EvidenceLog log;
    private final Path sampler;
    private volatile boolean stopRequested;

    private TelemetrySampler(RunningProcess process, EvidenceLog log, Path sampler) {
        this.process = process;
        this.log = log;
        this.sampler = sampler;
    }

    /**
     * Starts the sampler into the stage's {@value #FILE}.
     *
     * @param environment the run's changes to this process's environment (a null value removes one)
     */
    public static TelemetrySampler start(ProcessRunner runner, Path sampler, Duration interval, StageEvidence stage,
            Map<String, String> environment, Path workingDirectory, Console console) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("TZ", "UTC");
        env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
        EvidenceLog log = new EvidenceLog(stage.file(LOG));
        try {
            ProcessSpec spec = ChildEnvironment.apply(ProcessSpec.builder(List.of(sampler.toString(), "--interval",
                    Durations.seconds(interval), "--output", stage.file(FILE).toString())), env)
                    .workingDirectory(workingDirectory)
                    .graces(INTERRUPT_GRACE, TERMINATE_GRACE)
                    .mergeStderr(true)
                    .listener(log)
                    .listener((source, line) -> console.println("vault: sampler: " + line))
                    .build();
            return new TelemetrySampler(runner.start(spec), log, sampler);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Waits until the telemetry file holds a first sample (a line after the header), so that the
     * workload starts under observation. False when the sampler ended first or the time ran out.
     *
     * @throws InterruptedException the calling thread was interrupted (an abort)
     */
    public boolean awaitFirstSample(Path file, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (hasTwoLines(file)) {
                return true;
            }
            if (process.isFinished()) {
                return hasTwoLines(file);
            }
            Thread.sleep(50);
        }
        return hasTwoLines(file);
    }

    private static boolean hasTwoLines(Path file) {
        // RandomAccessFile, not a channel: an interrupt must not break the read.
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] buf = new byte[8192];
            int newlines = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && ++newlines == 2) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** The time {@link #awaitFirstSample} allows: nvidia-smi writes its first sample at once. */
    public static Duration firstSampleLimit(Duration interval) {
        return Duration.ofSeconds(30).plus(interval.multipliedBy(2));
    }

    /** True when the sampler ended although nobody asked it to (it should run until stopped). */
    public boolean endedByItself() {
        return !stopRequested && process.isFinished();
    }

    /**
     * Stops the sampler (unless it already ended) and waits for it, also when this thread is
     * interrupted (the interrupt is kept).
     */
    public Stopped stop() throws IOException {
        boolean byItself = endedByItself();
        stopRequested = true;
        if (!process.isFinished()) {
            process.cancel();
        }
        ProcessResult result = awaitUninterruptibly(process);
        log.close();
        String problem = null;
        if (byItself) {
            problem = "the telemetry sampler ended by itself after "
                    + Durations.format(Duration.ofMillis(result.duration().toMillis() / 1000 * 1000))
                    + ": " + describeExit(result.exitCode()) + " (" + sampler + "; see " + LOG + ")";
        } else if ("KILL".equals(result.strongestSignal())) {
            problem = "the telemetry sampler did not stop on SIGINT or SIGTERM and was killed (see " + LOG + ")";
        } else if (result.exitCode() != 0 && result.exitCode() != 128 + 2 && result.exitCode() != 128 + 15) {
            // 0 is a clean stop; 130 and 143 are a stand-in that simply died of the signal it was sent.
            problem = "the telemetry sampler exited " + result.exitCode() + " when stopped (see " + LOG + ")";
        }
        return new Stopped(result, byItself, problem);
    }

    /** What a sampler's exit status means (scripts/sample-telemetry.sh, docs/gpu-validation.md). */
    public static String describeExit(int code) {
        return switch (code) {
            case 0 -> "exit 0";
            case 2 -> "it refused its options (exit 2)";
            case 3 -> "nvidia-smi not found: no NVIDIA driver on this host (exit 3)";
            case 4 -> "nvidia-smi stopped by itself with status 0 (exit 4)";
            case 9 -> "the NVIDIA driver is not loaded (nvidia-smi exit 9)";
            case 12 -> "the NVML library was not found (nvidia-smi exit 12)";
            case 15 -> "a GPU has fallen off the bus (nvidia-smi exit 15)";
            default -> code > 128 ? "killed by signal " + (code - 128) + " (exit " + code + ")" : "exit " + code;
        };
    }

    /** Waits for a run to finish, keeping an interrupt that arrives meanwhile. */
    public static ProcessResult awaitUninterruptibly(RunningProcess running) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return running.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * How the sampler ended.
     *
     * @param result its process result
     * @param endedByItself it ended before it was asked to stop
     * @param problem what a person should know, or null when it ran and stopped as it should
     */
    public record Stopped(ProcessResult result, boolean endedByItself, String problem) {
        /** Why a run could not start under observation: the sampler ended first, or wrote nothing in time. */
        public String noFirstSample(Duration limit) {
            if (endedByItself) {
                return problem + ", before its first sample";
            }
            return "the telemetry sampler wrote no sample within " + Durations.format(limit)
                    + (problem == null ? "" : " (" + problem + ")");
        }
    }
}
