package io.vaultcube.pipeline.image.repo.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How to reach an S3 repository, kept apart from its {@code s3://BUCKET/PREFIX} URL: endpoint,
 * region, path-style addressing, and transfer sizes. Credentials are never held here: they come
 * from the AWS SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE and
 * ~/.aws, container or instance roles), so they never reach argv, logs or reports.
 *
 * @param endpoint the service endpoint (MinIO, Ceph RGW, S3Proxy...), or null for AWS S3
 * @param region the signing region, or null for the SDK's default chain (us-east-1 when it has none)
 * @param pathStyle address buckets as {@code ENDPOINT/BUCKET/KEY} (most self-hosted servers need it)
 * @param partSize bytes per multipart part (at least 5 MiB on AWS)
 * @param multipartThreshold files this large or larger go up as multipart uploads
 * @param parallelParts parts uploaded at once per file (each holds one part in memory)
 * @param readBack after upload, stream every object back and hash it again before publishing
 */
public record S3Settings(URI endpoint, String region, boolean pathStyle, long partSize, long multipartThreshold,
        int parallelParts, boolean readBack) {
    public static final long MIB = 1L << 20;
    public static final long DEFAULT_PART_SIZE = 16 * MIB;
    public static final int DEFAULT_PARALLEL_PARTS = 4;

    public S3Settings {
        if (endpoint != null) {
            if (endpoint.getUserInfo() != null) {
                throw new IllegalArgumentException("the S3 endpoint must not carry credentials; use the AWS SDK's"
                        + " credential settings (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE)");
            }
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
                throw new IllegalArgumentException("the S3 endpoint must be an http:// or https:// URL: " + endpoint);
            }
        }
        if (partSize < 1 || partSize > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("invalid S3 part size " + partSize);
        }
        if (multipartThreshold < 1) {
            throw new IllegalArgumentException("invalid S3 multipart threshold " + multipartThreshold);
        }
        if (parallelParts < 1) {
            throw new IllegalArgumentException("invalid number of parallel S3 parts " + parallelParts);
        }
    }

    public static S3Settings defaults() {
        return new S3Settings(null, null, false, DEFAULT_PART_SIZE, DEFAULT_PART_SIZE, DEFAULT_PARALLEL_PARTS, false);
    }

    /**
     * The settings the environment gives: VAULT_S3_ENDPOINT (or the SDK's AWS_ENDPOINT_URL_S3,
     * AWS_ENDPOINT_URL), VAULT_S3_REGION, VAULT_S3_PATH_STYLE=1|0 (default: on with an endpoint), VAULT_S3_PART_SIZE and
     * VAULT_S3_MULTIPART_THRESHOLD (bytes, or with a K/M/G suffix), VAULT_S3_PARALLEL_PARTS,
     * VAULT_S3_READ_BACK=1.
     */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        S3Settings d = defaults();
        String endpoint = first(env, "VAULT_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
        long part = size(env.get("VAULT_S3_PART_SIZE"), d.partSize(), "VAULT_S3_PART_SIZE");
        return new S3Settings(endpoint == null ? null : endpoint(endpoint), blankToNull(env.get("VAULT_S3_REGION")),
                // Self-hosted servers (an endpoint is given) mostly need path-style; AWS wants virtual hosts.
                env.get("VAULT_S3_PATH_STYLE") == null ? endpoint != null : flag(env.get("VAULT_S3_PATH_STYLE")), part,
                size(env.get("VAULT_S3_MULTIPART_THRESHOLD"), part, "VAULT_S3_MULTIPART_THRESHOLD"),
                (int) size(env.get("VAULT_S3_PARALLEL_PARTS"), d.parallelParts(), "VAULT_S3_PARALLEL_PARTS"),
                flag(env.get("VAULT_S3_READ_BACK")));
    }

    public S3Settings withEndpoint(URI value) {
        return new S3Settings(value, region, pathStyle, partSize, multipartThreshold, parallelParts, readBack);
    }

    public S3Settings withRegion(String value) {
        return new S3Settings(endpoint, value, pathStyle, partSize, multipartThreshold, parallelParts, readBack);
    }

    public S3Settings withPathStyle(boolean value) {
        return new S3Settings(endpoint, region, value, partSize, multipartThreshold, parallelParts, readBack);
    }

    public S3Settings withReadBack(boolean value) {
        return new S3Settings(endpoint, region, pathStyle, partSize, multipartThreshold, parallelParts, value);
    }

    public S3Settings withParts(long size, long threshold) {
        return new S3Settings(endpoint, region, pathStyle, size, threshold, parallelParts, readBack);
    }

    /** Parses an endpoint setting. */
    public static URI endpoint(String value) {
        try {
            URI uri = URI.create(value.strip());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("the S3 endpoint has no host: give http(s)://HOST[:PORT]");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the S3 endpoint")) {
                throw e;
            }
            throw new IllegalArgumentException("the S3 endpoint is not a URL", e);
        }
    }

    /** The endpoint as it may be shown: scheme, host and port only. */
    public String endpointForDisplay() {
        if (endpoint == null) {
            return "AWS S3" + (region == null ? "" : " (" + region + ")");
        }
        return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    }

    /** A client for these settings; credentials from the SDK's default chain. */
    public S3Client newClient() {
        return newClient(DefaultCredentialsProvider.builder().build());
    }

    public S3Client newClient(AwsCredentialsProvider credentials) {
        var builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(resolveRegion())
                .forcePathStyle(pathStyle)
                // Checksums where vault asks for them (SHA-256 on every upload), not the SDK's default
                // CRC on every request: servers without flexible checksums (S3Proxy 2.6.0) answer 501.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(Math.max(8, parallelParts * 2))
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(120)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    private Region resolveRegion() {
        if (region != null) {
            return Region.of(region);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            // Self-hosted servers do not care; AWS redirects a wrong region with a clear error.
            return Region.US_EAST_1;
        }
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = blankToNull(env.get(name));
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static boolean flag(String s) {
        return s != null && (s.equals("1") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes"));
    }

    /** Bytes, or a number with a K, M or G suffix (powers of 1024). */
    public static long size(String value, long fallback, String what) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = v.charAt(v.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " must be a positive size (bytes, or with K, M or G): " + value);
        }
    }
}
