package io.talkline.chat.room;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A member of a room, with its room role and how far it has received and read. */
@Entity
@Table(name = "room_members")
@IdClass(RoomMember.Key.class)
public class RoomMember extends PanacheEntityBase {

    public static final String OWNER = "owner";
    public static final String ADMIN = "admin";
    public static final String MEMBER = "member";

    @Id
    @Column(name = "room_id")
    public String roomId;
    @Id
    @Column(name = "user_id")
    public String userId;
    public String role;
    @Column(name = "joined_at")
    public Instant joinedAt;
    @Column(name = "delivered_seq")
    public long deliveredSeq;
    @Column(name = "seen_seq")
    public long seenSeq;

    public boolean manages() {
        return OWNER.equals(role) || ADMIN.equals(role);
    }

    public static class Key implements Serializable {
        public String roomId;
        public String userId;

        public Key() {
        }

        public Key(String roomId, String userId) {
            this.roomId = roomId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(roomId, k.roomId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(roomId, userId);
        }
    }
}
