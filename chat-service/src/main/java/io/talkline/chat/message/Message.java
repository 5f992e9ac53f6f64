package io.talkline.chat.message;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "messages")
// Named, so Hibernate parses it once at boot: after a restart every client resyncs its rooms at once
@NamedQuery(name = Message.AFTER_SEQ, query = "from Message where roomId = ?1 and seq > ?2 order by seq")
public class Message extends PanacheEntityBase {

    /** A room's messages after a seq, in order: ?1 the room id, ?2 the seq. */
    public static final String AFTER_SEQ = "Message.afterSeq";

    @Id
    public String id;
    @Column(name = "room_id")
    public String roomId;
    public long seq;
    @Column(name = "sender_id")
    public String senderId;
    @Column(name = "client_msg_id")
    public String clientMsgId;
    public String type;
    public String body;
    @Column(name = "media_id")
    public String mediaId;
    @Column(name = "reply_to")
    public String replyTo;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "edited_at")
    public Instant editedAt;
    @Column(name = "deleted_at")
    public Instant deletedAt;
    /** sender, room (its owner or an admin) or moderation (a rule, or a moderator). */
    @Column(name = "deleted_reason")
    public String deletedReason;
}
