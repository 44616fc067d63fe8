package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.gate.GateRun;
import io.vaultcube.pipeline.gate.Policy;
import io.vaultcube.pipeline.gate.PolicyParser;
import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.gate.report.HtmlReport;
import io.vaultcube.pipeline.gate.report.JUnitReport;
import io.vaultcube.pipeline.gate.report.JsonReport;
import io.vaultcube.pipeline.gate.report.MarkdownReport;
import io.vaultcube.pipeline.gate.report.ReportFiles;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Promoter;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.run.Console;
import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.ansible.AnsibleRunner;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import io.vaultcube.pipeline.run.bench.BenchKind;
import io.vaultcube.pipeline.run.bench.BenchRunner;
import io.vaultcube.pipeline.run.bench.BenchSettings;
import io.vaultcube.pipeline.run.gpu.GpuValidateRunner;
import io.vaultcube.pipeline.run.gpu.GpuValidateSettings;
import io.vaultcube.pipeline.run.packer.PackerRunner;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import io.vaultcube.pipeline.run.stress.StressRunner;
import io.vaultcube.pipeline.run.stress.StressSettings;
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

    public PipelineRunner() {
        this(new ProcessRunner(), Clock.systemUTC());
    }

    public PipelineRunner(ProcessRunner processes, Clock clock) {
        this.processes = processes;
        this.clock = clock;
    }

    /**
     * What a stage sees of the run.
     *
     * @param workDir the directory relative paths of the pipeline file resolve against
     * @param evidence the run's evidence directory
     * @param console where the person reads the run
     * @param gates each gate stage's verdict so far, by stage name
     */
    public record Context(Path workDir, EvidenceDir evidence, Console console, Map<String, Verdict> gates) {
        /** A path of the pipeline file, with ${evidence} substituted, resolved against the working directory. */
        public Path path(String written) {
            return workDir.resolve(substitute(written, evidence.root())).normalize();
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
            throw new PipelineFileException(pipeline.file().toString(), List.of(new io.vaultcube.pipeline.yaml
                    .YamlException.Problem(0, 0, "the evidence directory " + evidencePath + " already holds a run;"
                            + " give a new one (--evidence DIR) or remove it")));
        }
        EvidenceDir evidence = EvidenceDir.create(evidencePath);
        Context context = new Context(workDir, evidence, console, new LinkedHashMap<>());
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
                outcome = new StageOutcome(stage.name(), stage.kind(), "SKIPPED", false, Duration.ZERO, skipReason);
            } else {
                try {
                    outcome = runStage(stage, context, started);
                } catch (RunSetupException | IOException | IllegalArgumentException e) {
                    // Nothing started, or evidence that cannot be read or written (a garbled
                    // metrics.json, a full disk): the stage fails, closed, and says why.
                    outcome = new StageOutcome(stage.name(), stage.kind(), "FAILED", true,
                            Duration.between(started, clock.instant()), e.getMessage());
                    console.println("vault: " + stage.name() + ": " + e.getMessage());
                }
            }
            outcomes.add(outcome);
            console.println("== " + stage.name() + ": " + outcome.result() + " in " + seconds(outcome.duration())
                    + (outcome.detail() == null ? "" : " — " + outcome.detail()));
            if (stage instanceof StageSpec.Gate) {
                verdict = context.gates().get(stage.name());
            }
            if (outcome.result().equals("ABORTED") || Thread.currentThread().isInterrupted()) {
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

    private StageOutcome runStage(StageSpec stage, Context context, Instant started)
            throws IOException, RunSetupException {
        Console console = context.console();
        OutputStream out = console.stream();
        if (stage instanceof StageSpec.Gate gate) {
            return gate(gate, context, started);
        }
        if (stage instanceof StageSpec.Promote promote) {
            return promote(promote, context, started);
        }
        StageEvidence evidence = context.evidence().stage(stage.name());
        RunResult r;
        if (stage instanceof StageSpec.PackerBuild p) {
            r = new PackerRunner(processes, io.vaultcube.pipeline.parse.ParserRegistry.standard())
                    .run(packer(p, context), out, evidence);
        } else if (stage instanceof StageSpec.Provision p) {
            r = new AnsibleRunner(processes).run(provision(p, context), out, evidence);
        } else if (stage instanceof StageSpec.GpuValidate g) {
            GpuValidateSettings.Builder b = g.recorded() != null
                    ? GpuValidateSettings.recorded(context.path(g.recorded()))
                    : GpuValidateSettings.live(context.path(g.script() == null ? "scripts/validate-gpus.sh" : g.script()));
            if (g.recorded() == null) {
                b.expectCount(g.expectCount()).expectModel(g.expectModel()).expectMemoryMib(g.expectMemoryMib());
            }
            r = new GpuValidateRunner(processes).run(b.workingDirectory(context.workDir()).build(), out, evidence);
        } else if (stage instanceof StageSpec.Bench b) {
            BenchKind kind = BenchKind.of(b.benchmark());
            Duration interval = b.interval() == null ? BenchSettings.DEFAULT_INTERVAL : b.interval();
            if (b.recorded() != null) {
                r = new BenchRunner(processes).replay(kind, interval, context.path(b.recorded()), out, evidence);
            } else {
                BenchSettings.Builder s = BenchSettings.builder(kind, substituteAll(b.command(), context))
                        .interval(interval).stageName(stage.name()).workingDirectory(context.workDir())
                        .timeout(b.timeout());
                if (b.sampler() != null) {
                    s.sampler(context.path(b.sampler()));
                }
                r = new BenchRunner(processes).run(s.build(), out, evidence);
            }
        } else if (stage instanceof StageSpec.Stress s) {
            Duration interval = s.interval() == null ? StressSettings.DEFAULT_INTERVAL : s.interval();
            if (s.recorded() != null) {
                r = new StressRunner(processes).replay(s.duration(), interval, context.path(s.recorded()), out,
                        evidence);
            } else {
                Path sampler = context.path(s.sampler() == null ? "scripts/sample-telemetry.sh" : s.sampler());
                r = new StressRunner(processes).run(StressSettings.builder(substituteAll(s.command(), context),
                        s.duration(), sampler).interval(interval).stageName(stage.name())
                        .workingDirectory(context.workDir()).build(), out, evidence);
            }
        } else {
            throw new IllegalStateException("no runner for " + stage.kind());
        }
        return outcome(stage, r, started);
    }

    private StageOutcome outcome(StageSpec stage, RunResult r, Instant started) {
        boolean recorded = isRecorded(stage);
        String result = switch (r.status()) {
            case SUCCEEDED -> recorded ? "RECORDED" : "SUCCEEDED";
            case FAILED -> recorded ? "RECORDED-FAULT" : "FAILED";
            default -> r.status().name();
        };
        String detail = recorded ? "evidence read from " + recordedFrom(stage) + ", not measured now"
                : r.status() == StageStatus.FAILED && !r.messages().isEmpty() ? r.messages().get(0) : null;
        // A fault in recorded evidence is the gate's to judge; it does not stop the pipeline by itself.
        boolean failed = !recorded && (r.status() == StageStatus.FAILED || r.status() == StageStatus.ABORTED);
        return new StageOutcome(stage.name(), stage.kind(), result, failed, Duration.between(started, clock.instant()),
                detail);
    }

    private StageOutcome gate(StageSpec.Gate gate, Context context, Instant started) throws IOException {
        Policy policy = PolicyParser.load(context.path(gate.policy()));
        Path baseline = gate.baseline() == null ? null : context.path(gate.baseline());
        GateRun run = GateRun.evaluate(policy, context.evidence().root(), baseline, clock);
        StageEvidence stage = context.evidence().stage(gate.name());
        ReportFiles.write(stage.file(REPORT_JSON), JsonReport.render(run));
        ReportFiles.write(stage.file(REPORT_JUNIT), JUnitReport.render(run.report()));
        ReportFiles.write(stage.file(REPORT_HTML), HtmlReport.render(run));
        String markdown = MarkdownReport.render(run.report());
        ReportFiles.write(stage.file(REPORT_MARKDOWN), markdown);
        context.console().println(markdown.stripTrailing());
        context.gates().put(gate.name(), run.verdict());
        stage.writeRecord(new io.vaultcube.pipeline.evidence.StageRecord(gate.name(),
                run.verdict() == Verdict.FAILURE ? StageStatus.FAILED : StageStatus.SUCCEEDED, started,
                clock.instant(), List.of(), List.of("gate verdict " + run.verdict() + " (policy " + policy.name()
                        + "); reports " + REPORT_JSON + ", " + REPORT_JUNIT + ", " + REPORT_HTML + ", "
                        + REPORT_MARKDOWN), null));
        return new StageOutcome(gate.name(), gate.kind(), run.verdict().name(), run.verdict() == Verdict.FAILURE,
                Duration.between(started, clock.instant()), "report " + stage.file(REPORT_HTML));
    }

    /**
     * Promotes the files when the named gate allows it. A refusal for the verdict is the gate's
     * failure, already counted; a promotion that cannot be done (missing files, a version that
     * exists with other content, a full disk) fails the pipeline.
     */
    private StageOutcome promote(StageSpec.Promote p, Context context, Instant started) throws IOException {
        Verdict verdict = context.gates().get(p.gate());
        Path report = context.gateReport(p.gate());
        String target = p.image() + " " + p.version() + " on " + String.join(", ", p.channels());
        if (verdict == null || !Files.isRegularFile(report)) {
            return new StageOutcome(p.name(), p.kind(), "FAILED", true, Duration.between(started, clock.instant()),
                    "gate " + p.gate() + " wrote no report (" + report + "); nothing promoted");
        }
        if (verdict == Verdict.FAILURE || (verdict == Verdict.UNSTABLE && !p.allowUnstable())) {
            String why = "not promoted: the verdict of stage " + p.gate() + " is " + verdict
                    + (verdict == Verdict.UNSTABLE ? " (allow_unstable is false)" : "") + "; " + target + " unchanged";
            context.console().println("vault: " + why);
            // A refusal is an outcome of the repository's like any other: recorded where it exists.
            Promoter.recordRefusal(PromotionRequest.builder(context.path(p.repo()), p.image(), p.version(), report)
                    .build(), null, why, line -> context.console().println("vault: promote: " + line));
            return new StageOutcome(p.name(), p.kind(), "REFUSED", false, Duration.between(started, clock.instant()),
                    why);
        }
        List<Path> files = p.files().stream().map(context::path).toList();
        PromotionRequest.Builder b = PromotionRequest.builder(context.path(p.repo()), p.image(), p.version(), report)
                .files(files).channels(p.channels()).allowUnstable(p.allowUnstable()).checkout(context.workDir())
                .evidence(context.evidence().root());
        if (p.packerManifest() != null) {
            b.packerManifest(context.path(p.packerManifest()));
        }
        try {
            Promoter promoter = new Promoter(new FileHasher(), Runtime.getRuntime().availableProcessors(),
                    ProgressMeter.silent(), line -> context.console().println("vault: promote: " + line), processes);
            PromotionResult result = promoter.promote(b.build());
            String where = result.versionDir() + " (" + String.join(", ", p.channels()) + ")";
            String outcome = result.outcome() == PromotionResult.Outcome.CREATED ? "PROMOTED" : "UNCHANGED";
            String detail = outcome.equals("PROMOTED") ? "promoted to " + where
                    : "already promoted with the same files: " + where;
            context.console().println("vault: " + p.image() + " " + p.version() + ": " + detail);
            return new StageOutcome(p.name(), p.kind(), outcome, false, Duration.between(started, clock.instant()),
                    detail);
        } catch (PromotionRefusedException | RepositoryException | GateReportException | IllegalArgumentException e) {
            context.console().println("vault: promote: " + e.getMessage());
            return new StageOutcome(p.name(), p.kind(), "FAILED", true, Duration.between(started, clock.instant()),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StageOutcome(p.name(), p.kind(), "ABORTED", true, Duration.between(started, clock.instant()),
                    "aborted while waiting for the repository's lock; nothing promoted");
        }
    }

    private PackerSettings packer(StageSpec.PackerBuild p, Context context) {
        PackerSettings.Builder b = PackerSettings.builder(context.path(p.template()))
                .workingDirectory(context.workDir()).force(p.force()).timeout(p.timeout());
        p.vars().forEach((k, v) -> b.var(k, substitute(v, context.evidence().root())));
        p.sensitiveVarsFromEnv().forEach((k, env) -> {
            String value = System.getenv(env);
            if (value == null) {
                throw new IllegalArgumentException("sensitive variable " + k + ": environment variable " + env
                        + " is not set");
            }
            b.sensitiveVar(k, value);
        });
        p.varFiles().forEach(f -> b.varFile(context.path(f)));
        p.only().forEach(b::only);
        p.except().forEach(b::except);
        if (p.onError() != null) {
            b.onError(PackerSettings.OnError.valueOf(p.onError().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return b.build();
    }

    private AnsibleSettings provision(StageSpec.Provision p, Context context) {
        AnsibleSettings.Builder b = AnsibleSettings.builder(context.path(p.playbook()),
                context.path(p.inventory()).toString())
                .idempotencyRuns(p.idempotencyRuns()).limit(p.limit()).tags(p.tags()).skipTags(p.skipTags())
                .user(p.user()).become(p.become()).check(p.check()).diff(p.diff()).timeout(p.timeout())
                .workingDirectory(context.workDir());
        p.extraVars().forEach((k, v) -> b.extraVar(k, substitute(v, context.evidence().root())));
        if (p.extraVarsFile() != null) {
            b.extraVarsFile(context.path(p.extraVarsFile()));
        }
        if (p.privateKey() != null) {
            b.privateKeyFile(context.path(p.privateKey()));
        }
        return b.build();
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
                    o.result(), seconds(o.duration())));
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

    /** 0.3 s, 12.4 s, 1h02m. */
    private static String seconds(Duration d) {
        if (d.compareTo(Duration.ofMinutes(10)) >= 0) {
            return Durations.format(Duration.ofSeconds(d.toSeconds()));
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static boolean isRecorded(StageSpec stage) {
        return recordedFrom(stage) != null;
    }

    private static String recordedFrom(StageSpec stage) {
        if (stage instanceof StageSpec.GpuValidate g) {
            return g.recorded();
        }
        if (stage instanceof StageSpec.Bench b) {
            return b.recorded();
        }
        if (stage instanceof StageSpec.Stress s) {
            return s.recorded();
        }
        return null;
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

    private List<String> substituteAll(List<String> values, Context context) {
        return values.stream().map(v -> substitute(v, context.evidence().root())).toList();
    }

    /** Replaces {@code ${evidence}} with the run's evidence directory. */
    static String substitute(String value, Path evidence) {
        return value.replace("${evidence}", evidence.toString());
    }
}
