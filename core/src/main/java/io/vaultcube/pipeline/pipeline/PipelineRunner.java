package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceException;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.run.Console;
import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.run.RunSetupException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a pipeline file: each stage with the core runner that the Jenkins step of the same kind
 * runs, all evidence in one evidence directory, the gates over it, their reports, and promotion.
 *
 * <p>A failed stage that runs a tool skips the following stages that run tools (there is no point
 * in a 24 h soak after a failed build); recorded stages are still read, and gates still judge, so
 * the report names everything that is missing. An interrupt of the calling thread aborts the run.
 */
public final class PipelineRunner {
    /** The file names of a gate stage's reports. */
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_JUNIT = "junit.xml";
    public static final String REPORT_HTML = "report.html";
    public static final String REPORT_MARKDOWN = "summary.md";

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ProcessRunner processes;
    private final Clock clock;
    private final Map<String, String> environment;

    public PipelineRunner() {
        this(new ProcessRunner(), Clock.systemUTC());
    }

    public PipelineRunner(ProcessRunner processes, Clock clock) {
        this(processes, clock, System.getenv());
    }

    /**
     * @param environment what the stages read of the environment they were started in (the variables
     *     {@code sensitive_*_from_env} name, the S3 settings, {@code BUILD_URL}); a caller with its own
     *     (a Jenkins build's) gives it here, not through this process's
     */
    public PipelineRunner(ProcessRunner processes, Clock clock, Map<String, String> environment) {
        this.processes = processes;
        this.clock = clock;
        this.environment = Map.copyOf(environment);
    }

    /**
     * What a stage sees of the run.
     *
     * @param workDir the directory relative paths of the pipeline file resolve against
     * @param evidence the run's evidence directory
     * @param console where the person reads the run
     * @param gates each gate stage's verdict so far, by stage name
     * @param processes how stages start their tools
     * @param clock the run's clock
     * @param environment the environment the run was started in
     */
    public record Context(Path workDir, EvidenceDir evidence, Console console, Map<String, Verdict> gates,
            ProcessRunner processes, Clock clock, Map<String, String> environment) {
        /** A path of the pipeline file, with ${evidence} substituted, resolved against the working directory. */
        public Path path(String written) {
            return workDir.resolve(substitute(written)).normalize();
        }

        /** A value of the pipeline file with ${evidence} substituted. */
        public String substitute(String written) {
            return PipelineRunner.substitute(written, evidence.root());
        }

        /** Values of the pipeline file with ${evidence} substituted. */
        public List<String> substitute(List<String> written) {
            return written.stream().map(this::substitute).toList();
        }

        /** How long since a stage started, by the run's clock. */
        public Duration since(Instant started) {
            return Duration.between(started, clock.instant());
        }

        /** The report of a gate stage. */
        public Path gateReport(String gateStage) {
            return evidence.root().resolve(gateStage).resolve(REPORT_JSON);
        }
    }

    /**
     * Runs the pipeline.
     *
     * @param pipeline the validated pipeline file
     * @param workDir the directory relative paths resolve against (normally the current one)
     * @param evidenceOverride the evidence directory to use instead of the file's, or null
     * @param consoleStream where the person reads the run
     */
    public PipelineResult run(PipelineFile pipeline, Path workDir, Path evidenceOverride, OutputStream consoleStream)
            throws IOException {
        Console console = new Console(consoleStream);
        Path evidencePath = evidenceOverride != null ? workDir.resolve(evidenceOverride)
                : workDir.resolve(pipeline.evidence() != null ? pipeline.evidence()
                        : "vault-runs/" + pipeline.name() + "-" + RUN_TIME.format(clock.instant()));
        if (Files.isDirectory(evidencePath) && hasStages(evidencePath)) {
            // Not a problem of the pipeline file: its stages are fine, the directory is taken.
            throw new EvidenceException("the evidence directory " + evidencePath + " already holds a run;"
                    + " give a new one (--evidence DIR) or remove it");
        }
        EvidenceDir evidence = EvidenceDir.create(evidencePath);
        Context context = new Context(workDir, evidence, console, new LinkedHashMap<>(), processes, clock,
                environment);
        List<StageOutcome> outcomes = new ArrayList<>();
        int total = pipeline.stages().size();
        console.println("vault pipeline " + pipeline.name() + ": " + total + " stages; evidence in " + evidence.root());
        String skipReason = null;
        Verdict verdict = null;
        boolean aborted = false;
        for (int i = 0; i < total; i++) {
            StageSpec stage = pipeline.stages().get(i);
            console.println("");
            console.println("== [" + (i + 1) + "/" + total + "] " + stage.name() + " (" + stage.kind()
                    + (isRecorded(stage) ? ", recorded" : "") + ")");
            Instant started = clock.instant();
            StageOutcome outcome;
            if (skipReason != null && runsTools(stage)) {
                outcome = new StageOutcome(stage.name(), stage.kind(), StageOutcome.Result.SKIPPED, false, Duration.ZERO, skipReason);
            } else {
                try {
                    outcome = StageKinds.run(stage, context, started);
                } catch (RunSetupException | IOException | IllegalArgumentException e) {
                    // Nothing started, or evidence that cannot be read or written (a garbled
                    // metrics.json, a full disk): the stage fails, closed, and says why.
                    outcome = new StageOutcome(stage.name(), stage.kind(), StageOutcome.Result.FAILED, true,
                            Duration.between(started, clock.instant()), e.getMessage());
                    console.println("vault: " + stage.name() + ": " + e.getMessage());
                }
            }
            outcomes.add(outcome);
            console.println("== " + stage.name() + ": " + outcome.result() + " in " + Durations.elapsed(outcome.duration())
                    + (outcome.detail() == null ? "" : " — " + outcome.detail()));
            if (context.gates().containsKey(stage.name())) {
                verdict = context.gates().get(stage.name());
            }
            if (outcome.result() == StageOutcome.Result.ABORTED || Thread.currentThread().isInterrupted()) {
                aborted = true;
                break;
            }
            if (outcome.failed() && runsTools(stage) && skipReason == null) {
                skipReason = "stage " + stage.name() + " failed";
            }
        }
        PipelineResult result = new PipelineResult(evidence.root(), outcomes, verdict, aborted);
        summary(pipeline, result, context);
        return result;
    }

    private void summary(PipelineFile pipeline, PipelineResult result, Context context) {
        Console console = context.console();
        console.println("");
        console.println("== pipeline " + pipeline.name() + (result.aborted() ? ": ABORTED" : ""));
        int width = 5;
        for (StageOutcome o : result.stages()) {
            width = Math.max(width, o.name().length());
        }
        for (StageOutcome o : result.stages()) {
            console.println(String.format(Locale.ROOT, "  %-" + width + "s  %-12s  %-14s %9s", o.name(), o.kind(),
                    o.result(), Durations.elapsed(o.duration())));
        }
        String verdict = result.verdict() == null ? "no gate ran" : result.verdict().name();
        console.println("verdict: " + verdict + (result.aborted() ? " (the run was aborted)"
                : result.failed() ? " (pipeline FAILED)" : result.unstable() ? " (pipeline UNSTABLE)" : ""));
        List<String> recorded = pipeline.stages().stream().filter(PipelineRunner::isRecorded).map(StageSpec::name)
                .filter(n -> result.stages().stream().anyMatch(o -> o.name().equals(n))).toList();
        if (!recorded.isEmpty()) {
            console.println("note: stage(s) " + String.join(", ", recorded) + " read RECORDED evidence; nothing was"
                    + " measured on this machine for them (the report says where each came from)");
        }
        console.println("evidence: " + result.evidence());
        for (StageOutcome o : result.stages()) {
            if (o.kind().equals("gate")) {
                console.println("report (" + o.name() + "): " + context.evidence().root().resolve(o.name())
                        .resolve(REPORT_HTML));
            }
        }
        for (StageOutcome o : result.stages()) {
            if (o.kind().equals("promote")) {
                console.println("image (" + o.name() + "): " + o.result() + " — " + o.detail());
            }
        }
    }

    static boolean isRecorded(StageSpec stage) {
        return stage.recorded() != null;
    }

    /** Stages that run tools on this machine (not recorded, not gates or promotions). */
    static boolean runsTools(StageSpec stage) {
        return stage.measures() && !isRecorded(stage);
    }

    private static boolean hasStages(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.anyMatch(p -> Files.exists(p.resolve("stage.json")));
        }
    }

    /** Replaces {@code ${evidence}} with the run's evidence directory. */
    static String substitute(String value, Path evidence) {
        return value.replace("${evidence}", evidence.toString());
    }
}
