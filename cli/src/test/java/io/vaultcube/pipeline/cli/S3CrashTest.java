package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.ImageCliSupport.gateReport;
import static io.vaultcube.pipeline.cli.ImageCliSupport.randomFile;
import static io.vaultcube.pipeline.cli.ImageCliSupport.vault;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.cli.ImageCliSupport.Run;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code vault promote} processes into a real S3 server (S3Proxy on loopback), killed with
 * SIGKILL at random moments of their multipart uploads, and a server that goes away in the middle
 * of one. After each: {@code verify} passes, no partial version is visible, the channel is on a
 * published version or absent; at the end {@code gc} aborts what was left and verify has nothing
 * more to note.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class S3CrashTest {
    private static final int KILLS = 20;
    private static final String BUCKET = "vault-crash";

    @TempDir
    Path tmp;

    private S3ProxyServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(server.env());
        // S3Proxy's smallest part is 5 MiB: a 12 MB image is three parts.
        env.put("VAULT_S3_PART_SIZE", "5M");
        env.put("VAULT_S3_MULTIPART_THRESHOLD", "1M");
        return env;
    }

    private Run inProcess(String... args) {
        // The in-process CLI gets the server through the same settings as the processes.
        System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("VAULT_S3_ENDPOINT", server.endpoint().toString());
        System.setProperty("VAULT_S3_PART_SIZE", "5M");
        System.setProperty("VAULT_S3_MULTIPART_THRESHOLD", "1M");
        try {
            return vault(args);
        } finally {
            for (String p : new String[] {"aws.accessKeyId", "aws.secretAccessKey", "aws.region", "VAULT_S3_ENDPOINT",
                "VAULT_S3_PART_SIZE", "VAULT_S3_MULTIPART_THRESHOLD"}) {
                System.clearProperty(p);
            }
        }
    }

    @Test
    void sigkillAtRandomMomentsOfMultipartPromotionsNeverLeavesAPartialVersionVisible() throws Exception {
        long seed = Long.getLong("vault.crash.seed", System.nanoTime());
        System.out.println("S3CrashTest seed " + seed + " (rerun with -Dvault.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        server = S3ProxyServer.start(tmp, tmp.resolve("s3data"));
        server.createBucket(BUCKET);
        String repo = "s3://" + BUCKET + "/crash";
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        Path same = randomFile(tmp.resolve("same/disk.img"), 12_200_000, 7);
        int killedUploading = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            boolean retry = kill % 4 == 3;
            Path disk = retry ? same : randomFile(tmp.resolve("in-" + kill + "/disk.img"), 11_000_000 + random.nextInt(2_000_000),
                    random.nextLong());
            String version = retry ? "same" : "t" + kill;
            try (VaultProcess p = VaultProcess.start(tmp, env(), "promote", disk.toString(), "--repo", repo, "--name",
                    "cube", "--version", version, "--channel", "stable", "--gate-report", gate.toString(), "--no-git")) {
                if (retry) {
                    // The version may be published already (then there is nothing to upload): once it started.
                    p.waitForOutput("gate report ");
                } else if (kill % 5 != 4) {
                    // Mostly in the middle of the upload; every fifth kill before it (start-up, gate, open).
                    p.waitForOutput("uploading ");
                    killedUploading++;
                }
                // Up to the end of the promotion and past it: some kills land after the commit record.
                Thread.sleep(random.nextInt(kill % 5 == 4 ? 2000 : 2500));
                p.close(); // SIGKILL
                p.waitFor();
            }
            Run verify = inProcess("images", "verify", "--repo", repo);
            assertThat(verify.code()).as("after kill %d: %s%s", kill, verify.out(), verify.err()).isZero();
            Run list = inProcess("images", "list", "--repo", repo, "--json");
            assertThat(list.code()).as(list.err()).isZero();
            Matcher stable = Pattern.compile("\"stable\" : \"([^\"]+)\"").matcher(list.out());
            if (stable.find()) {
                assertThat(list.out()).as("the channel is on a published version").contains("\"version\" : \""
                        + stable.group(1) + "\"");
            }
        }
        assertThat(killedUploading).isGreaterThanOrEqualTo(10);
        Run gc = inProcess("images", "gc", "--repo", repo, "--keep", "100", "--abandoned-after", "0");
        assertThat(gc.code()).as(gc.out() + gc.err()).isZero();
        Run after = inProcess("images", "verify", "--repo", repo);
        assertThat(after.code()).as(after.out() + after.err()).isZero();
        assertThat(after.out()).doesNotContain("multipart upload").doesNotContain("unpublished");
        // The repository still takes promotions.
        Run last = inProcess("promote", same.toString(), "--repo", repo, "--name", "cube", "--version", "same",
                "--channel", "stable", "--gate-report", gate.toString(), "--no-git");
        assertThat(last.code()).as(last.out() + last.err()).isZero();
        assertThat(inProcess("images", "verify", "--repo", repo).code()).isZero();
    }

    @Test
    void aServerThatGoesAwayMidUploadIsAClearErrorAndLeavesNothingVisible() throws Exception {
        Path data = tmp.resolve("s3data");
        server = S3ProxyServer.start(tmp, data);
        server.createBucket(BUCKET);
        String repo = "s3://" + BUCKET + "/away";
        Path gate = gateReport(tmp.resolve("gate.json"), "SUCCESS", "PASSED");
        Path first = randomFile(tmp.resolve("first/disk.img"), 1_100_000, 8);
        assertThat(inProcess("promote", first.toString(), "--repo", repo, "--name", "cube", "--version", "1.0",
                "--channel", "stable", "--gate-report", gate.toString(), "--no-git").code()).isZero();
        Path big = randomFile(tmp.resolve("big/disk.img"), 96 << 20, 9);
        try (VaultProcess p = VaultProcess.start(tmp, env(), "promote", big.toString(), "--repo", repo, "--name", "cube",
                "--version", "2.0", "--channel", "stable", "--gate-report", gate.toString(), "--no-git")) {
            p.waitForOutput("uploading ");
            server.kill();
            assertThat(p.waitFor()).as(p.output()).isEqualTo(ExitCodes.FAILURE);
            assertThat(p.output()).contains("could not reach the S3 server at " + server.endpoint());
        }
        server = S3ProxyServer.start(tmp, data);
        Run list = inProcess("images", "list", "--repo", repo);
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("1.0").doesNotContain("2.0");
        assertThat(list.out()).containsPattern("1\\.0 .* stable");
        Run verify = inProcess("images", "verify", "--repo", repo);
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        Run gc = inProcess("images", "gc", "--repo", repo, "--keep", "5", "--abandoned-after", "0");
        assertThat(gc.code()).as(gc.out() + gc.err()).isZero();
        assertThat(inProcess("images", "verify", "--repo", repo).out()).doesNotContain("multipart upload")
                .doesNotContain("unpublished");
    }
}
