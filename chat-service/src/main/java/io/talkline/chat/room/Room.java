package io.talkline.chat.room;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "rooms")
public class Room extends PanacheEntityBase {

    public static final String DIRECT = "direct";
    public static final String GROUP = "group";

    @Id
    public String id;
    public String type;
    public String name;
    @Column(name = "direct_key")
    public String directKey;
    @Column(name = "last_seq")
    public long lastSeq;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
}
