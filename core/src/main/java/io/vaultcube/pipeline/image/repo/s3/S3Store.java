package io.vaultcube.pipeline.image.repo.s3;

import io.vaultcube.pipeline.image.Sha256;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 operations the repository uses, with every failure turned into a
 * {@link RepositoryException} that says what went wrong in words (wrong credentials, no such
 * bucket, server unreachable) and never shows a credential.
 */
public final class S3Store implements AutoCloseable {
    private final S3Client client;
    private final S3Location location;
    private final S3Settings settings;
    /** Whether the server takes x-amz-checksum-sha256; null until a write found out. */
    private volatile Boolean checksums;

    public S3Store(S3Client client, S3Location location, S3Settings settings) {
        this.client = client;
        this.location = location;
        this.settings = settings;
    }

    public S3Client client() {
        return client;
    }

    public S3Location location() {
        return location;
    }

    public S3Settings settings() {
        return settings;
    }

    public String bucket() {
        return location.bucket();
    }

    /** Fails with a clear message when the bucket is missing or the credentials are refused. */
    public void checkBucket() throws RepositoryException {
        try {
            client.headBucket(HeadBucketRequest.builder().bucket(bucket()).build());
        } catch (SdkException e) {
            throw translate(e, "open the bucket");
        }
    }

    /** The object's bytes, or null when there is no such key. */
    public byte[] get(String key) throws RepositoryException {
        try {
            return client.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket()).key(key).build()).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw translate(e, "read " + key);
        } catch (SdkException e) {
            throw translate(e, "read " + key);
        }
    }

    /** Streams an object (the caller closes it). */
    public InputStream open(String key) throws RepositoryException {
        try {
            return client.getObject(GetObjectRequest.builder().bucket(bucket()).key(key).build());
        } catch (SdkException e) {
            throw translate(e, "read " + key);
        }
    }

    /** Writes a small object with its SHA-256 checked by the server where it checks them. */
    public void put(String key, byte[] bytes) throws RepositoryException {
        try {
            if (!Boolean.FALSE.equals(checksums)) {
                try {
                    client.putObject(putRequest(key, bytes).build(), RequestBody.fromBytes(bytes));
                    checksums = Boolean.TRUE;
                    return;
                } catch (S3Exception e) {
                    if (!checksumsRefused(e)) {
                        throw e;
                    }
                }
            }
            client.putObject(PutObjectRequest.builder().bucket(bucket()).key(key).contentLength((long) bytes.length)
                    .build(), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw translate(e, "write " + key);
        }
    }

    /** True when the server takes SHA-256 checksums (x-amz-checksum-sha256); unknown counts as true. */
    public boolean checksums() {
        return !Boolean.FALSE.equals(checksums);
    }

    /**
     * Whether {@code e} is a server's 501 to the x-amz-checksum headers (S3Proxy 2.6.0 refuses them
     * as unknown headers); if so, writes go on without them: over http the SigV4 signature still
     * covers the SHA-256 of every request body, and verify re-hashes everything.
     */
    boolean checksumsRefused(S3Exception e) {
        if (e.statusCode() == 501 && checksums == null) {
            checksums = Boolean.FALSE;
            return true;
        }
        return false;
    }

    /**
     * Writes an object only if the key does not exist yet ({@code If-None-Match: *}). TRUE: written;
     * FALSE: the key exists; null: the server does not implement conditional writes (nothing was
     * written: such a server answers before it reads the body).
     */
    public Boolean putIfAbsent(String key, byte[] bytes) throws RepositoryException {
        try {
            client.putObject(putRequest(key, bytes).ifNoneMatch("*").build(), RequestBody.fromBytes(bytes));
            return Boolean.TRUE;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return Boolean.FALSE;
            }
            if (e.statusCode() == 501 || "NotImplemented".equals(code(e))) {
                return null;
            }
            throw translate(e, "write " + key);
        } catch (SdkException e) {
            throw translate(e, "write " + key);
        }
    }

    private PutObjectRequest.Builder putRequest(String key, byte[] bytes) {
        return PutObjectRequest.builder().bucket(bucket()).key(key).contentLength((long) bytes.length)
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .checksumSHA256(Base64.getEncoder().encodeToString(sha256(bytes)));
    }

    static byte[] sha256(byte[] bytes) {
        return Sha256.newDigest().digest(bytes);
    }

    /** Every object under {@code prefix} (a full key prefix), in key order. */
    public List<S3Object> list(String prefix) throws RepositoryException {
        List<S3Object> all = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Response page = client.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket())
                        .prefix(prefix).continuationToken(token).build());
                all.addAll(page.contents());
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw translate(e, "list " + prefix);
        }
        return all;
    }

    /** The next level of names under {@code prefix} (ending in '/'), without the prefix and the slash. */
    public List<String> children(String prefix) throws RepositoryException {
        List<String> names = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Response page = client.listObjectsV2(ListObjectsV2Request.builder().bucket(bucket())
                        .prefix(prefix).delimiter("/").continuationToken(token).build());
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(prefix.length());
                    names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw translate(e, "list " + prefix);
        }
        return names;
    }

    public void delete(String key) throws RepositoryException {
        try {
            client.deleteObject(b -> b.bucket(bucket()).key(key));
        } catch (SdkException e) {
            throw translate(e, "delete " + key);
        }
    }

    /** Multipart uploads begun and neither completed nor aborted, under {@code prefix}. */
    public List<MultipartUpload> uploads(String prefix) throws RepositoryException {
        List<MultipartUpload> all = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        try {
            while (true) {
                ListMultipartUploadsResponse page = client.listMultipartUploads(ListMultipartUploadsRequest.builder()
                        .bucket(bucket()).prefix(prefix).keyMarker(keyMarker).uploadIdMarker(idMarker).build());
                all.addAll(page.uploads());
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    return all;
                }
                keyMarker = page.nextKeyMarker();
                idMarker = page.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw translate(e, "list the multipart uploads under " + prefix);
        }
    }

    public void abort(String key, String uploadId) throws RepositoryException {
        try {
            client.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket()).key(key)
                    .uploadId(uploadId).build());
        } catch (SdkException e) {
            throw translate(e, "abort the multipart upload of " + key);
        }
    }

    static Instant modified(S3Object o) {
        return o.lastModified() == null ? Instant.EPOCH : o.lastModified();
    }

    static String code(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** A failure in words: who refused what, and what to check. */
    public RepositoryException translate(Throwable t, String doing) {
        String where = location + " at " + settings.endpointForDisplay();
        if (t instanceof S3Exception e) {
            String code = code(e);
            int status = e.statusCode();
            if ("NoSuchBucket".equals(code) || (status == 404 && doing.equals("open the bucket"))) {
                return new RepositoryException("the bucket '" + bucket() + "' does not exist at "
                        + settings.endpointForDisplay() + " (could not " + doing + "); create it, or check --repo"
                        + " and --s3-endpoint", e);
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)
                    || "AccessDenied".equals(code) || status == 403 || status == 401) {
                return new RepositoryException("the S3 server refused the credentials (" + (code == null ? "HTTP " + status
                        : code) + ") when trying to " + doing + " in " + where + "; check AWS_ACCESS_KEY_ID/"
                        + "AWS_SECRET_ACCESS_KEY or AWS_PROFILE and the bucket's permissions", e);
            }
            return new RepositoryException("the S3 server answered " + (code == null ? "HTTP " + status : code + " (HTTP "
                    + status + ")") + " when trying to " + doing + " in " + where, e);
        }
        if (t instanceof SdkClientException e) {
            return new RepositoryException("could not reach the S3 server at " + settings.endpointForDisplay()
                    + " to " + doing + " (" + rootMessage(e) + ")", e);
        }
        if (t instanceof IOException e) {
            return new RepositoryException("could not " + doing + " in " + where + ": " + e.getMessage(), e);
        }
        return new RepositoryException("could not " + doing + " in " + where + ": " + t, t);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        client.close();
    }
}
