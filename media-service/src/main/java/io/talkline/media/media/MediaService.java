package io.talkline.media.media;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.talkline.commons.problem.ProblemException;
import io.talkline.media.access.Attachments;
import io.talkline.media.access.Caller;
import io.talkline.media.access.Membership;
import io.talkline.media.config.MediaConfig;
import io.talkline.media.storage.ObjectStore;
import io.talkline.media.storage.StorageUnavailable;
import io.talkline.media.upload.FileNames;
import io.talkline.media.upload.Sniffer;
import io.talkline.media.upload.Stored;

/** Media items: recording uploads, who may read them, presigned URLs, direct uploads and deletion. */
@ApplicationScoped
public class MediaService {

    /** Served inline (players and img tags); everything else is a download, whatever it is. */
    private static final Set<String> INLINE = Set.of("audio/webm", "audio/ogg", "audio/opus", "audio/mp4", "audio/x-m4a",
            "audio/aac", "audio/mpeg", "image/jpeg", "image/png", "image/webp", "image/gif");

    private final ObjectStore store;
    private final MeterRegistry metrics;
    private final Attachments attachments;
    private final Sniffer sniffer;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final Membership membership;
    private final Analysis analysis;
    private final ObjectMapper json;
    private final MediaConfig config;
    private final Clock clock = Clock.systemUTC();

    public MediaService(ObjectStore store, Attachments attachments, Sniffer sniffer, OutboxWriter outbox, AuditLog audit,
            Membership membership, Analysis analysis, ObjectMapper json, MediaConfig config, MeterRegistry metrics) {
        this.store = store;
        this.metrics = metrics;
        this.attachments = attachments;
        this.sniffer = sniffer;
        this.outbox = outbox;
        this.audit = audit;
        this.membership = membership;
        this.analysis = analysis;
        this.json = json;
        this.config = config;
    }

    /** A streamed upload, stored: its row, media.uploaded and the audit event, in one transaction. */
    @Transactional
    public MediaView recordUpload(Caller caller, Kind kind, String roomId, Stored stored, Analysis.Facts facts) {
        Media media = new Media();
        media.id = stored.id();
        media.ownerId = caller.userId();
        media.kind = kind.wire();
        media.roomId = roomId;
        media.objectKey = stored.key();
        media.fileName = stored.fileName();
        media.createdAt = clock.instant();
        complete(media, stored.contentType(), stored.size(), stored.sha256());
        apply(media, facts);
        media.persist();
        uploaded(caller, media);
        return MediaView.of(media);
    }

    /** What the caller may read, with a fresh presigned URL; 404 for anyone who may not. */
    public MediaView view(Caller caller, String id) {
        return withUrls(readable(caller, id));
    }

    private MediaView withUrls(Media media) {
        if (!media.complete()) {
            return MediaView.of(media);
        }
        Instant expiresAt = clock.instant().plus(config.downloadTtl());
        String thumbnail = media.thumbnailKey == null ? null
                : store.downloadUrl(media.thumbnailKey, config.downloadTtl(), Analysis.thumbnailType(media.thumbnailKey),
                        "inline");
        return MediaView.of(media).withUrls(downloadUrl(media), expiresAt, thumbnail);
    }

    /** The presigned GET alone (for the 302 of /content). */
    public String contentUrl(Caller caller, String id) {
        Media media = readable(caller, id);
        if (!media.complete()) {
            throw ProblemException.conflict("the upload is not complete yet");
        }
        return downloadUrl(media);
    }

    private String downloadUrl(Media media) {
        boolean inline = INLINE.contains(media.contentType);
        // what a browser could run (HTML, SVG, scripts) is never served as itself
        String type = inline || media.contentType.startsWith("audio/") || media.contentType.startsWith("video/")
                ? media.contentType
                : "application/octet-stream";
        return store.downloadUrl(media.objectKey, config.downloadTtl(), type,
                FileNames.disposition(inline ? "inline" : "attachment", media.fileName));
    }

    /** The owner or an admin removes it (object, thumbnail, attachments); a reader who is neither gets 403. */
    public void delete(Caller caller, String id) {
        Media media = id == null || id.length() > 36 ? null : Media.findById(id);
        if (media == null || !(media.ownerId.equals(caller.userId()) || caller.admin())) {
            readable(caller, id); // 404 unless the caller may read it
            throw ProblemException.forbidden("only the uploader or an admin may delete it");
        }
        remove(media, caller.userId(),
                caller.admin() && !media.ownerId.equals(caller.userId()) ? "removed_by_admin" : "deleted");
    }

    /** Object first (a row without its object would answer with URLs that fail), then the row and the events. */
    public void remove(Media media, String actorId, String reason) {
        store.remove(media.objectKey);
        if (media.thumbnailKey != null) {
            store.remove(media.thumbnailKey);
        }
        forget(media.id, actorId, reason);
    }

    @Transactional
    void forget(String id, String actorId, String reason) {
        Media media = Media.findById(id);
        if (media == null) {
            return;
        }
        attachments.removeAll(id);
        media.delete();
        EventEnvelope deleted = EventEnvelope.of("media.deleted", actorId,
                json.valueToTree(Map.of("id", id, "ownerId", media.ownerId, "reason", reason)), clock);
        outbox.append(Topics.MEDIA, id, deleted);
        // one id for both: audit-service keeps the fact once
        audit.record(deleted.id(), "media.deleted", actorId, id,
                Map.of("mediaId", id, "ownerId", media.ownerId, "reason", reason));
    }

    /**
     * A message named this item: its room may read it from now on (and it is no longer swept). Only
     * the uploader's own complete item is attached — chat-service checked that before accepting the
     * message; an event that says otherwise is ignored.
     */
    @Transactional
    public void attach(String mediaId, String messageId, String roomId, String senderId) {
        Media media = mediaId.length() > 36 ? null : Media.findById(mediaId);
        if (media == null || !media.complete() || !media.ownerId.equals(senderId)) {
            io.quarkus.logging.Log.warnf("message %s names media %s that its sender may not attach; ignored", messageId,
                    mediaId);
            return;
        }
        if (attachments.attach(mediaId, messageId, roomId, clock.instant())) {
            media.expiresAt = null;
            outbox.append(Topics.MEDIA, mediaId, EventEnvelope.of("media.attached", senderId,
                    json.valueToTree(Map.of("id", mediaId, "messageId", messageId, "roomId", roomId)), clock));
        }
    }

    /** A message was deleted: its media is no longer the room's; one attached nowhere is swept later. */
    @Transactional
    public void detach(String messageId) {
        for (String mediaId : attachments.detachMessage(messageId)) {
            Media media = Media.findById(mediaId);
            if (media != null && !attachments.attached(mediaId)) {
                media.expiresAt = clock.instant().plus(config.unattachedTtl());
            }
        }
    }

    /** Items past their expiry: uploads never completed, or never (or no longer) attached. */
    @Transactional
    public List<Media> expired(int max) {
        return Media.find("expiresAt < ?1", clock.instant()).page(0, max).list();
    }

    /** Direct upload, step 1: a pending item and a presigned PUT for it. */
    @Transactional
    public DirectUpload startDirect(Caller caller, Kind kind, String roomId, String fileName, long declaredSize) {
        if (declaredSize > kind.limit(config)) {
            throw tooLarge(kind);
        }
        Media media = new Media();
        media.id = UUID.randomUUID().toString();
        media.ownerId = caller.userId();
        media.kind = kind.wire();
        media.status = Media.PENDING;
        media.roomId = roomId;
        media.objectKey = "media/" + media.id;
        media.fileName = FileNames.clean(fileName, "upload");
        media.createdAt = clock.instant();
        media.expiresAt = media.createdAt.plus(config.unattachedTtl());
        media.persist();
        Instant expiresAt = clock.instant().plus(config.uploadTtl());
        return new DirectUpload(media.id, store.uploadUrl(media.objectKey, config.uploadTtl()), expiresAt);
    }

    public record DirectUpload(String id, String uploadUrl, Instant expiresAt) {
    }

    /**
     * Direct upload, step 2: the stored object is measured as a streamed upload would be (size,
     * type from its bytes, SHA-256); one that does not fit is removed (413/415) and the item with it.
     */
    public MediaView complete(Caller caller, String id) {
        Media media = Media.findById(id);
        if (media == null || !media.ownerId.equals(caller.userId())) {
            throw ProblemException.notFound("No such media");
        }
        if (media.complete()) {
            return view(caller, id);
        }
        Kind kind = Kind.parse(media.kind);
        var object = store.stat(media.objectKey)
                .orElseThrow(() -> ProblemException.conflict("nothing was uploaded to the URL yet"));
        if (object.size() > kind.limit(config)) {
            remove(media, caller.userId(), "too_large");
            throw tooLarge(kind);
        }
        String sniffed;
        String sha256;
        try (InputStream in = store.read(media.objectKey)) {
            byte[] prefix = in.readNBytes(Sniffer.PREFIX);
            sniffed = prefix.length == 0 ? "application/octet-stream" : sniffer.type(prefix, prefix.length);
            if (prefix.length == 0 || !kind.admits(sniffed)) {
                in.close();
                remove(media, caller.userId(), "unsupported_type");
                throw prefix.length == 0 ? ProblemException.badRequest("file", "is empty") : unsupported(kind, sniffed);
            }
            java.security.MessageDigest digest = Stored.digest();
            digest.update(prefix);
            try (DigestInputStream rest = new DigestInputStream(in, digest)) {
                rest.transferTo(java.io.OutputStream.nullOutputStream());
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new StorageUnavailable(e);
        }
        Analysis.Facts facts = analysis.of(kind, media.id, media.objectKey, kind.served(sniffed));
        // the item as the transaction left it (this request's session still holds the pending one)
        return withUrls(markComplete(caller, id, kind.served(sniffed), object.size(), sha256, facts));
    }

    @Transactional
    Media markComplete(Caller caller, String id, String contentType, long size, String sha256, Analysis.Facts facts) {
        Media media = Media.findById(id);
        if (media == null) {
            throw ProblemException.notFound("No such media");
        }
        if (!media.complete()) {
            complete(media, contentType, size, sha256);
            apply(media, facts);
            uploaded(caller, media);
        }
        return media;
    }

    private void complete(Media media, String contentType, long size, String sha256) {
        media.status = Media.COMPLETE;
        media.contentType = contentType;
        media.size = size;
        media.sha256 = sha256;
        media.completedAt = clock.instant();
        // unattached uploads are swept; an attachment clears this
        media.expiresAt = media.completedAt.plus(config.unattachedTtl());
    }

    private static void apply(Media media, Analysis.Facts facts) {
        media.durationMs = facts.durationMs();
        media.waveform = facts.waveform();
        media.width = facts.width();
        media.height = facts.height();
        media.thumbnailKey = facts.thumbnailKey();
    }

    private void uploaded(Caller caller, Media media) {
        metrics.counter("talkline_media_uploads_total", "kind", media.kind).increment();
        metrics.counter("talkline_media_uploaded_bytes_total", "kind", media.kind).increment(media.size);
        MediaView view = MediaView.of(media);
        EventEnvelope uploaded = EventEnvelope.of("media.uploaded", caller.userId(), json.valueToTree(view), clock);
        outbox.append(Topics.MEDIA, media.id, uploaded);
        audit.record(uploaded.id(), "media.uploaded", caller.userId(), media.id, Map.of("mediaId", media.id, "kind",
                media.kind, "contentType", media.contentType, "size", media.size));
    }

    /** The item if the caller may read it: its uploader, or a member of a room a message attached it to. */
    Media readable(Caller caller, String id) {
        Media media = id == null || id.length() > 36 ? null : Media.findById(id);
        if (media == null) {
            throw ProblemException.notFound("No such media");
        }
        if (media.ownerId.equals(caller.userId())) {
            return media;
        }
        if (media.complete()) {
            List<String> rooms = attachments.rooms(id);
            for (String room : rooms) {
                if (membership.member(caller.userId(), room, caller.bearer())) {
                    return media;
                }
            }
        }
        throw ProblemException.notFound("No such media");
    }

    public static ProblemException tooLarge(Kind kind) {
        return new ProblemException(413, io.talkline.commons.problem.Problem.VALIDATION, "Payload Too Large",
                "file: larger than a " + kind.wire() + " may be", List.of(new io.talkline.commons.problem.Problem.FieldError(
                        "file", "larger than a " + kind.wire() + " may be")));
    }

    public static ProblemException unsupported(Kind kind, String sniffed) {
        String message = "its bytes are " + sniffed + ", which a " + kind.wire() + " may not be";
        return new ProblemException(415, io.talkline.commons.problem.Problem.VALIDATION, "Unsupported Media Type",
                "file: " + message, List.of(new io.talkline.commons.problem.Problem.FieldError("file", message)));
    }
}
