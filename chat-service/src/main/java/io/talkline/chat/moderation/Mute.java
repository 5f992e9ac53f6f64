package io.talkline.chat.moderation;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A user kept from sending in one room (roomId) or everywhere (null) until a time, unless lifted. */
@Entity
@Table(name = "mutes")
public class Mute extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "user_id")
    public String userId;
    @Column(name = "room_id")
    public String roomId;
    public Instant until;
    public String reason;
    /** The moderator, or null for a rule. */
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "case_id")
    public String caseId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "lifted_at")
    public Instant liftedAt;
    @Column(name = "lifted_by")
    public String liftedBy;

    public boolean active(Instant now) {
        return liftedAt == null && until.isAfter(now);
    }
}
