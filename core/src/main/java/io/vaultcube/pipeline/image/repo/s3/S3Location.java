package io.vaultcube.pipeline.image.repo.s3;

import java.util.regex.Pattern;

/**
 * Where an S3 repository lives: {@code s3://BUCKET/PREFIX}. Only the bucket and a key prefix: the
 * endpoint, region and credentials are settings ({@link S3Settings}), never part of the URL, so a
 * URL can be logged and written into reports as it is.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, without a leading or trailing slash; empty for the bucket's root
 */
public record S3Location(String bucket, String prefix) {
    public static final String SCHEME = "s3://";
    /** S3's rules for new bucket names (lower case, digits, dots, hyphens; 3 to 63). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    /** True when {@code repo} names an S3 repository rather than a directory. */
    public static boolean isS3(String repo) {
        return repo != null && repo.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Parses {@code s3://BUCKET[/PREFIX]}; refuses credentials, endpoints, queries and odd segments. */
    public static S3Location parse(String url) {
        if (!isS3(url)) {
            throw new IllegalArgumentException("not an s3:// repository URL: " + url);
        }
        String rest = url.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.contains("@") || bucket.contains(":")) {
            // Never echo what was given: it may hold a secret.
            throw new IllegalArgumentException("an s3:// repository URL names only a bucket and a prefix; credentials"
                    + " and endpoints are settings (--s3-endpoint, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the AWS"
                    + " SDK's default chain), never part of the URL");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("invalid bucket name '" + bucket + "' in " + url
                    + ": 3 to 63 lower-case letters, digits, dots and hyphens");
        }
        if (prefix.contains("?") || prefix.contains("#")) {
            throw new IllegalArgumentException("an s3:// repository URL takes no query or fragment: s3://" + bucket + "/...");
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!prefix.isEmpty()) {
            for (String segment : prefix.split("/", -1)) {
                if (!SEGMENT.matcher(segment).matches()) {
                    throw new IllegalArgumentException("invalid prefix segment '" + segment + "' in " + url
                            + ": letters, digits and . _ + -, starting with a letter or digit");
                }
            }
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of {@code relative} under the prefix. */
    public String key(String relative) {
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    /** {@code relative} from a full key under the prefix. */
    public String relative(String key) {
        return prefix.isEmpty() ? key : key.substring(prefix.length() + 1);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
