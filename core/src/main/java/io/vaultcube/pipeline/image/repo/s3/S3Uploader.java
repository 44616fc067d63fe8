package io.vaultcube.pipeline.image.repo.s3;

import io.vaultcube.pipeline.image.HashResult;
import io.vaultcube.pipeline.image.Sha256;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Uploads one file, reading it once: each block read is added to the file's SHA-256 (in order, on
 * the reading thread) and goes up as a part with its own SHA-256 checksum, which a server that
 * checks checksums (AWS S3, MinIO) verifies before it accepts the part. Small files go up in one
 * PUT with their checksum. Memory: one part per parallel upload, plus one being read.
 */
final class S3Uploader {
    private final S3Store store;
    private final S3Settings settings;

    S3Uploader(S3Store store) {
        this.store = store;
        this.settings = store.settings();
    }

    /** Uploads {@code file} to {@code key}; returns the SHA-256 and size of the bytes read and sent. */
    HashResult upload(Path file, String key, LongConsumer progress) throws IOException, InterruptedException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            HashResult sent = size < settings.multipartThreshold() ? single(in, size, key, progress)
                    : multipart(in, size, key, progress);
            if (in.size() != size) {
                throw new RepositoryException(file + " changed size while it was uploaded; nothing was promoted");
            }
            return sent;
        }
    }

    private HashResult single(FileChannel in, long size, String key, LongConsumer progress) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(size)];
        readFully(in, ByteBuffer.wrap(bytes), 0);
        String hex = Sha256.of(bytes);
        try {
            if (store.checksums()) {
                try {
                    store.client().putObject(PutObjectRequest.builder().bucket(store.bucket()).key(key)
                            .contentLength(size).checksumAlgorithm(ChecksumAlgorithm.SHA256)
                            .checksumSHA256(base64(Sha256.newDigest().digest(bytes))).build(), RequestBody.fromBytes(bytes));
                    progress.accept(size);
                    return new HashResult(hex, size);
                } catch (S3Exception e) {
                    if (!store.checksumsRefused(e)) {
                        throw e;
                    }
                }
            }
            store.client().putObject(PutObjectRequest.builder().bucket(store.bucket()).key(key).contentLength(size)
                    .build(), RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw store.translate(e, "upload " + key);
        }
        progress.accept(size);
        return new HashResult(hex, size);
    }

    private record Part(int number, byte[] bytes, int length) {
    }

    private HashResult multipart(FileChannel in, long size, String key, LongConsumer progress)
            throws IOException, InterruptedException {
        int partSize = (int) settings.partSize();
        int parallel = settings.parallelParts();
        String uploadId;
        try {
            String id = null;
            if (store.checksums()) {
                try {
                    id = store.client().createMultipartUpload(b -> b.bucket(store.bucket()).key(key)
                            .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
                } catch (S3Exception e) {
                    if (!store.checksumsRefused(e)) {
                        throw e;
                    }
                }
            }
            uploadId = id != null ? id : store.client().createMultipartUpload(b -> b.bucket(store.bucket()).key(key)).uploadId();
        } catch (SdkException e) {
            throw store.translate(e, "start the multipart upload of " + key);
        }
        // Buffers circulate: the reader takes a free one, an uploader gives it back when its part is sent.
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(parallel + 1);
        for (int i = 0; i < parallel + 1; i++) {
            free.add(new byte[partSize]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "vault-s3-part");
            t.setDaemon(true);
            return t;
        });
        List<Future<CompletedPart>> futures = new ArrayList<>();
        MessageDigest whole = Sha256.newDigest();
        boolean completed = false;
        try {
            long position = 0;
            int number = 0;
            while (position < size) {
                byte[] buffer = free.take();
                int length = (int) Math.min(partSize, size - position);
                readFully(in, ByteBuffer.wrap(buffer, 0, length), position);
                whole.update(buffer, 0, length);
                position += length;
                Part part = new Part(++number, buffer, length);
                futures.add(pool.submit(() -> {
                    try {
                        return uploadPart(key, uploadId, part, progress);
                    } finally {
                        free.add(part.bytes());
                    }
                }));
                failFast(futures);
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> f : futures) {
                parts.add(get(f));
            }
            try {
                store.client().completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(store.bucket())
                        .key(key).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                        .build());
            } catch (SdkException e) {
                throw store.translate(e, "complete the multipart upload of " + key);
            }
            completed = true;
            return new HashResult(Sha256.hex(whole.digest()), size);
        } finally {
            pool.shutdownNow();
            if (!completed) {
                abortQuietly(key, uploadId);
            }
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, Part part, LongConsumer progress)
            throws RepositoryException {
        boolean withChecksum = store.checksums();
        String checksum = withChecksum ? base64(digest(part.bytes(), part.length())) : null;
        try {
            UploadPartRequest.Builder request = UploadPartRequest.builder().bucket(store.bucket())
                    .key(key).uploadId(uploadId).partNumber(part.number()).contentLength((long) part.length());
            if (withChecksum) {
                request.checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum);
            }
            UploadPartResponse response = store.client().uploadPart(request.build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part.bytes(), 0, part.length()),
                            part.length(), "application/octet-stream"));
            progress.accept(part.length());
            CompletedPart.Builder done = CompletedPart.builder().partNumber(part.number()).eTag(response.eTag());
            if (withChecksum) {
                done.checksumSHA256(response.checksumSHA256() == null ? checksum : response.checksumSHA256());
            }
            return done.build();
        } catch (SdkException e) {
            throw store.translate(e, "upload part " + part.number() + " of " + key);
        }
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            store.abort(key, uploadId);
        } catch (RepositoryException e) {
            // gc aborts what is left; verify lists it meanwhile.
        }
    }

    private static void failFast(List<Future<CompletedPart>> futures) throws IOException, InterruptedException {
        for (Future<CompletedPart> f : futures) {
            if (f.isDone()) {
                get(f);
            }
        }
    }

    private static CompletedPart get(Future<CompletedPart> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    /** Streams an object back and hashes it. */
    static HashResult hashObject(S3Store store, String key, LongConsumer progress) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        long size = 0;
        try (InputStream in = store.open(key)) {
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                size += n;
                progress.accept(n);
            }
        } catch (SdkException e) {
            throw store.translate(e, "read " + key);
        }
        return new HashResult(Sha256.hex(digest.digest()), size);
    }

    static long size(S3Store store, String key) throws RepositoryException {
        try {
            HeadObjectResponse head = store.client().headObject(b -> b.bucket(store.bucket()).key(key));
            return head.contentLength();
        } catch (SdkException e) {
            throw store.translate(e, "check " + key);
        }
    }

    private static byte[] digest(byte[] bytes, int length) {
        MessageDigest d = Sha256.newDigest();
        d.update(bytes, 0, length);
        return d.digest();
    }

    static String base64(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = in.read(buffer, at);
            if (n < 0) {
                throw new RepositoryException("the file ended early (changed while it was uploaded?); nothing was promoted");
            }
            at += n;
        }
    }
}
