package io.vaultcube.pipeline.cli.bench;

import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * bench/s3-promote's baseline: the AWS SDK's own multipart upload of one file (S3 Transfer Manager
 * over the SDK's Java multipart async client), with the same part size as vault's and nothing
 * else: no hashing of the whole file, no manifest, no verification.
 * Usage: TransferManagerUpload ENDPOINT BUCKET KEY FILE PART_SIZE_BYTES (credentials from the environment).
 */
public final class TransferManagerUpload {
    private TransferManagerUpload() {
    }

    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        long partSize = Long.parseLong(args[4]);
        try (S3AsyncClient client = S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .forcePathStyle(true)
                // S3Proxy 2.6.0 answers 501 to the SDK's default CRC32 checksum headers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(partSize).thresholdInBytes(partSize))
                .build();
             S3TransferManager tm = S3TransferManager.builder().s3Client(client).build()) {
            tm.uploadFile(u -> u.source(Path.of(args[3])).putObjectRequest(p -> p.bucket(args[1]).key(args[2])))
                    .completionFuture().join();
        }
    }
}
