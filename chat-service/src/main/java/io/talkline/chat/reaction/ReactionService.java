package io.talkline.chat.reaction;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.message.Message;
import io.talkline.chat.realtime.Fanout;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.problem.ProblemException;
import io.vertx.core.json.JsonObject;

/**
 * One reaction per user, message and emoji; adding or removing twice changes nothing. A user puts
 * at most chat.reaction.max-per-user different ones on a message (a message is not a storage space).
 */
@ApplicationScoped
public class ReactionService {

    /** An emoji (or short reaction text): 1–16 code points, no whitespace or control characters. */
    static boolean valid(String emoji) {
        int count = emoji.codePointCount(0, emoji.length());
        return count >= 1 && count <= 16 && emoji.length() <= 32
                && emoji.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    private final EntityManager em;
    private final RoomService rooms;
    private final Fanout fanout;
    private final Clock clock = Clock.systemUTC();

    private final int maxPerUser;

    public ReactionService(EntityManager em, RoomService rooms, Fanout fanout, ChatConfig config) {
        this.em = em;
        this.rooms = rooms;
        this.fanout = fanout;
        this.maxPerUser = config.reaction().maxPerUser();
    }

    @Transactional
    public void add(Caller caller, String roomId, String messageId, String emoji) {
        Message message = target(caller, roomId, messageId, emoji);
        if (message.deletedAt != null) {
            throw ProblemException.conflict("The message was deleted");
        }
        // the caller's membership row, locked: their concurrent reactions are counted one after the other
        em.createNativeQuery("select 1 from room_members where room_id = ?1 and user_id = ?2 for update")
                .setParameter(1, roomId).setParameter(2, caller.userId()).getResultList();
        Number mine = (Number) em.createNativeQuery("select count(*) from reactions where message_id = ?1 and user_id = ?2"
                + " and emoji <> ?3").setParameter(1, messageId).setParameter(2, caller.userId()).setParameter(3, emoji)
                .getSingleResult();
        if (mine.intValue() >= maxPerUser) {
            throw ProblemException.badRequest("emoji", "at most " + maxPerUser + " different reactions per message;"
                    + " take one back first");
        }
        int added = em.createNativeQuery("insert ignore into reactions (message_id, user_id, emoji, created_at)"
                + " values (?1, ?2, ?3, ?4)").setParameter(1, messageId).setParameter(2, caller.userId())
                .setParameter(3, emoji).setParameter(4, clock.instant()).executeUpdate();
        if (added > 0) {
            announce("reaction.added", caller, roomId, messageId, emoji);
        }
    }

    @Transactional
    public void remove(Caller caller, String roomId, String messageId, String emoji) {
        target(caller, roomId, messageId, emoji);
        int removed = em.createNativeQuery("delete from reactions where message_id = ?1 and user_id = ?2 and emoji = ?3")
                .setParameter(1, messageId).setParameter(2, caller.userId()).setParameter(3, emoji).executeUpdate();
        if (removed > 0) {
            announce("reaction.removed", caller, roomId, messageId, emoji);
        }
    }

    private Message target(Caller caller, String roomId, String messageId, String emoji) {
        if (rooms.access(caller, roomId) == null) {
            throw ProblemException.forbidden("Only members react");
        }
        if (!valid(emoji)) {
            throw ProblemException.badRequest("emoji", "1-16 characters without spaces");
        }
        Message message = Message.findById(messageId);
        if (message == null || !message.roomId.equals(roomId)) {
            throw ProblemException.notFound("No such message");
        }
        return message;
    }

    private void announce(String type, Caller caller, String roomId, String messageId, String emoji) {
        fanout.toRoomAfterCommit(roomId, new JsonObject().put("type", type).put("roomId", roomId).put("messageId", messageId)
                .put("emoji", emoji).put("userId", caller.userId()));
    }
}
