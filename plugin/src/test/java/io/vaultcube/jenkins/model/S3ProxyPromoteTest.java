package io.vaultcube.jenkins.model;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.jenkins.agent.PromoteCallable;
import io.vaultcube.jenkins.agent.StagedSecrets;
import io.vaultcube.jenkins.credentials.StepSecrets;
import io.vaultcube.jenkins.steps.VaultPromoteStep;
import io.vaultcube.jenkins.testing.TestListener;
import io.vaultcube.pipeline.cli.S3ProxyServer;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.Sha256;
import io.vaultcube.pipeline.image.repo.VerifyReport;
import io.vaultcube.pipeline.image.repo.s3.S3ImageRepository;
import io.vaultcube.pipeline.image.repo.s3.S3Location;
import io.vaultcube.pipeline.image.repo.s3.S3Settings;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import io.vaultcube.pipeline.image.repo.s3.S3Verifier;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * vaultPromote's agent side into a real S3 server (issue 15): S3Proxy 2.6.0 on 127.0.0.1, started
 * here (the CLI tests' {@link S3ProxyServer}). The step's parameters (endpoint, region) and its
 * credential, staged on the agent as the step stages it, go through {@link PromoteCallable} as in a
 * build; the promoted version is then checked by the core's verifier and by Debian's awscli with
 * coreutils' sha256sum, and the build log must not hold the secret key.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class S3ProxyPromoteTest {
    private static final String BUCKET = "images";
    private static final String REPO = "s3://" + BUCKET + "/vault";

    @TempDir
    static Path serverDir;

    private static S3ProxyServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(serverDir, serverDir.resolve("data"));
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void promotesIntoS3ProxyAndTheVersionVerifiesWithCoreAndAwsCli() throws Exception {
        Path ws = judgedWorkspace();
        // Larger than one 16 MiB part: the multipart path, as a real image takes.
        Path image = randomFile(ws.resolve("out/img.qcow2"), 20 * 1024 * 1024 + 12345);
        String sha256 = Sha256.of(Files.readAllBytes(image));
        TestListener listener = new TestListener();

        PromoteCallable.Outcome outcome = promote(ws, "1.0.0", server.endpoint().toString(), S3ProxyServer.CREDENTIAL,
                listener);

        String log = listener.text();
        assertThat(outcome.outcome()).as(outcome.message() + "\n" + log).isEqualTo("PROMOTED");
        assertThat(outcome.sums()).containsExactly(new PromoteCallable.FileSum("img.qcow2", Files.size(image), sha256));
        assertThat(log).contains("S3 repository " + REPO + " at " + server.endpoint())
                .contains("credentials: s3CredentialsId").contains("img 1.0.0: promoted to " + REPO + " (candidate)")
                .doesNotContain(S3ProxyServer.CREDENTIAL);
        // The manifest and sums the controller archives were kept in the workspace.
        for (String archived : outcome.archive()) {
            assertThat(ws.resolve(archived)).isRegularFile();
        }

        // The core's verifier streams every object back and checks it against the manifest and SHA256SUMS.
        List<String> verifyLines = new ArrayList<>();
        try (S3Store store = store()) {
            S3ImageRepository repository = S3ImageRepository.open(store);
            assertThat(repository.channel("img", "candidate").version()).isEqualTo("1.0.0");
            VerifyReport report = new S3Verifier(2, ProgressMeter.silent(), verifyLines::add)
                    .verify(repository, "img", "1.0.0");
            assertThat(report.ok()).as(report.problems().toString()).isTrue();
            assertThat(report.files()).isEqualTo(1);
        }

        // An independent client: Debian's awscli downloads the version, coreutils' sha256sum checks it.
        AwsCli ls = aws(tmp, "s3", "ls", "--recursive", REPO + "/img/data/1.0.0/");
        assertThat(ls.code()).as(ls.output()).isZero();
        String sums = ls.output().lines().filter(l -> l.endsWith("/SHA256SUMS")).findFirst().orElseThrow();
        String location = REPO.substring(0, REPO.indexOf('/', 5)) + "/"
                + sums.substring(sums.lastIndexOf(' ') + 1).replaceFirst("SHA256SUMS$", "");
        Path download = Files.createDirectories(tmp.resolve("download"));
        AwsCli cp = aws(tmp, "s3", "cp", "--recursive", location, download.toString());
        assertThat(cp.code()).as(cp.output()).isZero();
        Process check = new ProcessBuilder("sha256sum", "-c", "--strict", "SHA256SUMS").directory(download.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(checked).isZero();
        assertThat(checked).contains("img.qcow2: OK");
        assertThat(Files.mismatch(download.resolve("img.qcow2"), image)).isEqualTo(-1L);
    }

    @Test
    void aWrongSecretKeyFailsClearlyMovesNoChannelAndIsNotLogged() throws Exception {
        Path ws = judgedWorkspace();
        randomFile(ws.resolve("out/img.qcow2"), 70_000);
        String wrong = "wrong-secret-key-for-vault-4242";
        TestListener listener = new TestListener();

        PromoteCallable.Outcome outcome = promote(ws, "9.9.9", server.endpoint().toString(), wrong, listener);

        assertThat(outcome.outcome()).as(outcome.message()).isEqualTo("FAILED");
        assertThat(outcome.message()).containsIgnoringCase("credential").doesNotContain(wrong);
        assertThat(listener.text()).contains("vault: promote: ").doesNotContain(wrong)
                .doesNotContain(S3ProxyServer.CREDENTIAL);
        // Nothing of that version (no data, commit record or channel record) is in the bucket.
        try (S3Client client = server.client()) {
            List<String> keys = client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .map(o -> o.key()).toList();
            assertThat(keys).noneMatch(k -> k.contains("9.9.9"));
        }
    }

    /** A workspace whose gate stage passed, as vaultGate leaves it. */
    private Path judgedWorkspace() throws Exception {
        Path ws = tmp.resolve("ws");
        GateFixture.judged(ws);
        Files.writeString(ws.resolve("pass.yaml"), "schema: vault-policy/1\nname: pass\ngates:\n"
                + "  - id: gpu-count\n    metric: gpu.count\n    eq: 4\n");
        GateCallable.Outcome gate = new FilePath(ws.toFile()).act(new GateCallable("pass.yaml", null,
                GateFixture.EVIDENCE, "gate", new TestListener()));
        assertThat(gate.verdict()).isEqualTo("SUCCESS");
        return ws;
    }

    /** What the step does on the controller and the agent: the request, the staged credential, the callable. */
    private static PromoteCallable.Outcome promote(Path ws, String version, String endpoint, String secret,
            TestListener listener) throws Exception {
        VaultPromoteStep step = new VaultPromoteStep(REPO, "img", version);
        step.setChannel("candidate");
        step.setFiles(List.of("out/img.qcow2"));
        step.setS3CredentialsId("s3proxy-vault");
        step.setS3Endpoint(endpoint);
        step.setS3Region("us-east-1");
        PromoteCallable.PromoteRequest request = step.request(GateFixture.EVIDENCE);
        FilePath workspace = new FilePath(ws.toFile());
        StagedSecrets staged = StepSecrets.stage(new StepSecrets.Found(Map.of(PromoteCallable.S3_ACCESS_KEY,
                S3ProxyServer.IDENTITY, PromoteCallable.S3_SECRET_KEY, secret), null, null, null), workspace);
        try {
            return workspace.act(new PromoteCallable(request, staged, listener));
        } finally {
            StepSecrets.remove(staged, workspace);
        }
    }

    private static S3Store store() {
        S3Settings settings = S3Settings.defaults().withEndpoint(server.endpoint()).withRegion("us-east-1")
                .withPathStyle(true);
        return new S3Store(settings.newClient(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL))), S3Location.parse(REPO), settings);
    }

    private static Path randomFile(Path file, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    private record AwsCli(int code, String output) {
    }

    private static AwsCli aws(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", server.endpoint().toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(server.env());
        pb.environment().put("AWS_PAGER", "");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new AwsCli(p.waitFor(), output);
    }
}
