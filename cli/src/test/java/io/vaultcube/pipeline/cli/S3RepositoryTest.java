package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.gateReport;
import static io.vaultcube.pipeline.cli.ImageCliSupport.randomFile;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.cli.ImageCliSupport.Run;
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
import org.junit.jupiter.api.Disabled;
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
    @Disabled("KNOWN DEFECT (issue 15, open): on a server without conditional writes, racing promotions of one"
            + " version with different files can both leave their commit records, so the version stays contested and"
            + " images verify reports it; seen twice on a loaded 2-core machine. Re-enable with the fix.")
    void eightConcurrentPromotionsLoseNothingAndNeverPublishTwoContentsOfOneVersion() throws Exception {
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
        // Without conditional writes (S3Proxy 2.6.0) racing promotions of one version with other files
        // may all lose; never may two succeed, and a refused one leaves nothing visible.
        List<Run> contested = results.subList(4, 8);
        long winners = contested.stream().filter(r -> r.code() == 0).count();
        assertThat(winners).as("at most one winner of x").isLessThanOrEqualTo(1);
        contested.stream().filter(r -> r.code() != 0).forEach(r -> {
            assertThat(r.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).containsAnyOf("exists with other content", "concurrently with other files",
                    "concurrent promotion with other content", "claimed by another promotion", "is contested");
        });
        Run show = vault("images", "show", "--repo", repo, "cube", "x");
        if (winners == 1) {
            int winner = 4 + contested.indexOf(contested.stream().filter(r -> r.code() == 0).findFirst().orElseThrow());
            assertThat(show.out()).contains(io.vaultcube.pipeline.image.Sha256.of(Files.readAllBytes(files.get(winner))));
        } else {
            assertThat(show.code()).as(show.out()).isEqualTo(ExitCodes.USAGE);
        }
        Run verify = vault("images", "verify", "--repo", repo);
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("verified " + (4 + winners) + " version(s)");
        // Every successful channel move is on record; the channel is on one of the published versions.
        try (S3Client client = server.client()) {
            List<S3Object> moves = client.listObjectsV2(b -> b.bucket(BUCKET).prefix("concurrent/cube/channels/stable/"))
                    .contents();
            assertThat(moves).hasSizeGreaterThanOrEqualTo(1).hasSizeLessThanOrEqualTo(5);
        }
        Run list = vault("images", "list", "--repo", repo, "--json");
        assertThat(list.out()).containsPattern("\"stable\" : \"(v[0-3]|x)\"");
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
