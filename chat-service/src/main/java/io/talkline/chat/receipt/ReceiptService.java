package io.talkline.chat.receipt;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.talkline.chat.realtime.Fanout;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.Room;
import io.talkline.chat.room.RoomMember;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.problem.ProblemException;
import io.vertx.core.json.JsonObject;

/** Delivered and seen marks per member; they only move forward, and seen implies delivered. */
@ApplicationScoped
public class ReceiptService {

    public record Receipt(String userId, long deliveredSeq, long seenSeq) {
    }

    private final EntityManager em;
    private final RoomService rooms;
    private final Fanout fanout;

    public ReceiptService(EntityManager em, RoomService rooms, Fanout fanout) {
        this.em = em;
        this.rooms = rooms;
        this.fanout = fanout;
    }

    @Transactional
    public void mark(Caller caller, String roomId, String kind, long upToSeq) {
        RoomMember member = rooms.access(caller, roomId);
        if (member == null) {
            throw ProblemException.forbidden("Only members have receipts");
        }
        if (!"delivered".equals(kind) && !"seen".equals(kind)) {
            throw ProblemException.badRequest("kind", "must be delivered or seen");
        }
        Room room = Room.findById(roomId);
        if (upToSeq < 0 || upToSeq > room.lastSeq) {
            throw ProblemException.badRequest("upToSeq", "between 0 and the room's lastSeq (" + room.lastSeq + ")");
        }
        int moved = em.createNativeQuery("update room_members set delivered_seq = greatest(delivered_seq, ?1)"
                + ("seen".equals(kind) ? ", seen_seq = greatest(seen_seq, ?1)" : "")
                + " where room_id = ?2 and user_id = ?3 and (delivered_seq < ?1"
                + ("seen".equals(kind) ? " or seen_seq < ?1)" : ")")).setParameter(1, upToSeq).setParameter(2, roomId)
                .setParameter(3, caller.userId()).executeUpdate();
        if (moved > 0) {
            em.refresh(member);
            fanout.toRoomAfterCommit(roomId, new JsonObject().put("type", "receipt.updated").put("roomId", roomId)
                    .put("userId", caller.userId()).put("deliveredSeq", member.deliveredSeq).put("seenSeq", member.seenSeq));
        }
    }

    @Transactional
    public List<Receipt> list(Caller caller, String roomId) {
        rooms.access(caller, roomId);
        return RoomMember.<RoomMember> list("roomId = ?1 order by joinedAt", roomId).stream()
                .map(m -> new Receipt(m.userId, m.deliveredSeq, m.seenSeq)).toList();
    }
}
