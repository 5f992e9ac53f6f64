package io.talkline.audit.archive;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;

import io.quarkus.mongodb.panache.PanacheMongoEntityBase;
import io.quarkus.mongodb.panache.common.MongoEntity;

/**
 * One chat message with its history folded in: the body as last edited, every edit, and its
 * deletion. A deleted message keeps the body it had (the archive is the record of what was said);
 * chat-service itself keeps only the tombstone.
 */
@MongoEntity(collection = "message_archive")
public class ArchivedMessage extends PanacheMongoEntityBase {

    @BsonId
    public String id;
    public String roomId;
    public long seq;
    public String senderId;
    public String clientMsgId;
    public String type;
    public String body;
    /** The body as first sent (before any edit). */
    public String originalBody;
    public String mediaId;
    public String replyTo;
    public Document reactions;
    public Instant createdAt;
    public Instant editedAt;
    public Instant deletedAt;
    /** Who deleted it (the event's actor: the sender, a room manager or a moderator). */
    public String deletedBy;
    /** Why: sender, room (its owner or an admin) or moderation (a moderator, or a rule that hides). */
    public String deletedReason;
    public List<Edit> edits = new ArrayList<>();
    /** When the event whose reactions are kept happened: a later-arriving older event never overwrites them. */
    public Instant stateAt;
    /** Bumped by every write: a write names the revision it read, so two writers never lose a change. */
    public long rev;

    /** One version of the body, from an edit. */
    public static class Edit {
        public Instant at;
        public String body;
        /** The body as first sent (before any edit). */
        public String originalBody;

        public Edit() {
        }

        public Edit(Instant at, String body) {
            this.at = at;
            this.body = body;
        }
    }
}
