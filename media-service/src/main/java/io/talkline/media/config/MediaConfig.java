package io.talkline.media.config;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "media")
public interface MediaConfig {

    /** The bucket holding every uploaded object; created at start when missing. */
    @WithDefault("talkline-media")
    String bucket();

    /** The most an upload of each kind may hold; enforced while streaming (413, nothing kept). */
    Limits limits();

    interface Limits {
        @WithDefault("25M")
        MemorySize voice();

        @WithDefault("20M")
        MemorySize image();

        @WithDefault("200M")
        MemorySize file();
    }

    /**
     * The size of each part of the multipart upload to S3 (5 MiB at least, S3's minimum). A streamed
     * upload holds one or two of them (two: reading the next part overlaps sending this one).
     */
    @WithDefault("16M")
    MemorySize partSize();

    /**
     * The most memory all streamed uploads together hold in parts; an upload that finds none free
     * waits {@code upload-wait} for one, then gets 503 with Retry-After. Uploads whose whole body
     * is smaller than a part (voice notes, most images) are read into a buffer of their own size
     * and do not count.
     */
    @WithDefault("128M")
    MemorySize uploadMemory();

    /** How long a streamed upload waits for a part buffer before it is answered 503. */
    @WithDefault("10s")
    Duration uploadWait();

    /** How long a presigned GET (download, thumbnail) stays valid. */
    @WithDefault("5m")
    Duration downloadTtl();

    /** How long a presigned PUT (direct upload) stays valid; the upload must be completed before that. */
    @WithDefault("15m")
    Duration uploadTtl();

    /** An upload not completed, or completed but attached to no message, is removed after this. */
    @WithDefault("24h")
    Duration unattachedTtl();

    /** How often expired uploads are looked for. */
    @WithDefault("5m")
    Duration sweep();

    /**
     * The S3 endpoint as clients reach it (the host of presigned URLs, which their signature covers),
     * e.g. https://media.example.org. Unset: the endpoint the service itself uses.
     */
    Optional<String> publicUrl();

    /** The region presigned URLs are signed for (set, so that signing needs no round trip). */
    @WithDefault("us-east-1")
    String region();

    /** chat-service, asked with the caller's own token whether they belong to a room. */
    @WithDefault("http://127.0.0.1:8082")
    String chatUrl();

    /** How long a membership answer from chat-service is believed. */
    @WithDefault("30s")
    Duration membershipCache();
}
