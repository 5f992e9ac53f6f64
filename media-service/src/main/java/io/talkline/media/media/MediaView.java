package io.talkline.media.media;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A media item as its readers see it. {@code url}/{@code expiresAt} (a presigned GET) and the
 * analysis fields appear where they apply; {@code status} is pending until a direct upload is
 * completed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MediaView(String id, String kind, String status, String ownerId, String roomId, String contentType,
        Long size, String sha256, String fileName, Instant createdAt, Long durationMs, List<Integer> waveform,
        Integer width, Integer height, String url, Instant expiresAt, String thumbnailUrl) {

    public static MediaView of(Media m) {
        return new MediaView(m.id, m.kind, m.status, m.ownerId, m.roomId, m.contentType, m.size, m.sha256, m.fileName,
                m.createdAt, m.durationMs, waveform(m.waveform), m.width, m.height, null, null, null);
    }

    public MediaView withUrls(String url, Instant expiresAt, String thumbnailUrl) {
        return new MediaView(id, kind, status, ownerId, roomId, contentType, size, sha256, fileName, createdAt, durationMs,
                waveform, width, height, url, expiresAt, thumbnailUrl);
    }

    private static List<Integer> waveform(String stored) {
        return stored == null || stored.isEmpty() ? null
                : Arrays.stream(stored.split(",")).map(Integer::valueOf).toList();
    }
}
