package io.talkline.chat.room;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

@Entity
@Table(name = "rooms")
// Named, so Hibernate parses it once at boot: after a restart every client reconnects at once, and
// each socket's ready frame runs it (BENCHMARKS.md, "Warm-up after a start")
@NamedQuery(name = Room.LAST_SEQS_OF_MEMBER, query = "select r.id, r.lastSeq from Room r, RoomMember m where m.userId = ?1 and r.id = m.roomId")
public class Room extends PanacheEntityBase {

    public static final String DIRECT = "direct";
    public static final String GROUP = "group";
    /** (room id, last seq) of every room of a member: ?1 the user id. */
    public static final String LAST_SEQS_OF_MEMBER = "Room.lastSeqsOfMember";

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
