package io.talkline.chat.report;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "message_reports")
public class MessageReport extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "message_id")
    public String messageId;
    @Column(name = "room_id")
    public String roomId;
    @Column(name = "reporter_id")
    public String reporterId;
    public String reason;
    @Column(name = "created_at")
    public Instant createdAt;
}
