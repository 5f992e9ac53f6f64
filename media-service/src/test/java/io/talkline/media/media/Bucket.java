package io.talkline.media.media;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import com.google.common.collect.HashMultimap;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.talkline.devstack.Infra;
import io.talkline.media.upload.Stored;

/** The test's own look into the bucket: what objects and unfinished multipart uploads it holds. */
final class Bucket {

    static final String NAME = "talkline-media";
    private static final MinioClient MINIO = MinioClient.builder().endpoint(Infra.s3Endpoint())
            .credentials(Infra.S3_ACCESS_KEY, Infra.S3_SECRET_KEY).region("us-east-1").build();
    private static final MinioAsyncClient ASYNC = MinioAsyncClient.builder().endpoint(Infra.s3Endpoint())
            .credentials(Infra.S3_ACCESS_KEY, Infra.S3_SECRET_KEY).region("us-east-1").build();

    private Bucket() {
    }

    static long objects() {
        long count = 0;
        for (var ignored : MINIO.listObjects(ListObjectsArgs.builder().bucket(NAME).prefix("media/").recursive(true).build())) {
            count++;
        }
        return count;
    }

    /** Multipart uploads begun and neither completed nor aborted. */
    static int unfinishedUploads() throws Exception {
        return ASYNC.listMultipartUploadsAsync(NAME, "us-east-1", null, null, null, 1000, "media/", null,
                HashMultimap.create(), HashMultimap.create()).get(10, TimeUnit.SECONDS).result().uploads().size();
    }

    static boolean exists(String key) {
        try {
            MINIO.statObject(StatObjectArgs.builder().bucket(NAME).object(key).build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static byte[] read(String key) throws Exception {
        try (var in = MINIO.getObject(GetObjectArgs.builder().bucket(NAME).object(key).build())) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(Stored.digest().digest(bytes));
    }
}
