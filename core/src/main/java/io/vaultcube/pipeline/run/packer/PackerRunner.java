package io.vaultcube.pipeline.run.packer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.LineListener;
import io.vaultcube.pipeline.exec.OutputSource;
import io.vaultcube.pipeline.exec.ProcessOutcome;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.exec.SecretMasker;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.run.EvidenceLog;
import io.vaultcube.pipeline.run.Executables;
import io.vaultcube.pipeline.run.PrivateTempDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.SessionRunner;
import io.vaultcube.pipeline.run.StageSession;
import io.vaultcube.pipeline.run.ToolLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a Packer build and keeps its evidence in the {@code packer} stage.
 *
 * <p>Order: {@code packer -machine-readable version}; {@code packer init} where the version has it
 * (1.7 and later, HCL2 templates only); {@code packer validate}, so that a configuration error
 * fails clearly before anything is built; then {@code packer build -machine-readable -color=false}.
 * Variables reach Packer in a generated JSON variable file in a private temporary directory, never
 * on the command line; Packer's own temporary files ({@code TMPDIR}) go to that directory too, and
 * it is removed after success, failure and abort. Sensitive values are masked in the console and
 * in every evidence file (Packer up to 1.15.0 prints them in machine-readable output). The person
 * sees Packer's {@code ui} lines as Packer's normal interface shows them, live; the raw
 * machine-readable log is kept as {@code packer-build.log} and read by the {@code packer} parser.
 *
 * <p>A build fails when Packer exits non-zero, when no build ran (an {@code -only} or
 * {@code -except} that matched nothing: Packer exits 0), and when the builds created no artifact.
 * Interrupting the calling thread aborts: Packer gets SIGINT and {@link PackerSettings#interruptGrace()}
 * to destroy its VM and temporary files, then SIGTERM and SIGKILL; the stage is recorded ABORTED
 * and no metrics are written.
 *
 * <p>Holds no state between runs; one instance may run any number of builds, also at once.
 */
public final class PackerRunner extends SessionRunner<PackerSettings> {
    public static final String STAGE = "packer";
    public static final String VERSION_LOG = "packer-version.log";
    public static final String INIT_LOG = "packer-init.log";
    public static final String VALIDATE_LOG = "packer-validate.log";
    public static final String BUILD_LOG = "packer-build.log";
    public static final String BUILD_STDERR_LOG = "packer-build.stderr.log";
    static final String VAR_FILE = "vault.pkrvars.json";

    public PackerRunner() {
    }

    public PackerRunner(ProcessRunner processes, ParserRegistry parsers) {
        super(processes, parsers);
    }

    /** Nothing is started for a missing template, variable file or Packer. */
    @Override
    protected Work prepare(PackerSettings settings, Path workDir, StageEvidence stage)
            throws RunSetupException, IOException {
        Path template = workDir.resolve(settings.template()).normalize();
        requireTemplate(template);
        List<Path> varFiles = StageSession.readableFiles(workDir, settings.varFiles(), "variable file");
        Map<String, String> env = settings.process().childEnvironment();
        Path packer = Executables.require(settings.packer(), env.get("PATH"),
                "install it (apt-get install packer) or give its path with --packer");
        SensitiveValues sensitive = SensitiveValues.of(settings, template, varFiles, env);
        return session -> {
            Set<String> secrets = sensitive.maskedForms();
            session.maskAlso(secrets);
            session.warnShortSecrets(sensitive.values());
            for (String name : sensitive.names()) {
                session.record("sensitive variable " + name + " is masked in the console and the evidence");
            }
            Build build = new Build(settings, packer.toString(), template, varFiles, secrets, session);
            return session.withPrivateTemp(settings.tempRoot(), "vault-packer-", build::run);
        };
    }

    private static void requireTemplate(Path template) throws RunSetupException {
        if (Files.isDirectory(template)) {
            try (var entries = Files.list(template)) {
                if (entries.map(p -> p.getFileName().toString())
                        .noneMatch(n -> n.endsWith(".pkr.hcl") || n.endsWith(".pkr.json"))) {
                    throw new RunSetupException("the template directory " + template
                            + " holds no *.pkr.hcl or *.pkr.json file");
                }
            } catch (IOException e) {
                throw new RunSetupException("cannot read the template directory " + template + ": " + e.getMessage(), e);
            }
        } else if (!Files.isRegularFile(template) || !Files.isReadable(template)) {
            throw new RunSetupException("no Packer template at " + template);
        }
    }

    /** One run's state; lives for one call of {@link #run}. */
    private final class Build {
        private final PackerSettings settings;
        private final String packer;
        private final Path template;
        private final List<Path> varFiles;
        private final Set<String> secrets;
        private final SecretMasker masker;
        private final StageSession session;
        private final StageEvidence stage;
        /** The run's private directory: the unmasked copies of the logs, for the parser, live there. */
        private PrivateTempDir tmp;
        /** The file the parser reads for each log written so far ({@link ToolLog#parsed()}). */
        private final Map<String, Path> parsedLogs = new HashMap<>();

        Build(PackerSettings settings, String packer, Path template, List<Path> varFiles, Set<String> secrets,
                StageSession session) {
            this.settings = settings;
            this.packer = packer;
            this.template = template;
            this.varFiles = varFiles;
            this.secrets = secrets;
            this.masker = session.masker();
            this.session = session;
            this.stage = session.stage();
        }

        RunResult run(PrivateTempDir tmp, List<String> notesAfterCleanup) throws IOException {
            this.tmp = tmp;
            Path packerTmp = tmp.directory("tmp");
            List<String> varFileArgs = new ArrayList<>();
            for (Path f : varFiles) {
                varFileArgs.add("-var-file=" + f);
            }
            Path generated = writeVarFile(tmp);
            if (generated != null) {
                varFileArgs.add("-var-file=" + generated);
            }
            RunResult result = steps(packerTmp, varFileArgs);
            List<String> leftovers = tmp.filesUnder("tmp");
            if (!leftovers.isEmpty()) {
                notesAfterCleanup.add("Packer left " + leftovers.size() + " temporary file(s) behind, removed by vault: "
                        + String.join(", ", leftovers.subList(0, Math.min(5, leftovers.size()))));
            }
            return result;
        }

        /** version, init (where the version has it), validate, build: each may end the run. */
        private RunResult steps(Path packerTmp, List<String> varFileArgs) throws IOException {
            Map<String, String> childEnv = new LinkedHashMap<>();
            childEnv.put("TMPDIR", packerTmp.toString());
            childEnv.put("CHECKPOINT_DISABLE", "1");
            // PACKER_LOG_PATH would write Packer's debug log, secrets and all, to a file nobody masks.
            childEnv.put("PACKER_LOG_PATH", null);

            VersionCapture version = new VersionCapture();
            RunResult ended = askVersion(childEnv, version);
            if (ended != null) {
                return ended;
            }
            MetricSet versionMetrics = versionMetrics(version.version());
            ended = init(childEnv, version.version(), versionMetrics);
            if (ended == null) {
                ended = validate(childEnv, varFileArgs, versionMetrics);
            }
            return ended != null ? ended : build(childEnv, varFileArgs, versionMetrics);
        }

        /** {@code packer version}: which Packer this is; the run ends (returned) when that cannot be told. */
        private RunResult askVersion(Map<String, String> childEnv, VersionCapture version) throws IOException {
            ProcessResult versionRun = runStep(List.of(packer, "-machine-readable", "version"), VERSION_LOG, childEnv,
                    version, false, null);
            if (versionRun == null || versionRun.outcome() != ProcessOutcome.EXITED) {
                return session.abort("aborted while asking Packer for its version");
            }
            PackerVersion packerVersion = version.version();
            if (!versionRun.succeeded() || packerVersion == null) {
                session.record("cannot tell which Packer this is: '" + packer + " -machine-readable version' exited "
                        + versionRun.exitCode() + (packerVersion == null ? " without a version line" : "")
                        + "; see " + stage.source(VERSION_LOG, null));
                return session.fail(null);
            }
            session.say("Packer " + packerVersion + ", template " + template);
            if (!packerVersion.scrubsSensitiveValues() && !secrets.isEmpty()) {
                session.record("Packer " + packerVersion + " prints sensitive values in machine-readable output"
                        + " (fixed in 1.15.1); vault masks them");
            }
            return null;
        }

        /** {@code packer init} for an HCL2 template, where the version has it; null: go on. */
        private RunResult init(Map<String, String> childEnv, PackerVersion packerVersion, MetricSet versionMetrics)
                throws IOException {
            if (!packerVersion.hasInit() || !settings.isHcl2()) {
                return null;
            }
            session.say("packer init");
            Observer init = new Observer();
            ProcessResult initRun = runStep(argv("init", "-machine-readable", template.toString()), INIT_LOG, childEnv,
                    init, true, null);
            if (initRun == null || initRun.outcome() != ProcessOutcome.EXITED) {
                return session.abort("aborted during packer init");
            }
            if (!initRun.succeeded()) {
                session.record("packer init failed (exit " + initRun.exitCode() + ")" + init.errorSummary()
                        + "; see " + stage.source(INIT_LOG, null));
                return session.fail(versionMetrics);
            }
            return null;
        }

        /** {@code packer validate}; null: go on. */
        private RunResult validate(Map<String, String> childEnv, List<String> varFileArgs, MetricSet versionMetrics)
                throws IOException {
            session.say("packer validate");
            List<String> validate = new ArrayList<>(List.of(packer, "validate", "-machine-readable"));
            validate.addAll(selectionArgs());
            validate.addAll(varFileArgs);
            validate.add(template.toString());
            Observer validated = new Observer();
            ProcessResult validateRun = runStep(validate, VALIDATE_LOG, childEnv, validated, true, null);
            if (validateRun == null || validateRun.outcome() != ProcessOutcome.EXITED) {
                return session.abort("aborted during packer validate");
            }
            if (validateRun.succeeded()) {
                return null;
            }
            session.record("packer validate found errors in the template (exit " + validateRun.exitCode() + ")"
                    + validated.errorSummary() + "; see " + stage.source(VALIDATE_LOG, null));
            MetricSet metrics;
            try {
                metrics = metricsOf(VALIDATE_LOG, versionMetrics, null);
            } catch (ParseException e) {
                session.record("the packer parser could not read " + stage.source(VALIDATE_LOG, null) + ": "
                        + e.getMessage());
                metrics = versionMetrics;
            }
            return session.fail(metrics);
        }

        /** {@code packer build}, and the decision on its log. */
        private RunResult build(Map<String, String> childEnv, List<String> varFileArgs, MetricSet versionMetrics)
                throws IOException {
            session.say("packer build");
            List<String> buildArgv = new ArrayList<>(List.of(packer, "build", "-machine-readable", "-color=false"));
            if (settings.force()) {
                buildArgv.add("-force");
            }
            if (settings.onError() != null) {
                buildArgv.add("-on-error=" + settings.onError().flag());
            }
            buildArgv.addAll(selectionArgs());
            buildArgv.addAll(varFileArgs);
            buildArgv.add(template.toString());
            Observer built = new Observer();
            ProcessResult buildRun = runStep(buildArgv, BUILD_LOG, childEnv, built, true, settings.process().timeout());
            if (buildRun == null) {
                return session.abort("aborted before packer build started");
            }
            if (buildRun.cancelled() || buildRun.timedOut()) {
                return session.abortedBy("packer build", buildRun, "Packer", built.cleanlyCancelled
                        ? " and reported its cleanup done (\"Cleanly cancelled builds\")" : "");
            }
            MetricSet metrics;
            try {
                metrics = metricsOf(BUILD_LOG, versionMetrics, buildRun.duration());
            } catch (ParseException e) {
                session.record("the Packer build log cannot be read, so the build cannot be trusted: " + e.getMessage());
                return session.fail(versionMetrics);
            }
            return decide(buildRun, built, metrics);
        }

        private RunResult decide(ProcessResult buildRun, Observer built, MetricSet metrics) throws IOException {
            double builds = metrics.number("packer.builds").orElse(Double.NaN);
            double failed = metrics.number("packer.builds_failed").orElse(Double.NaN);
            double artifacts = metrics.number("packer.artifacts").orElse(Double.NaN);
            String log = " see " + stage.source(BUILD_LOG, null);
            if (!buildRun.succeeded()) {
                if (!built.buildErrors.isEmpty()) {
                    session.record("packer build failed: " + built.buildErrors.size() + " build(s) errored: "
                            + String.join("; ", built.buildErrors) + ";" + log);
                } else if (!built.uiErrors.isEmpty()) {
                    session.record("packer build failed with an error before any build ran: "
                            + firstLines(built.uiErrors.get(0), 6) + ";" + log);
                } else {
                    session.record("packer build exited with status " + buildRun.exitCode() + ";" + log);
                }
                return session.fail(metrics);
            }
            if (Double.isNaN(builds) || Double.isNaN(failed) || Double.isNaN(artifacts)) {
                session.record("the packer parser did not report packer.builds, packer.builds_failed and"
                        + " packer.artifacts for " + stage.source(BUILD_LOG, null) + "; the build cannot be trusted");
                return session.fail(metrics);
            }
            if (builds == 0) {
                String selection = !settings.only().isEmpty() ? "-only=" + String.join(",", settings.only())
                        : !settings.except().isEmpty() ? "-except=" + String.join(",", settings.except()) : null;
                session.record(selection != null
                        ? selection + " matched no build of the template, so nothing was built (Packer exits 0 then);"
                                + log
                        : "Packer ran no build (the template defines none?);" + log);
                return session.fail(metrics);
            }
            if (failed > 0) {
                session.record("packer build exited 0 but " + (long) failed + " build(s) failed: "
                        + String.join("; ", built.buildErrors) + ";" + log);
                return session.fail(metrics);
            }
            if (artifacts == 0) {
                session.record("packer build finished but created no artifacts;" + log);
                return session.fail(metrics);
            }
            if (metrics.get("packer.success").map(m -> !Boolean.TRUE.equals(m.value().raw())).orElse(false)) {
                session.record("packer build exited 0 but its log reports " + (long) metrics.number("packer.errors").orElse(Double.NaN)
                        + " error(s): " + String.join("; ", built.uiErrors) + ";" + log);
                return session.fail(metrics);
            }
            String summary = "packer build succeeded: " + (long) builds + " build(s), " + (long) artifacts
                    + " artifact(s)";
            session.note(summary);
            return session.finish(StageStatus.SUCCEEDED, metrics);
        }

        /** packer.version as the parser reads it from the version log (as the runner read it, should the parser not). */
        private MetricSet versionMetrics(PackerVersion version) throws IOException {
            MetricSet metrics = new MetricSet();
            try {
                metrics.addAll(parsers.require("packer")
                        .parse(new ParseInput(parsed(VERSION_LOG), stage.source(VERSION_LOG, null).file(), Map.of())));
            } catch (ParseException e) {
                session.record("the packer parser could not read " + stage.source(VERSION_LOG, null) + ": "
                        + e.getMessage());
            }
            if (!metrics.contains("packer.version")) {
                metrics.add(Metric.text("packer.version", version.text(), stage.source(VERSION_LOG, null)));
            }
            return metrics;
        }

        /**
         * The parser's metrics of a log, with the version and (when the parser has none) the duration added.
         *
         * @throws ParseException the log does not parse
         */
        private MetricSet metricsOf(String logName, MetricSet versionMetrics, Duration duration)
                throws IOException, ParseException {
            MetricSet metrics = new MetricSet();
            metrics.addAll(parsers.require("packer")
                    .parse(new ParseInput(parsed(logName), stage.source(logName, null).file(), Map.of())));
            for (Metric m : versionMetrics) {
                if (metrics.get(m.name()).isEmpty()) {
                    metrics.add(m);
                }
            }
            if (duration != null && !metrics.contains("packer.duration_s")) {
                metrics.add(Metric.number("packer.duration_s", duration.toMillis() / 1000.0, "s",
                        stage.source(StageEvidence.RECORD_FILE, null)));
            }
            return metrics;
        }

        /**
         * The file the parser reads for a log: the unmasked copy when secrets are masked (a secret
         * that is also a word of Packer's output, "Build" or "finished", must not change the
         * verdict); the evidence file itself, which is then the same text, when none are. Line N of
         * either is line N of the evidence file, which the metrics cite.
         */
        private Path parsed(String logName) {
            return parsedLogs.getOrDefault(logName, stage.file(logName));
        }

        private List<String> selectionArgs() {
            List<String> args = new ArrayList<>();
            if (!settings.only().isEmpty()) {
                args.add("-only=" + String.join(",", settings.only()));
            }
            if (!settings.except().isEmpty()) {
                args.add("-except=" + String.join(",", settings.except()));
            }
            return args;
        }

        private List<String> argv(String... args) {
            List<String> argv = new ArrayList<>();
            argv.add(packer);
            argv.addAll(List.of(args));
            return argv;
        }

        /**
         * Runs one Packer command with its raw output to an evidence file and its ui lines to the
         * console; null when the thread was interrupted before it could start.
         */
        private ProcessResult runStep(List<String> argv, String logName, Map<String, String> childEnv,
                LineListener observer, boolean show, Duration timeout) throws IOException {
            if (Thread.currentThread().isInterrupted()) {
                return null;
            }
            Path stderrFile = stage.file(logName.replace(".log", ".stderr.log"));
            ProcessResult result;
            try (ToolLog log = session.toolLog(logName, tmp);
                    EvidenceLog errLog = new EvidenceLog(stderrFile)) {
                // The evidence gets the masked lines; the runner's own reading (the observer, the
                // console's rendering of ui records, the parser's copy) gets the lines as Packer wrote them.
                parsedLogs.put(logName, log.parsed());
                ProcessSpec spec = session.spec(argv, childEnv)
                        .timeout(timeout)
                        .secrets(secrets)
                        .listener((source, line) -> (source == OutputSource.STDOUT ? log.evidence() : errLog)
                                .onLine(source, line))
                        .rawListener((source, line) -> {
                            if (source == OutputSource.STDOUT) {
                                log.raw().onLine(source, line);
                            }
                            observer.onLine(source, line);
                            if (show) {
                                render(source, line);
                            }
                        })
                        .build();
                result = session.run(spec);
                if (errLog.lines() == 0) {
                    errLog.close();
                    Files.deleteIfExists(stderrFile);
                }
            }
            return result;
        }

        /**
         * Shows a line the way Packer's own interface would: the text of ui records, unescaped. It
         * gets the raw line (a masked one may no longer parse as a record) and masks what it shows,
         * after unescaping: a secret may only be whole once commas are restored.
         */
        private void render(OutputSource source, String line) {
            MachineLine record = source == OutputSource.STDERR ? null : MachineLine.parse(line);
            if (record == null) {
                session.console().println(masker.mask(line));
            } else if (record.isUi()) {
                session.console().println(masker.mask(record.uiText()));
            }
        }

        private Path writeVarFile(PrivateTempDir tmp) throws IOException {
            Map<String, String> all = new LinkedHashMap<>(settings.vars());
            all.putAll(settings.sensitiveVars());
            if (all.isEmpty()) {
                return null;
            }
            // JSON: Packer 1.6.6 reads JSON variable files for HCL2 and legacy templates alike, and
            // JSON escaping carries any value (quotes, newlines, ${...}, unicode) unchanged.
            byte[] json = new ObjectMapper().writeValueAsBytes(all);
            return tmp.writeFile(VAR_FILE, json, "rw-------");
        }

    }

    /** Reads the version record of {@code packer -machine-readable version}. */
    private static final class VersionCapture implements LineListener {
        private PackerVersion version;

        @Override
        public void onLine(OutputSource source, String line) {
            MachineLine record = MachineLine.parse(line);
            if (version == null && record != null && record.type().equals("version") && !record.data().isEmpty()) {
                version = PackerVersion.parse(record.data().get(0));
            }
        }

        PackerVersion version() {
            return version;
        }
    }

    /**
     * What the runner itself notes from the machine-readable stream to explain an outcome: the
     * {@code error} records of failed builds, the {@code ui,error} texts (a configuration error
     * arrives as one of them), and Packer's own word that a cancelled build was cleaned up.
     */
    static final class Observer implements LineListener {
        final List<String> buildErrors = new ArrayList<>();
        final List<String> uiErrors = new ArrayList<>();
        final Set<String> builds = new LinkedHashSet<>();
        boolean cleanlyCancelled;

        @Override
        public void onLine(OutputSource source, String line) {
            if (source != OutputSource.STDOUT) {
                return;
            }
            MachineLine record = MachineLine.parse(line);
            if (record == null) {
                return;
            }
            if (record.type().equals("error") && !record.data().isEmpty()) {
                buildErrors.add((record.target().isEmpty() ? "" : record.target() + ": ") + record.data().get(0));
            } else if (record.isUi()) {
                String text = record.uiText();
                if ("error".equals(record.uiKind())) {
                    uiErrors.add(text.strip());
                }
                if (text.startsWith("Cleanly cancelled builds after being interrupted")) {
                    cleanlyCancelled = true;
                }
            } else if (record.type().equals("artifact-count")) {
                builds.add(record.target());
            }
        }

        String errorSummary() {
            if (uiErrors.isEmpty()) {
                return "";
            }
            return ": " + firstLines(String.join("\n", uiErrors), 8);
        }
    }

    static String firstLines(String text, int max) {
        String[] lines = text.strip().split("\n");
        List<String> kept = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank()) {
                kept.add(l.strip());
            }
            if (kept.size() == max) {
                break;
            }
        }
        return String.join(" / ", kept);
    }

}
