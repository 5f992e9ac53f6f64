package io.talkline.media.storage;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Part;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.talkline.media.config.MediaConfig;

/**
 * The bucket: multipart writes the service streams into (one part in memory at a time, aborted on
 * any failure so no partial object or part is left), reads, removals and presigned URLs. URLs are
 * signed by a client bound to the endpoint clients reach ({@code media.public-url}), because the
 * signature covers the host.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Multimap<String, String> NONE = HashMultimap.create();

    private final MinioClient minio;
    private final MinioAsyncClient async;
    private final MinioClient signer;
    private final MediaConfig config;

    public ObjectStore(MinioClient minio, MinioAsyncClient async, MediaConfig config,
            @ConfigProperty(name = "quarkus.minio.host") String host,
            @ConfigProperty(name = "quarkus.minio.port") Optional<Integer> port,
            // optional here: without them, RequiredSecrets stops the service naming what to set
            @ConfigProperty(name = "quarkus.minio.access-key") Optional<String> accessKey,
            @ConfigProperty(name = "quarkus.minio.secret-key") Optional<String> secretKey) {
        this.minio = minio;
        this.async = async;
        this.config = config;
        if (config.partSize().asLongValue() < (5L << 20)) {
            throw new IllegalStateException("media.part-size must be 5M at least (S3's smallest part)");
        }
        String endpoint = config.publicUrl().orElse(host + port.map(p -> ":" + p).orElse(""));
        // with the region given, signing a URL is a local computation: no request to the server
        this.signer = MinioClient.builder().endpoint(endpoint).credentials(accessKey.orElse(""), secretKey.orElse(""))
                .region(config.region())
                .build();
    }

    void createBucket(@Observes StartupEvent start) {
        try {
            if (!minio.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build())) {
                minio.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).build());
                Log.infof("created bucket %s", config.bucket());
            }
        } catch (Exception e) {
            // readiness reports the store down until it answers; uploads fail with 503 meanwhile
            Log.warnf("cannot make sure bucket %s exists: %s", config.bucket(), e.toString());
        }
    }

    /** A multipart upload to {@code key}, written part by part. */
    public Write write(String key, String contentType) {
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", contentType);
        String uploadId = join(() -> async.createMultipartUploadAsync(config.bucket(), config.region(), key, headers, NONE))
                .result().uploadId();
        return new Write(key, uploadId);
    }

    public final class Write {
        private final String key;
        private final String uploadId;
        private final List<Part> parts = new ArrayList<>();

        private Write(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        /** Sends the first {@code length} bytes of the buffer as the next part; the buffer may be reused after. */
        public void part(byte[] buffer, int length) {
            byte[] data = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            int number = parts.size() + 1;
            String etag = join(() -> async.uploadPartAsync(config.bucket(), config.region(), key, data, length, uploadId,
                    number, NONE, NONE)).etag();
            parts.add(new Part(number, etag));
        }

        public void complete() {
            join(() -> async.completeMultipartUploadAsync(config.bucket(), config.region(), key, uploadId,
                    parts.toArray(Part[]::new), NONE, NONE));
        }

        /** Drops every part sent; never throws (it runs on the way out of a failure). */
        public void abort() {
            try {
                join(() -> async.abortMultipartUploadAsync(config.bucket(), config.region(), key, uploadId, NONE, NONE));
            } catch (RuntimeException e) {
                Log.warnf("could not abort the multipart upload of %s (the bucket's lifecycle rule must): %s", key,
                        e.toString());
            }
        }
    }

    /** A small object in one request (thumbnails). */
    public void put(String key, byte[] data, String contentType) {
        call(() -> minio.putObject(PutObjectArgs.builder().bucket(config.bucket()).object(key)
                .stream(new java.io.ByteArrayInputStream(data), data.length, -1).contentType(contentType).build()));
    }

    public Optional<StatObjectResponse> stat(String key) {
        try {
            return Optional.of(minio.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(key).build()));
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchObject".equals(e.errorResponse().code())
                    || e.response().code() == 404) {
                return Optional.empty();
            }
            throw new StorageUnavailable(e);
        } catch (Exception e) {
            throw new StorageUnavailable(e);
        }
    }

    /** The object's bytes from the start (the caller closes the stream). */
    public InputStream read(String key) {
        return call(() -> minio.getObject(GetObjectArgs.builder().bucket(config.bucket()).object(key).build()));
    }

    /** Removes the object; one that is already gone is fine. */
    public void remove(String key) {
        call(() -> {
            minio.removeObject(RemoveObjectArgs.builder().bucket(config.bucket()).object(key).build());
            return null;
        });
    }

    /** A presigned GET that serves the object with this type and disposition. */
    public String downloadUrl(String key, Duration ttl, String contentType, String disposition) {
        return call(() -> signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET)
                .bucket(config.bucket()).object(key).expiry((int) ttl.toSeconds())
                .extraQueryParams(Map.of("response-content-type", contentType, "response-content-disposition", disposition))
                .build()));
    }

    /** A presigned PUT to this key. */
    public String uploadUrl(String key, Duration ttl) {
        return call(() -> signer.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.PUT)
                .bucket(config.bucket()).object(key).expiry((int) ttl.toSeconds()).build()));
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new StorageUnavailable(e);
        }
    }

    private static <T> T join(Call<java.util.concurrent.CompletableFuture<T>> call) {
        try {
            return call.run().join();
        } catch (CompletionException e) {
            throw new StorageUnavailable(e.getCause() == null ? e : e.getCause());
        } catch (Exception e) {
            throw new StorageUnavailable(e);
        }
    }
}
