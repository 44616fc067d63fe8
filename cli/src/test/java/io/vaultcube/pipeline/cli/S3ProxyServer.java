package io.vaultcube.pipeline.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import io.vaultcube.pipeline.image.repo.s3.S3Settings;

/**
 * A real S3 server for the tests: S3Proxy (org.gaul:s3proxy, the jar Maven resolved; see
 * cli/pom.xml) as a process of its own, on 127.0.0.1 and a port the kernel picks, storing objects
 * as files under a directory of the test. Started and stopped by the tests; waits for Jetty's
 * "Started ServerConnector" line (an event), never for a time. Public: the plugin's tests start it
 * too, through this module's test-jar.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String IDENTITY = "vault-test-identity";
    public static final String CREDENTIAL = "vault-test-credential-0123456789";
    private static final Pattern STARTED = Pattern.compile("Started ServerConnector.*\\{127\\.0\\.0\\.1:(\\d+)\\}");

    private final Process process;
    private final URI endpoint;
    private final List<String> lines;

    private S3ProxyServer(Process process, URI endpoint, List<String> lines) {
        this.process = process;
        this.endpoint = endpoint;
        this.lines = lines;
    }

    /** Starts S3Proxy over {@code data} (kept between starts, so a restarted server sees the same objects). */
    public static S3ProxyServer start(Path dir, Path data) throws IOException, InterruptedException {
        String jar = System.getProperty("vault.s3proxy.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy's jar is missing (" + jar + "): run the tests through Maven,"
                    + " which resolves org.gaul:s3proxy");
        }
        Files.createDirectories(data);
        Path properties = Files.createTempFile(dir, "s3proxy-", ".properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:0",
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data.toAbsolutePath(), ""));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar, "--properties", properties.toString())
                .redirectErrorStream(true);
        pb.environment().put("LOG_LEVEL", "info");
        Process process = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (lines.size() < 2000) {
                        lines.add(line);
                    }
                    Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
            port.completeExceptionally(new IllegalStateException("S3Proxy ended before it listened"));
        }, "s3proxy-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int p = port.get(180, TimeUnit.SECONDS);
            return new S3ProxyServer(process, URI.create("http://127.0.0.1:" + p), lines);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("S3Proxy did not start: " + e + "\n" + String.join("\n", lines), e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** An SDK client with the server's credentials (for the tests' own setup and tampering). */
    public S3Client client() {
        return S3Settings.defaults().withEndpoint(endpoint).withRegion("us-east-1").withPathStyle(true)
                .newClient(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)));
    }

    public void createBucket(String bucket) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    /** The environment a vault process needs to reach this server. */
    public java.util.Map<String, String> env() {
        return java.util.Map.of("AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL,
                "AWS_REGION", "us-east-1", "VAULT_S3_ENDPOINT", endpoint.toString(),
                "AWS_CONFIG_FILE", "/nonexistent/vault-test-aws-config",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/vault-test-aws-credentials");
    }

    public String log() {
        return String.join("\n", lines);
    }

    /** Stops the server abruptly (SIGKILL): a server that goes away. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
