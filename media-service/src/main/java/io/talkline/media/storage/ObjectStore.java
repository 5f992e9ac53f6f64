package io.talkline.media.storage;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;

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
 * The bucket: multipart writes the service streams into (two parts in memory at a time: one sent
 * while the next is read; aborted on any failure so no partial object or part is left), reads, removals and presigned URLs.
 * URLs are
 * signed by a client bound to the endpoint clients reach ({@code media.public-url}), because the
 * signature covers the host.
 */
@ApplicationScoped
public class ObjectStore {

    private static final Multimap<String, String> NONE = HashMultimap.create();
    /** A part URL is used at once, by this service only. */
    private static final int PART_URL_TTL = 15 * 60;
    private static final Duration PART_TIMEOUT = Duration.ofMinutes(2);

    private final MinioClient minio;
    private final MinioAsyncClient async;
    private final MinioClient signer;
    /** Signs part uploads for the endpoint this service reaches (the signature covers the host). */
    private final MinioClient internal;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
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
        String endpoint = host + port.map(p -> ":" + p).orElse("");
        // with the region given, signing a URL is a local computation: no request to the server
        this.signer = MinioClient.builder().endpoint(config.publicUrl().orElse(endpoint))
                .credentials(accessKey.orElse(""), secretKey.orElse("")).region(config.region()).build();
        this.internal = MinioClient.builder().endpoint(endpoint)
                .credentials(accessKey.orElse(""), secretKey.orElse("")).region(config.region()).build();
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

    /**
     * A multipart upload being written. Parts go up through presigned part URLs: signed in the query
     * with an unsigned payload, as over TLS, so neither this service nor the S3 server hashes each
     * part again for the signature (the minio client's own upload signs every byte over plain HTTP,
     * and adds an MD5: two more passes over the file, measured as most of this service's CPU per MB).
     * One part is in flight while the caller reads the next, so reading and sending overlap.
     */
    public final class Write {
        private final String key;
        private final String uploadId;
        private final List<Part> parts = new ArrayList<>();
        private CompletableFuture<Part> inFlight;

        private Write(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        /**
         * Starts sending the first {@code length} bytes of the buffer as the next part, once the
         * part before it is stored. The buffer is the store's until the next call to {@code part},
         * {@code complete} or {@code abort} returns: fill another one meanwhile.
         */
        public void part(byte[] buffer, int length) {
            awaitInFlight();
            int number = parts.size() + 1;
            String url = call(() -> internal.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.PUT)
                    .bucket(config.bucket()).object(key).expiry(PART_URL_TTL)
                    .extraQueryParams(Map.of("uploadId", uploadId, "partNumber", Integer.toString(number))).build()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(PART_TIMEOUT)
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(new Bytes(buffer, length), length)).build();
            inFlight = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                String etag = response.headers().firstValue("ETag").orElse(null);
                if (response.statusCode() / 100 != 2 || etag == null) {
                    throw new StorageUnavailable(new IllegalStateException(
                            "part " + number + " of " + key + ": HTTP " + response.statusCode() + " " + response.body()));
                }
                return new Part(number, etag);
            });
        }

        /** Returns once the part sent last is stored: its buffer may be filled again. */
        public void flush() {
            awaitInFlight();
        }

        private void awaitInFlight() {
            if (inFlight != null) {
                CompletableFuture<Part> sent = inFlight;
                inFlight = null;
                parts.add(join(() -> sent));
            }
        }

        public void complete() {
            awaitInFlight();
            join(() -> async.completeMultipartUploadAsync(config.bucket(), config.region(), key, uploadId,
                    parts.toArray(Part[]::new), NONE, NONE));
        }

        /** Drops every part sent; never throws (it runs on the way out of a failure). */
        public void abort() {
            try {
                if (inFlight != null) {
                    inFlight.handle((part, failure) -> null).join(); // its buffer and its part settle first
                    inFlight = null;
                }
                join(() -> async.abortMultipartUploadAsync(config.bucket(), config.region(), key, uploadId, NONE, NONE));
            } catch (RuntimeException e) {
                Log.warnf("could not abort the multipart upload of %s (the bucket's lifecycle rule must): %s", key,
                        e.toString());
            }
        }
    }

    /**
     * The part's bytes as they are, in 64K views of the array as the client asks for them. The JDK's
     * own byte-array publisher copies them into fresh 16K buffers first (gigabytes of garbage per
     * large upload) because it cannot know the array stays untouched until the part is sent; here it
     * does (see {@link Write#part}). Views rather than one 8M buffer: the socket write copies each
     * into a temporary native buffer that its thread keeps, so they stay small.
     */
    private static final class Bytes implements Flow.Publisher<ByteBuffer> {
        private static final int VIEW = 64 * 1024;
        private final byte[] buffer;
        private final int length;

        Bytes(byte[] buffer, int length) {
            this.buffer = buffer;
            this.length = length;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private int offset;
                private long demand;
                private boolean emitting;
                private boolean done;

                @Override
                public void request(long n) {
                    synchronized (this) {
                        if (done) {
                            return;
                        }
                        if (n <= 0) {
                            done = true;
                        } else {
                            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                            if (emitting) {
                                return; // the loop below, further up this stack, goes on with it
                            }
                            emitting = true;
                        }
                    }
                    if (n <= 0) {
                        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                        return;
                    }
                    while (true) {
                        ByteBuffer view;
                        synchronized (this) {
                            if (done) {
                                return;
                            }
                            if (offset == length) {
                                done = true;
                                view = null;
                            } else if (demand == 0) {
                                emitting = false;
                                return;
                            } else {
                                int size = Math.min(VIEW, length - offset);
                                view = ByteBuffer.wrap(buffer, offset, size).slice().asReadOnlyBuffer();
                                offset += size;
                                demand--;
                            }
                        }
                        if (view == null) {
                            subscriber.onComplete();
                            return;
                        }
                        subscriber.onNext(view);
                    }
                }

                @Override
                public synchronized void cancel() {
                    done = true;
                }
            });
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
