package io.talkline.chat.moderation;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A case: rule hits and reports of one message while it is open (V4__moderation.sql). */
@Entity
@Table(name = "moderation_cases")
public class ModerationCase extends PanacheEntityBase {

    @Id
    public String id;
    /** rule or report: what opened it. */
    public String kind;
    /** open or resolved. */
    public String status;
    /** The message id while open, null once resolved: one open case per message. */
    @Column(name = "open_key")
    public String openKey;
    @Column(name = "room_id")
    public String roomId;
    @Column(name = "message_id")
    public String messageId;
    @Column(name = "author_id")
    public String authorId;
    /** The first rule that hit, if a rule did. */
    @Column(name = "rule_id")
    public String ruleId;
    /** JSON array of strings. */
    public String reasons;
    @Column(name = "reporter_count")
    public int reporterCount;
    /** The message as it was when the case opened, as JSON. */
    public String message;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "resolved_at")
    public Instant resolvedAt;
    @Column(name = "resolved_by")
    public String resolvedBy;
    public String action;
    public String note;
}
