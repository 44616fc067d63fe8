package io.vaultcube.pipeline.run.packer;

import static io.vaultcube.pipeline.run.RunTestSupport.assertNoSecretIn;
import static io.vaultcube.pipeline.run.RunTestSupport.copy;
import static io.vaultcube.pipeline.run.RunTestSupport.processesIn;
import static io.vaultcube.pipeline.run.RunTestSupport.requireTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Packer runner against Debian's real packer 1.6.6, with small HCL2 templates using the null
 * and file builders (src/test/resources/run/packer). Every build runs in a temporary directory.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class PackerRunnerTest {
    private final PackerRunner runner = new PackerRunner();

    @TempDir
    Path tmp;
    Path work;
    Path privateRoot;
    StageEvidence stage;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void packerIsInstalled() {
        requireTool("packer", "packer");
    }

    @BeforeEach
    void dirs() throws IOException {
        work = Files.createDirectories(tmp.resolve("work"));
        privateRoot = Files.createDirectories(tmp.resolve("private"));
        stage = EvidenceDir.create(tmp.resolve("evidence")).stage(PackerRunner.STAGE);
    }

    private PackerSettings.Builder settings(Path template) {
        return PackerSettings.builder(template).workingDirectory(work).tempRoot(privateRoot);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPassingBuildKeepsItsLogMetricsAndArtifactsAndShowsPackersOwnText() throws Exception {
        Path template = copy(work, "packer/ok.pkr.hcl");
        RunResult result = runner.run(settings(template).build(), console, stage);

        assertThat(result.status()).as(String.join("\n", result.messages())).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(work.resolve("out/artifact.txt")).hasContent("hello, world");
        // The person reads Packer's ui text, unescaped, not the CSV.
        assertThat(console()).contains("    null.ok: hello, from shell-local", "--> file.art: Stored file: out/artifact.txt")
                .doesNotContain("%!(PACKER_COMMA)", ",ui,say,", "artifact-count");
        // The evidence keeps the raw machine-readable log.
        assertThat(Files.readString(stage.file(PackerRunner.BUILD_LOG)))
                .contains(",ui,message,    null.ok: hello%!(PACKER_COMMA) from shell-local")
                .contains("file.art,artifact-count,1");
        assertThat(stage.file(PackerRunner.VALIDATE_LOG)).exists();
        assertThat(stage.file(PackerRunner.VERSION_LOG)).content().contains(",version,1.6.6");

        MetricSet metrics = stage.readMetrics();
        assertThat(metrics.values()).containsEntry("packer.builds", 2L).containsEntry("packer.builds_failed", 0L)
                .containsEntry("packer.artifacts", 2L).containsEntry("packer.version", "1.6.6")
                .containsKey("packer.duration_s").containsKey("packer.errors");
        assertThat(metrics.get("packer.builds").orElseThrow().source().file()).isEqualTo("packer/packer-build.log");

        StageRecord record = stage.readRecord();
        assertThat(record.status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(record.commands()).extracting(StageRecord.Command::commandLine)
                .anySatisfy(c -> assertThat(c).contains(" build -machine-readable -color=false "));
        assertThat(privateRoot).isEmptyDirectory();
        // packer init does not exist in 1.6.6 and is not run.
        assertThat(stage.file(PackerRunner.INIT_LOG)).doesNotExist();
    }

    @Test
    void aFailingBuildFailsNamingTheBuildAndItsError() throws Exception {
        Path template = copy(work, "packer/fail.pkr.hcl");
        RunResult result = runner.run(settings(template).build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m)
                .contains("1 build(s) errored")
                .contains("null.bad: Script exited with non-zero exit status: 3"));
        assertThat(console()).contains("==> null.bad: about to fail, with comma");
        assertThat(stage.readMetrics().values()).containsEntry("packer.builds_failed", 1L)
                .containsEntry("packer.builds", 2L);
        assertThat(stage.readRecord().status()).isEqualTo(StageStatus.FAILED);
        assertThat(privateRoot).isEmptyDirectory();
    }

    @Test
    void anOnlyThatMatchesNothingIsAFailureThoughPackerExitsZero() throws Exception {
        Path template = copy(work, "packer/ok.pkr.hcl");
        RunResult result = runner.run(settings(template).only("null.nomatch").build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).contains("-only=null.nomatch matched no build"));
        assertThat(stage.readRecord().commands()).last().satisfies(c -> assertThat(c.exitCode()).isZero());
        assertThat(stage.readMetrics().values()).containsEntry("packer.builds", 0L);
    }

    @Test
    void aConfigurationErrorFailsAtValidateBeforeAnythingIsBuilt() throws Exception {
        Path template = copy(work, "packer/broken.pkr.hcl");
        RunResult result = runner.run(settings(template).build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m)
                .contains("packer validate found errors").contains("broken.pkr.hcl line 3"));
        assertThat(stage.file(PackerRunner.BUILD_LOG)).doesNotExist();
        assertThat(stage.readRecord().commands()).noneSatisfy(c -> assertThat(c.commandLine()).contains(" build "));
        // The person sees Packer's diagnostic as Packer prints it.
        assertThat(console()).contains("Error: ").contains("  on ").doesNotContain("\\n");
    }

    @Test
    void sensitiveValuesNeverReachTheConsoleOrAnyFileTheRunLeftThoughPackerPrintsThem() throws Exception {
        Path template = copy(work, "packer/sensitive.pkr.hcl");
        // Declared sensitive in the template, given with --var: commas, quotes, newlines, $(...), unicode.
        String token = "t0k3n,with \"quotes\" $(id) `x` ${var.greeting} ü\nand a second line";
        String apiKey = "api-KEY-9f8e7d,6c";
        String dbDefault = "default-Pa55,word";
        List<String> secrets = List.of(token.split("\n")[0], token.split("\n")[1], "t0k3n%!(PACKER_COMMA)with",
                apiKey, "api-KEY-9f8e7d%!(PACKER_COMMA)6c", dbDefault, "default-Pa55%!(PACKER_COMMA)word");

        // Control: bare packer (no vault) prints these values in machine-readable output (packer <= 1.15.0).
        Path control = Files.createDirectories(tmp.resolve("control"));
        Path varFile = Files.writeString(tmp.resolve("control.json"),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                        java.util.Map.of("token", token, "api_key", apiKey)));
        ByteArrayOutputStream bare = new ByteArrayOutputStream();
        new ProcessRunner().run(ProcessSpec.builder("packer", "build", "-machine-readable", "-var-file=" + varFile,
                template.toString()).workingDirectory(control).console(bare).mergeStderr(true).build());
        Files.delete(varFile);
        assertThat(bare.toString(StandardCharsets.UTF_8)).as("packer itself leaks them")
                .contains("t0k3n%!(PACKER_COMMA)with", apiKey.replace(",", "%!(PACKER_COMMA)"),
                        "default-Pa55%!(PACKER_COMMA)word");

        RunResult result = runner.run(settings(template).var("token", token).var("greeting", "hi there")
                .sensitiveVar("api_key", apiKey).build(), console, stage);

        assertThat(result.status()).as(String.join("\n", result.messages())).isEqualTo(StageStatus.SUCCEEDED);
        // The value reached Packer intact, through the generated variable file.
        assertThat(work.resolve("out/token.txt")).hasBinaryContent(token.getBytes(StandardCharsets.UTF_8));
        assertThat(console()).contains("token=****", "db=**** api=****", "greeting=hi there");
        assertThat(Files.readString(stage.file(PackerRunner.BUILD_LOG))).contains("token=****");
        assertNoSecretIn(List.of(stage.evidence().root(), privateRoot), List.of(console(), result.toString()), secrets);
        assertThat(privateRoot).isEmptyDirectory();
        assertThat(stage.readRecord().messages()).anySatisfy(m -> assertThat(m).contains("sensitive variable token"));
    }

    @Test
    void aSecretThatIsAWordOfPackersOutputIsMaskedButTheBuildStillReadsAsItRan() throws Exception {
        // "Build" and "finished" are words of the lines the parser reads ("Build 'file.art' finished.");
        // masked before parsing they made a successful build read FAILED.
        for (String word : List.of("Build", "finished")) {
            Path run = Files.createTempDirectory(tmp, "run-"); // not named after the word: paths are shown too
            Path runWork = Files.createDirectories(run.resolve("work"));
            StageEvidence runStage = EvidenceDir.create(run.resolve("evidence")).stage(PackerRunner.STAGE);
            ByteArrayOutputStream runConsole = new ByteArrayOutputStream();
            Path template = copy(runWork, "packer/masked-words.pkr.hcl");

            RunResult result = runner.run(PackerSettings.builder(template).workingDirectory(runWork)
                    .tempRoot(privateRoot).sensitiveVar("word", word).build(), runConsole, runStage);

            String shown = runConsole.toString(StandardCharsets.UTF_8);
            assertThat(result.status()).as(word + ": " + result.messages() + shown).isEqualTo(StageStatus.SUCCEEDED);
            // Said once, on the console, for a secret under 6 characters only.
            assertThat(shown.split("a secret is shorter than 6 characters", -1)).as(word)
                    .hasSize(word.length() < 6 ? 2 : 1);
            assertThat(runStage.readMetrics().values()).as(word).containsEntry("packer.builds", 2L)
                    .containsEntry("packer.builds_failed", 0L).containsEntry("packer.artifacts", 2L)
                    .containsEntry("packer.success", true);
            assertThat(shown).as(word).contains("null.ok: the word is ****");
            assertThat(Files.readString(runStage.file(PackerRunner.BUILD_LOG))).as(word).contains("the word is ****");
            assertNoSecretIn(List.of(runStage.dir(), privateRoot), List.of(shown, result.toString()), List.of(word));
            assertThat(privateRoot).as("the unmasked copies are gone").isEmptyDirectory();
        }
    }

    @Test
    void anAbortMidStepStopsPackerWithSigintLetsItCleanUpAndRecordsTheRunAborted() throws Exception {
        Path template = copy(work, "packer/long.pkr.hcl");
        AtomicReference<RunResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        OutputStream watched = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                console.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                console.write(b, off, len);
            }
        };
        Thread t = new Thread(() -> {
            try {
                result.set(runner.run(settings(template).build(), watched, stage));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!console().contains("long step started") && System.nanoTime() < deadline && t.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(console()).contains("long step started");
        List<String> during = processesIn(work);
        assertThat(during).as("packer runs in the work directory").isNotEmpty();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(120));
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isNull();

        assertThat(result.get().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(stage.readRecord().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(stage.hasMetrics()).as("no metrics for incomplete evidence").isFalse();
        // Packer got SIGINT and finished its own cleanup within the grace: no SIGTERM or SIGKILL was needed.
        assertThat(result.get().messages()).anySatisfy(m -> assertThat(m).contains("stopped with SIGINT")
                .contains("reported its cleanup done"));
        assertThat(Files.readString(stage.file(PackerRunner.BUILD_LOG)))
                .contains("Cleanly cancelled builds after being interrupted.");
        // Whatever Packer 1.6.6 leaves in its TMPDIR on a cancel (sometimes its shell-local script copy,
        // which holds the inline commands with their variables), vault removed with the private directory.
        assertThat(processesIn(work)).as("no packer process left").isEmpty();
        assertThat(privateRoot).isEmptyDirectory();
        assertThat(work.resolve("never")).doesNotExist();
    }

    @Test
    void setupErrorsStartNothing() throws Exception {
        assertThatThrownBy(() -> runner.run(settings(work.resolve("missing.pkr.hcl")).build(), console, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no Packer template at");
        Path template = copy(work, "packer/ok.pkr.hcl");
        assertThatThrownBy(() -> runner.run(settings(template).varFile(work.resolve("nope.json")).build(), console,
                stage)).isInstanceOf(RunSetupException.class).hasMessageContaining("no readable variable file");
        assertThatThrownBy(() -> runner.run(settings(template).packer("no-such-packer-here").build(), console, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("not installed");
        assertThat(stage.dir()).isEmptyDirectory();
        Files.writeString(stage.file("stage.json"), "{}");
        assertThatThrownBy(() -> runner.run(settings(template).build(), console, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("already holds files");
    }

    // ---- with a stand-in packer (synthetic) for what packer 1.6.6 cannot show --------------------

    @Test
    void packerInitRunsWhereTheVersionHasItAndVariablesTravelOnlyInTheGeneratedFile() throws Exception {
        Path template = copy(work, "packer/ok.pkr.hcl");
        Path record = tmp.resolve("record");
        Path canned = Files.writeString(tmp.resolve("canned"), String.join("\n",
                "1795905643,,ui,say,Build 'null.ok' finished after 75 milliseconds.",
                "1795905643,,ui,say,\\n==> Wait completed after 76 milliseconds",
                "1795905643,,ui,say,\\n==> Builds finished. The artifacts of successful builds are:",
                "1795905643,null.ok,artifact-count,1",
                "1795905643,null.ok,artifact,0,builder-id,fnoeding.null",
                "1795905643,null.ok,artifact,0,id,Null",
                "1795905643,null.ok,artifact,0,string,Did not export anything. This is the null builder",
                "1795905643,null.ok,artifact,0,files-count,0",
                "1795905643,null.ok,artifact,0,end",
                "1795905643,,ui,say,--> null.ok: Did not export anything. This is the null builder", ""));
        String secret = "s3cr3t \"quoted\"\nline";
        RunResult result = runner.run(settings(template)
                .packer(io.vaultcube.pipeline.run.RunTestSupport.resource("packer/fake-packer.sh").toString())
                .env("FAKE_PACKER_VERSION", "1.9.4").env("FAKE_PACKER_RECORD", record.toString())
                .env("FAKE_PACKER_BUILD", canned.toString())
                .var("region", "eu west").sensitiveVar("password", secret).only("null.ok").force(true)
                .onError(PackerSettings.OnError.ABORT).build(), console, stage);

        assertThat(result.status()).as(String.join("\n", result.messages())).isEqualTo(StageStatus.SUCCEEDED);
        List<List<String>> calls = calls(record);
        assertThat(calls).extracting(c -> c.get(0)).containsExactly("-machine-readable", "init", "validate", "build");
        assertThat(calls.get(1)).containsExactly("init", "-machine-readable", template.toString());
        List<String> build = calls.get(3);
        assertThat(build).startsWith("build", "-machine-readable", "-color=false", "-force", "-on-error=abort",
                "-only=null.ok");
        assertThat(build).noneSatisfy(a -> assertThat(a).startsWith("-var="));
        assertThat(String.join(" ", build)).doesNotContain("s3cr3t", "eu west");
        String varFile = Files.readAllLines(record).stream().filter(l -> l.startsWith("var-file:")).findFirst()
                .orElseThrow();
        assertThat(varFile).isEqualTo("var-file:{\"region\":\"eu west\",\"password\":\"s3cr3t \\\"quoted\\\"\\nline\"}");
        assertThat(stage.readMetrics().values()).containsEntry("packer.version", "1.9.4");
        assertThat(privateRoot).isEmptyDirectory();
    }

    @Test
    void aConfigurationErrorThatOnlyBuildReportsFailsWithPackersMessage() throws Exception {
        Path template = copy(work, "packer/ok.pkr.hcl");
        // As packer 1.6.6 prints it (reference §1.3 (c)): one ui,error record, no error-count.
        Path canned = Files.writeString(tmp.resolve("canned"),
                "1795906211,,ui,error,Error: Argument or block definition required\\n\\n  on broken.pkr.hcl line 3:"
                        + "\\n\\nAn argument or block definition is required here.\\n\\n\n");
        RunResult result = runner.run(settings(template)
                .packer(io.vaultcube.pipeline.run.RunTestSupport.resource("packer/fake-packer.sh").toString())
                .env("FAKE_PACKER_VERSION", "1.6.6").env("FAKE_PACKER_BUILD", canned.toString())
                .env("FAKE_PACKER_BUILD_EXIT", "1").build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).contains("failed with an error before any build ran")
                .contains("Error: Argument or block definition required").contains("broken.pkr.hcl line 3"));
        assertThat(console()).contains("  on broken.pkr.hcl line 3:");
    }

    @Test
    void temporaryFilesPackerLeavesBehindAreReportedAndRemoved() throws Exception {
        // A Packer killed before its cleanup leaves files in TMPDIR (its script copies, its log);
        // the stand-in leaves one on purpose, since a real packer cleans up too fast to catch reliably.
        Path template = copy(work, "packer/ok.pkr.hcl");
        RunResult result = runner.run(settings(template)
                .packer(io.vaultcube.pipeline.run.RunTestSupport.resource("packer/fake-packer.sh").toString())
                .env("FAKE_PACKER_VERSION", "1.6.6").env("FAKE_PACKER_LEAVE", "packer-shell123")
                .env("FAKE_PACKER_BUILD_EXIT", "1").build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m)
                .contains("Packer left 1 temporary file(s) behind, removed by vault: packer-shell123"));
        assertThat(stage.readRecord().messages()).anySatisfy(m -> assertThat(m).contains("packer-shell123"));
        assertThat(privateRoot).isEmptyDirectory();
    }

    private static List<List<String>> calls(Path record) throws IOException {
        List<List<String>> calls = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(record)) {
            if (line.startsWith("var-file:")) {
                continue;
            }
            if (line.equals("--")) {
                calls.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        return calls;
    }
}
