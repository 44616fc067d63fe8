package io.vaultcube.pipeline.cli.bench;

import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
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
                // S3Proxy 2.6.0 answers 501 NotImplemented to the SDK's default CRC32 checksum headers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(partSize).thresholdInBytes(partSize))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new DropMultipartObjectSize()))
                .build();
             S3TransferManager tm = S3TransferManager.builder().s3Client(client).build()) {
            tm.uploadFile(u -> u.source(Path.of(args[3])).putObjectRequest(p -> p.bucket(args[1]).key(args[2])))
                    .completionFuture().join();
        }
    }

    /**
     * The SDK's multipart client sends {@code x-amz-mp-object-size} (the whole object's size, an
     * optional integrity check) with CompleteMultipartUpload; S3Proxy 2.6.0 refuses any x-amz header
     * it does not know with 501 NotImplemented (its log: "Unknown header x-amz-mp-object-size"), and
     * no SDK setting turns the header off. Removing it before signing leaves a request S3 takes as well.
     */
    private static final class DropMultipartObjectSize implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            return request.firstMatchingHeader("x-amz-mp-object-size").isPresent()
                    ? request.toBuilder().removeHeader("x-amz-mp-object-size").build()
                    : request;
        }
    }
}
