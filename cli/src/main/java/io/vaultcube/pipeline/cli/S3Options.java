package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.image.repo.s3.S3Location;
import io.vaultcube.pipeline.image.repo.s3.S3Settings;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * How to reach an {@code s3://BUCKET/PREFIX} repository: options over the environment
 * (VAULT_S3_ENDPOINT, VAULT_S3_REGION, VAULT_S3_PATH_STYLE, ...), credentials from the AWS SDK's
 * default chain only, so no secret is ever an argument.
 */
final class S3Options {
    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "With an s3:// --repo: the S3 endpoint, e.g. http://minio:9000 (default: VAULT_S3_ENDPOINT,"
                    + " AWS_ENDPOINT_URL_S3, else AWS S3). Credentials come from the AWS SDK's default chain.")
    String endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION",
            description = "With an s3:// --repo: the signing region (default: VAULT_S3_REGION, the SDK's chain, us-east-1).")
    String region;

    @Option(names = "--s3-path-style", negatable = true,
            description = "With an s3:// --repo: path-style bucket addressing, which most self-hosted servers need"
                    + " (default: VAULT_S3_PATH_STYLE, else on when --s3-endpoint is given).")
    Boolean pathStyle;

    static boolean isS3(String repo) {
        return S3Location.isS3(repo);
    }

    S3Settings settings() {
        S3Settings s;
        try {
            s = S3Settings.fromEnvironment(environment());
            if (endpoint != null) {
                s = s.withEndpoint(S3Settings.endpoint(endpoint));
            }
            if (region != null) {
                s = s.withRegion(region);
            }
            if (pathStyle != null) {
                s = s.withPathStyle(pathStyle);
            } else if (s.endpoint() != null && System.getenv("VAULT_S3_PATH_STYLE") == null) {
                s = s.withPathStyle(true);
            }
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        return s;
    }

    /** The environment, where a JVM system property of the same name (VAULT_S3_PART_SIZE...) overrides it. */
    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("VAULT_S3_")) {
                env.put(name, System.getProperty(name));
            }
        }
        return env;
    }

    /** The store of an s3:// --repo (the caller closes it). */
    S3Store store(String repo) {
        S3Location location;
        try {
            location = S3Location.parse(repo);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        S3Settings settings = settings();
        return new S3Store(settings.newClient(), location, settings);
    }
}
