package io.vaultcube.pipeline.run.ansible;

import static io.vaultcube.pipeline.run.RunTestSupport.assertNoSecretIn;
import static io.vaultcube.pipeline.run.RunTestSupport.copy;
import static io.vaultcube.pipeline.run.RunTestSupport.processesIn;
import static io.vaultcube.pipeline.run.RunTestSupport.requireTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ansible runner against Debian's real ansible-playbook (ansible-core 2.14), on localhost with
 * connection local; every file a playbook writes, and Ansible's own temporary and home
 * directories, are inside the test's temporary directory.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class AnsibleRunnerTest {
    /** A throw-away key (synthetic; generated for this test, never used to log in anywhere). */
    static final String KEY = """
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
            QyNTUxOQAAACBVdGVzdC1rZXktbm90LWEtcmVhbC1rZXktdGVzdAAAAJgAAAAAAAAAAAAA
            -----END OPENSSH PRIVATE KEY-----""";

    private final AnsibleRunner runner = new AnsibleRunner();

    @TempDir
    Path tmp;
    Path work;
    Path out;
    Path privateRoot;
    StageEvidence stage;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void ansibleIsInstalled() {
        requireTool("ansible-playbook", "ansible-core");
    }

    @BeforeEach
    void dirs() throws IOException {
        work = Files.createDirectories(tmp.resolve("work"));
        out = Files.createDirectories(tmp.resolve("out"));
        privateRoot = Files.createDirectories(tmp.resolve("private"));
        stage = EvidenceDir.create(tmp.resolve("evidence")).stage(AnsibleRunner.STAGE);
        copy(work, "ansible/inventory.ini", "ansible/unreachable.ini");
    }

    private AnsibleSettings.Builder settings(String playbook) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("ansible-home"));
        return AnsibleSettings.builder(copy(work, "ansible/" + playbook), "inventory.ini")
                .workingDirectory(work)
                .tempRoot(privateRoot)
                .extraVar("out_dir", out.toString())
                // Keep Ansible's own files inside the test directory too.
                .env("ANSIBLE_HOME", home.toString())
                .env("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString())
                .env("ANSIBLE_REMOTE_TEMP", home.resolve("remote-tmp").toString())
                .env("ANSIBLE_SSH_CONTROL_PATH_DIR", home.resolve("cp").toString())
                .env("ANSIBLE_CONFIG", null);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSecretThatIsAWordOfTheRecapIsMaskedButTheRunStillReadsAsItRan() throws Exception {
        // "ok" and "changed" are words of the PLAY RECAP ("ok=1 changed=1"); masked before parsing
        // they made a successful run read FAILED ("its recap cannot be read").
        for (String word : List.of("ok", "changed")) {
            Path run = Files.createTempDirectory(tmp, "run-"); // not named after the word: paths are shown too
            Path runOut = Files.createDirectories(run.resolve("out"));
            StageEvidence runStage = EvidenceDir.create(run.resolve("evidence")).stage(AnsibleRunner.STAGE);
            ByteArrayOutputStream runConsole = new ByteArrayOutputStream();

            RunResult result = runner.run(settings("idempotent.yml").extraVar("out_dir", runOut.toString())
                    .sensitiveExtraVar("word", word).idempotencyRuns(2).build(), runConsole, runStage);

            String shown = runConsole.toString(StandardCharsets.UTF_8);
            assertThat(result.status()).as(word + ": " + result.messages() + shown).isEqualTo(StageStatus.SUCCEEDED);
            // Said once, on the console, for a secret under 6 characters only.
            assertThat(shown.split("a secret is shorter than 6 characters", -1)).as(word)
                    .hasSize(word.length() < 6 ? 2 : 1);
            assertThat(runStage.readMetrics().values()).as(word).containsEntry("ansible.runs", 2L)
                    .containsEntry("ansible.idempotent", true).containsEntry("ansible.failed", 0L)
                    .containsEntry("ansible.run[1].changed", 1L).containsEntry("ansible.run[2].changed", 0L);
            assertThat(Files.readString(runStage.file(AnsibleRunner.runLog(1)))).as(word).contains("****=");
            // metrics.json names "ansible.ok" and "ansible.changed": vault's vocabulary, not the secret.
            // What came from the output (text values, keys such as host names) is masked.
            for (var m : runStage.readMetrics()) {
                assertThat(m.name().keys()).as(word).noneSatisfy(k -> assertThat(k).contains(word));
                assertThat(m.value().raw()).as(m.name().toString()).isNotInstanceOf(String.class);
            }
            assertNoSecretIn(List.of(runStage.file(AnsibleRunner.runLog(1)), runStage.file(AnsibleRunner.runLog(2)),
                    runStage.file("stage.json"), privateRoot), List.of(shown, result.messages().toString()),
                    List.of(word));
            assertThat(privateRoot).as("the unmasked copies are gone").isEmptyDirectory();
        }
    }

    @Test
    void anIdempotentPlaybookPassesThreeRuns() throws Exception {
        RunResult result = runner.run(settings("idempotent.yml").idempotencyRuns(3).build(), console, stage);

        assertThat(result.status()).as(String.join("\n", result.messages())).isEqualTo(StageStatus.SUCCEEDED);
        MetricSet metrics = stage.readMetrics();
        assertThat(metrics.values())
                .containsEntry("ansible.runs", 3L)
                .containsEntry("ansible.idempotent", true)
                .containsEntry("ansible.hosts", 1L)
                .containsEntry("ansible.changed", 1L)
                .containsEntry("ansible.failed", 0L)
                .containsEntry("ansible.unreachable", 0L)
                .containsEntry("ansible.run[1].host[localhost].changed", 1L)
                .containsEntry("ansible.run[2].host[localhost].changed", 0L)
                .containsEntry("ansible.run[3].host[localhost].changed", 0L)
                .containsEntry("ansible.run[3].ok", 1L)
                .containsKey("ansible.duration_s");
        for (int run = 1; run <= 3; run++) {
            assertThat(Files.readString(stage.file(AnsibleRunner.runLog(run)))).contains("PLAY RECAP");
        }
        // The person saw Ansible's own output, live, and each run announced.
        assertThat(console()).contains("TASK [Write a file once]", "vault: ansible-playbook run 2 of 3");
        assertThat(stage.readRecord().commands()).hasSize(3);
        assertThat(privateRoot).isEmptyDirectory();
    }

    @Test
    void aNonIdempotentPlaybookFailsOnRunTwoNamingTheTask() throws Exception {
        RunResult result = runner.run(settings("not-idempotent.yml").idempotencyRuns(3).build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).contains("not idempotent: run 2 of 3")
                .contains("[localhost] 'Stamp the time'").doesNotContain("Write a file once"));
        MetricSet metrics = stage.readMetrics();
        assertThat(metrics.values()).containsEntry("ansible.idempotent", false).containsEntry("ansible.runs", 2L)
                .containsEntry("ansible.run[2].changed", 1L).doesNotContainKey("ansible.run[3].changed");
        assertThat(metrics.get("ansible.idempotent").orElseThrow().source().file())
                .isEqualTo("ansible/ansible-run-2.log");
        assertThat(stage.file(AnsibleRunner.runLog(3))).doesNotExist();
    }

    @Test
    void aFailingTaskFailsTheRunNamingItAndTheKeyCopyIsGone() throws Exception {
        Path key = Files.writeString(tmp.resolve("id_test"), KEY);
        RunResult result = runner.run(settings("failing.yml").privateKeyFile(key).build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).contains("a task failed on at least one host (exit 2)")
                .contains("task 'Break on purpose' on localhost"));
        assertThat(stage.readMetrics().values()).containsEntry("ansible.failed", 1L).containsEntry("ansible.runs", 1L)
                .doesNotContainKey("ansible.idempotent");
        assertThat(privateRoot).isEmptyDirectory();
        assertNoSecretIn(List.of(stage.evidence().root()), List.of(console()), keyLines());
    }

    @Test
    void aTaskNameWithEscapeSequencesReachesVaultsOwnLinesWrittenOut() throws Exception {
        RunResult result = runner.run(settings("failing-escape.yml").build(), console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        // ansible-playbook itself printed the name raw (its output is streamed as it is) ...
        assertThat(console()).contains("TASK [Clear \u001b[2J");
        // ... vault's own line names the task with every control character written out.
        List<String> vaultLines = console().lines().filter(l -> l.startsWith("vault: ")).toList();
        assertThat(vaultLines).anySatisfy(l -> assertThat(l)
                .contains("task 'Clear \\e[2J\\e[Hthe screen \\e]0;owned\\x07 and \\x9b2J' on localhost"));
        assertThat(String.join("\n", vaultLines)).doesNotContain("\u001b", "\u0007", "\u009b");
    }

    @Test
    void anUnreachableHostFailsWithExitFourExplained() throws Exception {
        RunResult result = runner.run(
                AnsibleSettings.builder(copy(work, "ansible/idempotent.yml"), "unreachable.ini")
                        .workingDirectory(work).tempRoot(privateRoot).extraVar("out_dir", out.toString())
                        .env("ANSIBLE_HOME", tmp.resolve("ansible-home").toString())
                        .env("ANSIBLE_SSH_CONTROL_PATH_DIR", tmp.resolve("cp").toString())
                        .env("ANSIBLE_HOST_KEY_CHECKING", "False")
                        .idempotencyRuns(3).build(),
                console, stage);

        assertThat(result.status()).isEqualTo(StageStatus.FAILED);
        assertThat(result.messages()).anySatisfy(m -> assertThat(m).contains("was unreachable").contains("(exit 4)")
                .contains("task 'Write a file once' on bogus"));
        assertThat(stage.readMetrics().values()).containsEntry("ansible.unreachable", 1L)
                .containsEntry("ansible.run[1].host[bogus].unreachable", 1L).containsEntry("ansible.runs", 1L);
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void hostileExtraVariablesArriveIntactAndTheKeyIsA0400CopyWithANewlineThatIsGoneAfterwards() throws Exception {
        String payload = "it's \"double\" 'single' $(touch " + out.resolve("pwned") + ") `id` ; & | > < * ? ~ \\ \\n"
                + "\nsecond line\ttab ünïcödé ✓ 🙂\n";
        Path key = Files.writeString(tmp.resolve("id_test"), KEY); // no trailing newline
        RunResult result = runner.run(settings("echo-vars.yml").privateKeyFile(key)
                .extraVar("payload", payload).extraVar("probe_dir", privateRoot.toString()).build(), console, stage);

        assertThat(result.status()).as(String.join("\n", result.messages())).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(out.resolve("payload.txt")).hasBinaryContent(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(out.resolve("pwned")).doesNotExist();

        JsonNode seen = new ObjectMapper().readTree(out.resolve("private-files.json").toFile());
        assertThat(seen.get("files")).extracting(JsonNode::asText)
                .anySatisfy(f -> assertThat(f).endsWith("/ssh-key"))
                .anySatisfy(f -> assertThat(f).endsWith("/extra-vars.json"));
        List<String> files = texts(seen.get("files"));
        List<String> modes = texts(seen.get("modes"));
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).endsWith("/ssh-key")) {
                assertThat(modes.get(i)).as("key mode").isEqualTo("0400");
            } else if (files.get(i).endsWith("/extra-vars.json")) {
                assertThat(modes.get(i)).as("extra vars mode").isEqualTo("0600");
            } else if (files.get(i).contains("/" + io.vaultcube.pipeline.run.ToolLog.RAW_PREFIX)) {
                assertThat(modes.get(i)).as("the parser's unmasked copy of the output").isEqualTo("0600");
            } else {
                assertThat(modes.get(i)).as("directory " + files.get(i)).isEqualTo("0700");
            }
        }
        String copied = new String(Base64.getDecoder().decode(seen.get("keys").get(0).asText()), StandardCharsets.UTF_8);
        assertThat(copied).isEqualTo(KEY + "\n");

        assertThat(privateRoot).isEmptyDirectory();
        assertThat(String.join(" ", stage.readRecord().commands().get(0).commandLine()))
                .contains("--private-key ").contains("--extra-vars @").doesNotContain("second line");
        // The playbook printed the key copy on purpose: vault masked it.
        assertThat(console()).contains("\"msg\": \"****");
        assertNoSecretIn(List.of(stage.evidence().root()), List.of(console()), keyLines());
    }

    @Test
    void jinjaInAValueOrAPathIsDataNeverATemplate() throws Exception {
        // The review's attack: an evidence directory whose name is a Jinja expression, substituted
        // into extra vars, ran a command on the controller.
        String touch = "{{ lookup('pipe', 'touch pwned-by-path') }}";
        Path hostileOut = Files.createDirectories(out.resolve(touch));
        String payload = "{{ lookup('pipe', 'touch pwned-by-value') }}{% raw %}x";
        RunResult result = runner.run(settings("echo-vars.yml").extraVar("out_dir", hostileOut.toString())
                .extraVar("payload", payload).extraVar("probe_dir", privateRoot.toString()).build(), console, stage);

        assertThat(result.status()).as(String.join("\n", result.messages()) + console()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(work.resolve("pwned-by-path")).doesNotExist();
        assertThat(work.resolve("pwned-by-value")).doesNotExist();
        assertThat(hostileOut.resolve("payload.txt")).hasBinaryContent(payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAbortStopsAnsibleRecordsTheRunAbortedAndRemovesTheKey() throws Exception {
        Path key = Files.writeString(tmp.resolve("id_test"), KEY + "\n");
        AtomicReference<RunResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        OutputStream sink = new OutputStream() {
            @Override
            public synchronized void write(int b) {
                console.write(b);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                console.write(b, off, len);
            }
        };
        AnsibleSettings settings = settings("long.yml").privateKeyFile(key).idempotencyRuns(3).build();
        Thread t = new Thread(() -> {
            try {
                result.set(runner.run(settings, sink, stage));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(out.resolve("started")) && System.nanoTime() < deadline && t.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(out.resolve("started")).exists();
        assertThat(Files.list(privateRoot).count()).as("the key copy exists while the run runs").isOne();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(120));
        assertThat(t.isAlive()).isFalse();
        assertThat(failure.get()).isNull();

        assertThat(result.get().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(result.get().messages()).anySatisfy(m -> assertThat(m).contains("run 1 of 3 was aborted"));
        assertThat(stage.readRecord().status()).isEqualTo(StageStatus.ABORTED);
        assertThat(stage.hasMetrics()).isFalse();
        assertThat(stage.file(AnsibleRunner.runLog(2))).doesNotExist();
        assertThat(privateRoot).isEmptyDirectory();
        assertThat(processesIn(work)).isEmpty();
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("sleep 120") && c.contains(out.toString()))).isEmpty();
    }

    @Test
    void setupErrorsStartNothing() throws Exception {
        assertThatThrownBy(() -> runner.run(AnsibleSettings.builder(work.resolve("nope.yml"), "inventory.ini")
                .workingDirectory(work).build(), console, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no playbook at");
        assertThatThrownBy(() -> runner.run(AnsibleSettings.builder(copy(work, "ansible/idempotent.yml"), "missing.ini")
                .workingDirectory(work).build(), console, stage))
                .isInstanceOf(RunSetupException.class).hasMessageContaining("no inventory at");
        assertThatThrownBy(() -> runner.run(settings("idempotent.yml").privateKeyFile(work.resolve("no-key")).build(),
                console, stage)).isInstanceOf(RunSetupException.class).hasMessageContaining("cannot read the private key");
        assertThatThrownBy(() -> runner.run(settings("idempotent.yml").ansiblePlaybook("/nonexistent/ansible-playbook")
                .build(), console, stage)).isInstanceOf(RunSetupException.class);
        assertThat(stage.dir()).isEmptyDirectory();
        assertThat(privateRoot).isEmptyDirectory();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> keyLines() {
        return KEY.lines().filter(l -> !l.startsWith("-----")).toList();
    }
}
