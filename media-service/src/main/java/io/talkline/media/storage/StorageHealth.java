package io.talkline.media.storage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import io.talkline.media.config.MediaConfig;

/** Ready only when the object store answers and the bucket exists: uploads would fail otherwise. */
@Readiness
@ApplicationScoped
public class StorageHealth implements HealthCheck {

    private final MinioClient minio;
    private final MediaConfig config;

    public StorageHealth(MinioClient minio, MediaConfig config) {
        this.minio = minio;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            boolean exists = minio.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
            return HealthCheckResponse.named("object storage").status(exists).withData("bucket", config.bucket())
                    .withData("state", exists ? "present" : "missing").build();
        } catch (Exception e) {
            return HealthCheckResponse.named("object storage").down().withData("bucket", config.bucket())
                    .withData("error", e.getClass().getSimpleName()).build();
        }
    }
}
