package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.gateReport;
import static io.vaultcube.pipeline.cli.ImageCliSupport.randomFile;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.cli.ImageCliSupport.Run;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.attest.AttestationRequest;
import io.vaultcube.pipeline.image.attest.SshSignature;
import io.vaultcube.pipeline.image.repo.Promoter;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.s3.S3Location;
import io.vaultcube.pipeline.image.repo.s3.S3Promoter;
import io.vaultcube.pipeline.image.repo.s3.S3Settings;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.inventory.DpkgQueryParser;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 repository against a real server (S3Proxy on loopback, started here) and read by an
 * independent client (Debian's awscli, /usr/bin/aws): promote, list, show, verify; push from a
 * filesystem repository; 8 concurrent promotions; a tampered object; wrong credentials; a missing
 * bucket. Files are small and the multipart threshold 1 MiB, so every image goes up as a multipart
 * upload (parts of 5 MiB, S3Proxy's minimum; the 12 MB image has three).
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class S3RepositoryTest {
    private static final String BUCKET = "vault-images";
    private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region",
            "VAULT_S3_ENDPOINT", "VAULT_S3_PART_SIZE", "VAULT_S3_MULTIPART_THRESHOLD");

    @TempDir
    static Path shared;

    static S3ProxyServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(shared, shared.resolve("s3data"));
        server.createBucket(BUCKET);
        // The in-process CLI reads its credentials from the SDK's chain (system properties here)
        // and its settings from VAULT_S3_* (system properties override the environment).
        System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("VAULT_S3_ENDPOINT", server.endpoint().toString());
        // S3Proxy refuses parts under 5 MiB but the last; from 1 MiB on, files go up as multipart.
        System.setProperty("VAULT_S3_PART_SIZE", "5M");
        System.setProperty("VAULT_S3_MULTIPART_THRESHOLD", "1M");
    }

    @AfterAll
    static void stopServer() throws Exception {
        PROPERTIES.forEach(System::clearProperty);
        if (server != null) {
            server.close();
        }
    }

    private static String repo(String prefix) {
        return "s3://" + BUCKET + "/" + prefix;
    }

    @Test
    void promotedImageIsListedVerifiedAndReadByAwsCliWithSha256sum() throws Exception {
        Path disk = randomFile(tmp.resolve("in/disk one.img"), 12_000_000, 1);
        Path boot = randomFile(tmp.resolve("in/boot.img"), 70_000, 2);
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        String repo = repo("awscli");
        Run promoted = vault("promote", disk.toString(), boot.toString(), "--repo", repo, "--name", "cube",
                "--version", "1.0", "--channel", "stable", "--gate-report", gate.toString(), "--no-git");
        assertThat(promoted.code()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("cube 1.0: promoted; 2 file(s)").contains("channel stable -> 1.0");

        Run list = vault("images", "list", "--repo", repo);
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("cube +1\\.0 .* SUCCESS +stable");
        Run show = vault("images", "show", "--repo", repo, "cube", "--channel", "stable");
        assertThat(show.code()).as(show.err()).isZero();
        String location = show.out().lines().filter(l -> l.startsWith("  location")).findFirst().orElseThrow()
                .replaceFirst("^  location +", "");
        assertThat(location).startsWith(repo + "/cube/data/1.0/").endsWith("/");
        Run verify = vault("images", "verify", "--repo", repo);
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("verified 1 version(s), 2 file(s)").doesNotContain("note:");

        // An independent client: list, download, and coreutils' sha256sum -c.
        Run ls = aws(tmp, "s3", "ls", "--recursive", "s3://" + BUCKET + "/awscli/");
        assertThat(ls.code()).as(ls.err()).isZero();
        assertThat(ls.out()).contains("cube/versions/1.0/").contains("cube/channels/stable/")
                .contains("disk one.img").contains("SHA256SUMS");
        Path download = Files.createDirectories(tmp.resolve("download"));
        Run cp = aws(tmp, "s3", "cp", "--recursive", location, download.toString());
        assertThat(cp.code()).as(cp.err()).isZero();
        Run check = tool(download, Map.of(), "sha256sum", "-c", "SHA256SUMS");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("disk one.img: OK").contains("boot.img: OK").contains("manifest.json: OK");
        assertThat(Files.mismatch(download.resolve("disk one.img"), disk)).isEqualTo(-1L);

        // The same files again change nothing; other content under the same version is refused.
        Run again = vault("promote", disk.toString(), boot.toString(), "--repo", repo, "--name", "cube",
                "--version", "1.0", "--gate-report", gate.toString(), "--no-git");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("unchanged");
        Path other = randomFile(tmp.resolve("other/disk one.img"), 12_000_000, 3);
        Run refused = vault("promote", other.toString(), boot.toString(), "--repo", repo, "--name", "cube",
                "--version", "1.0", "--channel", "candidate", "--gate-report", gate.toString(), "--no-git");
        assertThat(refused.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.err()).contains("exists with other content");
        assertThat(vault("images", "list", "--repo", repo).out()).doesNotContain("candidate");
    }

    @Test
    void pushPublishesALocalVersionWithItsOwnManifest() throws Exception {
        Path disk = randomFile(tmp.resolve("in/disk.img"), 2_300_000, 4);
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        Path local = tmp.resolve("local-repo");
        Run promoted = vault("promote", disk.toString(), "--repo", local.toString(), "--name", "cube", "--version", "2.0",
                "--gate-report", gate.toString(), "--no-git");
        assertThat(promoted.code()).as(promoted.err()).isZero();
        String repo = repo("pushed");
        Run push = vault("images", "push", "--from", local.toString(), "--repo", repo, "cube", "2.0", "--channel", "stable");
        assertThat(push.code()).as(push.err()).isZero();
        assertThat(push.out()).contains("cube 2.0: pushed").contains("channel stable -> 2.0");
        Run json = vault("images", "show", "--repo", repo, "cube", "2.0", "--json");
        assertThat(json.out().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllBytes(local.resolve("cube/2.0/manifest.json")));
        assertThat(vault("images", "verify", "--repo", repo).code()).isZero();
        Run twice = vault("images", "push", "--from", local.toString(), "--repo", repo, "cube", "2.0");
        assertThat(twice.code()).as(twice.err()).isZero();
        assertThat(twice.out()).contains("unchanged");
    }

    @Test
    void aTamperedObjectIsFoundByVerifyAndNoChannelMovesToIt() throws Exception {
        Path disk = randomFile(tmp.resolve("in/disk.img"), 2_200_000, 5);
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        String repo = repo("tamper");
        assertThat(vault("promote", disk.toString(), "--repo", repo, "--name", "cube", "--version", "1.0",
                "--gate-report", gate.toString(), "--no-git").code()).isZero();
        String key;
        try (S3Client client = server.client()) {
            key = client.listObjectsV2(b -> b.bucket(BUCKET).prefix("tamper/cube/data/1.0/")).contents().stream()
                    .map(S3Object::key).filter(k -> k.endsWith("/disk.img")).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(disk);
            bytes[1_234_567] ^= 1;
            // Behind vault's back, as a broken disk or an operator with write access would.
            client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        }
        Run verify = vault("images", "verify", "--repo", repo);
        assertThat(verify.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(verify.err()).contains("cube/1.0: disk.img reads back as sha256").contains("1 problem(s)");
        Run channel = vault("promote", "--repo", repo, "--name", "cube", "--version", "1.0", "--channel", "stable",
                "--gate-report", gate.toString(), "--no-git");
        assertThat(channel.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(channel.err()).contains("is damaged");
        assertThat(vault("images", "list", "--repo", repo).out()).doesNotContain("stable");
    }

    @Test
    void wrongCredentialsAndAMissingBucketAreClearErrorsThatShowNoSecret() throws Exception {
        Path disk = randomFile(tmp.resolve("in/disk.img"), 1_500_000, 6);
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        Map<String, String> wrong = new HashMap<>(server.env());
        wrong.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-4711");
        try (VaultProcess p = VaultProcess.start(tmp, wrong, "promote", disk.toString(), "--repo", repo("creds"),
                "--name", "cube", "--version", "1.0", "--gate-report", gate.toString(), "--no-git")) {
            assertThat(p.waitFor()).isEqualTo(ExitCodes.FAILURE);
            assertThat(p.output()).contains("the S3 server refused the credentials")
                    .doesNotContain("not-the-secret-4711").doesNotContain(S3ProxyServer.CREDENTIAL);
        }
        try (VaultProcess p = VaultProcess.start(tmp, server.env(), "promote", disk.toString(), "--repo",
                "s3://no-such-bucket/x", "--name", "cube", "--version", "1.0", "--gate-report", gate.toString(),
                "--no-git")) {
            assertThat(p.waitFor()).isEqualTo(ExitCodes.FAILURE);
            assertThat(p.output()).contains("the bucket 'no-such-bucket' does not exist");
        }
        Run list = vault("images", "list", "--repo", "s3://no-such-bucket/x");
        assertThat(list.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(list.err()).contains("does not exist");
        Run secretInUrl = vault("images", "list", "--repo", "s3://KEY:SECRET@" + BUCKET + "/x");
        assertThat(secretInUrl.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(secretInUrl.err()).contains("never part of the URL").doesNotContain("SECRET@");
        try (S3Client client = server.client()) {
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("creds/")).contents()).isEmpty();
        }
    }

    @Test
    void eightConcurrentPromotionsLoseNothingAndPublishExactlyOneContentOfARacedVersion() throws Exception {
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        String repo = repo("concurrent");
        // 4 distinct versions, and 4 promotions of version "x" each with other content.
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            files.add(randomFile(tmp.resolve("in-" + i + "/disk.img"), 1_300_000 + i * 1000, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Run>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            String version = n < 4 ? "v" + n : "x";
            runs.add(pool.submit(() -> vault("promote", files.get(n).toString(), "--repo", repo, "--name", "cube",
                    "--version", version, "--channel", "stable", "--gate-report", gate.toString(), "--no-git")));
        }
        List<Run> results = new ArrayList<>();
        for (Future<Run> f : runs) {
            results.add(f.get(300, TimeUnit.SECONDS));
        }
        pool.shutdown();
        for (int i = 0; i < 4; i++) {
            assertThat(results.get(i).code()).as(results.get(i).err()).isZero();
        }
        // Exactly one of the racers of x wins, on any server (the claim tickets decide); the others
        // are refused with the documented message and leave nothing visible.
        List<Run> contested = results.subList(4, 8);
        List<Integer> winners = new ArrayList<>();
        // Only a loser that took a claim ticket before the winner published leaves one; one that came
        // later (on a busy machine the racers may run one after the other) is refused before claiming.
        int ticketLosers = 0;
        for (int i = 0; i < 4; i++) {
            Run r = contested.get(i);
            if (r.code() == 0) {
                winners.add(4 + i);
            } else {
                if (r.err().contains("was claimed first by a concurrent promotion with other content")) {
                    ticketLosers++;
                }
                assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
                assertThat(r.err()).containsAnyOf("exists with other content",
                        "was published by a concurrent promotion with other content",
                        "was claimed first by a concurrent promotion with other content");
            }
        }
        assertThat(winners).as("exactly one winner of x: %s", contested).hasSize(1);
        Run show = vault("images", "show", "--repo", repo, "cube", "x");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains(io.vaultcube.pipeline.image.Sha256.of(Files.readAllBytes(files.get(winners.get(0)))));
        Run verify = vault("images", "verify", "--repo", repo);
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("verified 5 version(s)").doesNotContain("contested");
        try (S3Client client = server.client()) {
            // Every successful promotion moved the channel: 5 records, none lost.
            List<S3Object> moves = client.listObjectsV2(b -> b.bucket(BUCKET).prefix("concurrent/cube/channels/stable/"))
                    .contents();
            assertThat(moves).hasSize(5);
            // Exactly one commit record for x, and the losers removed their data.
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("concurrent/cube/versions/x/")).contents())
                    .hasSize(1);
            assertThat(client.listObjectsV2(b -> b.bucket(BUCKET).prefix("concurrent/cube/data/x/")).contents().stream()
                    .map(o -> o.key().split("/")[4]).distinct()).hasSize(1);
        }
        Run list = vault("images", "list", "--repo", repo, "--json");
        assertThat(list.out()).containsPattern("\"stable\" : \"(v[0-3]|x)\"");
        // Each ticket a loser left is listed by verify; gc collects those and the 5 publishers' own tickets.
        assertThat(verify.out().lines().filter(l -> l.contains("with other files, which lost the race")).count())
                .as(verify.out()).isEqualTo(ticketLosers);
        Run gc = vault("images", "gc", "--repo", repo, "--keep", "10", "--abandoned-after", "0");
        assertThat(gc.code()).as(gc.out() + gc.err()).isZero();
        assertThat(gc.out().lines().filter(l -> l.contains("remove claim ")).count()).as(gc.out())
                .isEqualTo(5 + ticketLosers);
        Run after = vault("images", "verify", "--repo", repo);
        assertThat(after.code()).as(after.out() + after.err()).isZero();
        assertThat(after.out()).contains("verified 5 version(s)").doesNotContain("claim ticket")
                .doesNotContain("unpublished");
    }

    /** A signed promotion (SBOM from a real inventory parse, key made by ssh-keygen), into S3 and into a local repository. */
    private static PromotionRequest signedRequest(Path repository, String version, Path disk, Path gate, Path key,
            Path tmp) throws Exception {
        StageEvidence stage = EvidenceDir.create(tmp.resolve("evidence-" + version)).stage("inventory");
        // A synthetic dpkg-query listing of the core module's parser tests (its SOURCE.md says so).
        Path dpkg = Path.of("..").toAbsolutePath().normalize()
                .resolve("core/src/test/resources/parse/dpkg-query/synthetic-states-and-gpu-stack.txt");
        stage.writeMetrics(new DpkgQueryParser().parse(ParseInput.of(dpkg)));
        return PromotionRequest.builder(repository, "cube", version, gate).file(disk).channel("stable")
                .attestation(new AttestationRequest(stage.file("metrics.json"), key, null,
                        "https://jenkins.example/job/golden/7/", Map.of(), true))
                .build();
    }

    @Test
    void s3PromotionsAndPushCarryTheSbomAndSignedProvenanceAndVerifyChecksThem() throws Exception {
        Path key = tmp.resolve("keys/signing-key");
        SshSignature.createDemoKey(key, "builder@vault.test");
        Path allowed = SshSignature.allowedSignersOf(key);
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        String repo = repo("signed");
        Path disk = randomFile(tmp.resolve("in/disk.img"), 1_600_000, 11);
        List<String> log = new ArrayList<>();
        S3Settings settings = S3Settings.defaults().withEndpoint(server.endpoint()).withPathStyle(true)
                .withRegion("us-east-1").withParts(5L << 20, 1L << 20);
        try (S3Store store = new S3Store(server.client(), S3Location.parse(repo), settings)) {
            PromotionResult promoted = new S3Promoter(2, null, log::add, new ProcessRunner())
                    .promote(store, signedRequest(Path.of("unused"), "1.0", disk, gate, key, tmp));
            assertThat(promoted.outcome()).isEqualTo(PromotionResult.Outcome.CREATED);
        }
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("SBOM: " + Attestation.SBOM))
                .anySatisfy(l -> assertThat(l).startsWith("provenance: " + Attestation.STATEMENT + " signed"));
        // A filesystem promotion with the same kind of attestation, pushed as it is.
        Path local = tmp.resolve("local-repo");
        Path disk2 = randomFile(tmp.resolve("in2/disk.img"), 1_400_000, 12);
        new Promoter(new FileHasher(), 2, null, log::add, new ProcessRunner())
                .promote(signedRequest(local, "2.0", disk2, gate, key, tmp));
        Run push = vault("images", "push", "--from", local.toString(), "--repo", repo, "cube", "2.0");
        assertThat(push.code()).as(push.err()).isZero();
        assertThat(push.out()).contains("with " + Attestation.SBOM + ", " + Attestation.STATEMENT + ", "
                + Attestation.STATEMENT_SIG + ", " + Attestation.SUMS_SIG);

        Run verify = vault("images", "verify", "--repo", repo, "--allowed-signers", allowed.toString());
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("SIGNED  cube/1.0").contains("SIGNED  cube/2.0")
                .contains("signatures: 2 version(s) verified against " + allowed);

        // An independent client: the attempt downloaded with awscli verifies with ssh-keygen and sha256sum alone.
        for (String version : List.of("1.0", "2.0")) {
            Run show = vault("images", "show", "--repo", repo, "cube", version);
            String location = show.out().lines().filter(l -> l.startsWith("  location")).findFirst().orElseThrow()
                    .replaceFirst("^  location +", "");
            Path download = Files.createDirectories(tmp.resolve("download-" + version));
            assertThat(aws(tmp, "s3", "cp", "--recursive", location, download.toString()).code()).isZero();
            assertThat(download.resolve(Attestation.SBOM)).exists();
            Run sums = tool(download, Map.of(), "sha256sum", "-c", "--strict", "SHA256SUMS");
            assertThat(sums.code()).as(sums.out() + sums.err()).isZero();
            assertThat(sums.out()).contains(Attestation.SBOM + ": OK").contains(Attestation.STATEMENT + ": OK");
            Run sig = tool(download, Map.of(), "sh", "-c", "ssh-keygen -Y verify -f \"$1\" -I builder@vault.test"
                    + " -n vault-image -s SHA256SUMS.sig < SHA256SUMS", "verify", allowed.toString());
            assertThat(sig.code()).as(sig.out() + sig.err()).isZero();
        }
        Run json = vault("images", "show", "--repo", repo, "cube", "2.0", "--json");
        assertThat(json.out().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllBytes(local.resolve("cube/2.0/manifest.json")));

        // Another key's allowed-signers file: refused.
        Path other = tmp.resolve("other/key");
        SshSignature.createDemoKey(other, "someone@else.test");
        Run wrongKey = vault("images", "verify", "--repo", repo, "--allowed-signers",
                SshSignature.allowedSignersOf(other).toString());
        assertThat(wrongKey.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(wrongKey.err()).contains("cube/1.0: " + Attestation.STATEMENT + ": signed by a key that is not in the"
                + " allowed signers");

        // The statement changed behind vault's back: SHA256SUMS no longer matches, and its signature fails.
        try (S3Client client = server.client()) {
            String statementKey = client.listObjectsV2(b -> b.bucket(BUCKET).prefix("signed/cube/data/1.0/")).contents()
                    .stream().map(S3Object::key).filter(k -> k.endsWith("/" + Attestation.STATEMENT)).findFirst()
                    .orElseThrow();
            byte[] bytes = client.getObjectAsBytes(b -> b.bucket(BUCKET).key(statementKey)).asByteArray();
            String changed = new String(bytes, StandardCharsets.UTF_8).replace("golden/7", "golden/8");
            client.putObject(b -> b.bucket(BUCKET).key(statementKey), RequestBody.fromString(changed));
        }
        Run plain = vault("images", "verify", "--repo", repo);
        assertThat(plain.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(plain.err()).contains("cube/1.0: SHA256SUMS does not list exactly");
        Run tampered = vault("images", "verify", "--repo", repo, "cube", "1.0", "--allowed-signers", allowed.toString());
        assertThat(tampered.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(tampered.out()).doesNotContain("SIGNED  cube/1.0");
    }

    static Run aws(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", server.endpoint().toString()));
        argv.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(server.env());
        env.put("AWS_PAGER", "");
        return tool(dir, env, argv.toArray(String[]::new));
    }

    static Run tool(Path dir, Map<String, String> env, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // Gone.
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        t.join();
        return new Run(code, out, err.toString(StandardCharsets.UTF_8));
    }
}
