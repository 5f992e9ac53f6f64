package io.talkline.media.media;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "media")
public class Media extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String COMPLETE = "complete";

    @Id
    public String id;
    @Column(name = "owner_id")
    public String ownerId;
    public String kind;
    public String status;
    @Column(name = "room_id")
    public String roomId;
    @Column(name = "object_key")
    public String objectKey;
    @Column(name = "file_name")
    public String fileName;
    @Column(name = "content_type")
    public String contentType;
    public Long size;
    public String sha256;
    @Column(name = "duration_ms")
    public Long durationMs;
    public String waveform;
    public Integer width;
    public Integer height;
    @Column(name = "thumbnail_key")
    public String thumbnailKey;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "completed_at")
    public Instant completedAt;
    @Column(name = "expires_at")
    public Instant expiresAt;

    public boolean complete() {
        return COMPLETE.equals(status);
    }
}
