package io.talkline.chat.message;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Uni;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.media.MediaCheck;
import io.talkline.chat.message.MessageRequests.NewMessage;
import io.talkline.chat.message.MessageRequests.Page;
import io.talkline.chat.moderation.MuteService;
import io.talkline.chat.realtime.Fanout;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.RoomMember;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.talkline.commons.problem.ProblemException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Sends, pages, edits and deletes. A send takes the room's row lock to draw the next seq and
 * inserts the message in the same transaction, so seq is gapless and unique across instances; the
 * (sender, clientMsgId) unique key makes a retry — on any instance, at any time — find the first
 * message instead of writing a second.
 */
@ApplicationScoped
public class MessageService {

    /** The message and whether this call stored it (201) or found it stored by an earlier try (200). */
    public record Sent(MessageView message, boolean created) {
    }

    private final EntityManager em;
    private final MeterRegistry metrics;
    private final RoomService rooms;
    private final Fanout fanout;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final ChatConfig config;
    private final MediaCheck media;
    private final MuteService mutes;
    private final MessageWriter writer;
    private final Clock clock = Clock.systemUTC();

    public MessageService(EntityManager em, RoomService rooms, Fanout fanout, OutboxWriter outbox, AuditLog audit,
            ObjectMapper json, ChatConfig config, MediaCheck media, MeterRegistry metrics, MuteService mutes,
            MessageWriter writer) {
        this.mutes = mutes;
        this.writer = writer;
        this.em = em;
        this.metrics = metrics;
        this.rooms = rooms;
        this.fanout = fanout;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
        this.config = config;
        this.media = media;
    }

    /** A send from a thread that may block (a socket's frame). */
    public Sent send(Caller caller, String roomId, NewMessage request) {
        String body = cleanBody(request.type(), request.body(), request.mediaId());
        if (groupCommitted(request)) {
            // the common send goes with the next group commit; what it leaves is written one by one
            MessageView written = writer.write(caller, roomId, request.clientMsgId(), body);
            if (written != null) {
                return new Sent(written, true);
            }
        }
        return oneByOne(caller, roomId, request, body);
    }

    /**
     * A send from the event loop (REST): the common send holds no thread while it waits for its
     * group commit; what the batch leaves, and every other send, is written one by one on a worker
     * of the request's own context (its request id and trace go with it). The answer comes back on
     * that context, not on the writer's thread.
     */
    public Uni<Sent> sendAsync(Caller caller, String roomId, NewMessage request) {
        Context context = Vertx.currentContext();
        String body = cleanBody(request.type(), request.body(), request.mediaId());
        Uni<Sent> sent;
        if (groupCommitted(request)) {
            sent = Uni.createFrom().completionStage(writer.submit(caller, roomId, request.clientMsgId(), body))
                    .onItem().transformToUni(written -> written != null ? Uni.createFrom().item(new Sent(written, true))
                            : blocking(context, () -> oneByOne(caller, roomId, request, body)));
        } else {
            sent = blocking(context, () -> oneByOne(caller, roomId, request, body));
        }
        return sent.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private boolean groupCommitted(NewMessage request) {
        return "text".equals(request.type()) && request.replyTo() == null && writer.enabled();
    }

    private static <T> Uni<T> blocking(Context context, Callable<T> work) {
        return Uni.createFrom().completionStage(() -> context.executeBlocking(work, false).toCompletionStage());
    }

    private Sent oneByOne(Caller caller, String roomId, NewMessage request, String body) {
        if (!"text".equals(request.type())) {
            // a retry of a media message that was stored returns it, whatever became of its media since
            Sent earlier = QuarkusTransaction.requiringNew().call(() -> earlier(caller, roomId, request.clientMsgId()));
            if (earlier != null) {
                return earlier;
            }
            media.check(caller, request.type(), request.mediaId());
        }
        try {
            try {
                return QuarkusTransaction.requiringNew().call(() -> insert(caller, roomId, request, body));
            } catch (Retry e) {
                return QuarkusTransaction.requiringNew().call(() -> insert(caller, roomId, request, body));
            }
        } catch (PersistenceException e) {
            // the same clientMsgId committed by a concurrent request (maybe on another instance) first
            Sent earlier = QuarkusTransaction.requiringNew().call(() -> earlier(caller, roomId, request.clientMsgId()));
            if (earlier == null) {
                throw e;
            }
            return earlier;
        }
    }

    private Sent insert(Caller caller, String roomId, NewMessage request, String body) {
        if (request.replyTo() != null && Message.count("id = ?1 and roomId = ?2", request.replyTo(), roomId) == 0) {
            member(caller, roomId);
            throw ProblemException.badRequest("replyTo", "no such message in this room");
        }
        // the row lock: concurrent sends to this room queue here, each gets the next number; joined
        // with the sender's membership and an index probe for an active mute, so a send needs no
        // separate check. A repeated clientMsgId is not looked for first: the unique key refuses it
        // and send() finds the first.
        int counted = em.createNativeQuery("update rooms r join room_members m on m.room_id = r.id and m.user_id = ?2 "
                + "set r.last_seq = r.last_seq + 1 where r.id = ?1 and not exists (select 1 from mutes u "
                + "where u.user_id = ?2 and u.until > current_timestamp(3) and u.lifted_at is null "
                + "and (u.room_id is null or u.room_id = ?1))").setParameter(1, roomId).setParameter(2, caller.userId())
                .executeUpdate();
        if (counted == 0) {
            member(caller, roomId); // 404 for a room the caller may not see, 403 for staff who are not members
            notMuted(caller, roomId);
            // the mute ended between the two statements: a send not refused for nothing
            throw new Retry();
        }
        long seq = ((Number) em.createNativeQuery("select last_seq from rooms where id = ?1").setParameter(1, roomId)
                .getSingleResult()).longValue();
        Message message = new Message();
        message.id = MessageIds.next();
        message.roomId = roomId;
        message.seq = seq;
        message.senderId = caller.userId();
        message.clientMsgId = request.clientMsgId();
        message.type = request.type();
        message.body = body;
        message.mediaId = request.mediaId();
        message.replyTo = request.replyTo();
        message.createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as the column keeps it
        message.persistAndFlush();
        MessageView view = MessageView.of(message, Map.of());
        event("message.created", caller.userId(), view);
        fanout.createdAfterCommit(roomId, seq, fanout.frame("message.created", "message", view).encode());
        metrics.counter("talkline_chat_messages_sent_total", "type", message.type).increment();
        return new Sent(view, true);
    }

    private Sent earlier(Caller caller, String roomId, String clientMsgId) {
        Message first = Message.find("senderId = ?1 and clientMsgId = ?2", caller.userId(), clientMsgId).firstResult();
        if (first == null) {
            return null;
        }
        if (!first.roomId.equals(roomId)) {
            throw ProblemException.conflict("This clientMsgId was already used for a message in another room");
        }
        return new Sent(MessageView.of(first, reactions(List.of(first.id)).getOrDefault(first.id, Map.of())), false);
    }

    /** A send that met a mute which was over by the time it was looked at: tried once more. */
    private static final class Retry extends RuntimeException {
        Retry() {
            super(null, null, false, false);
        }
    }

    private void notMuted(Caller caller, String roomId) {
        java.time.Instant until = mutes.mutedUntil(caller.userId(), roomId);
        if (until != null) {
            throw MuteService.muted(until);
        }
    }

    /** Control characters go (tab and newline stay); every other code point, emoji included, is kept. */
    String cleanBody(String type, String body, String mediaId) {
        String clean = body == null ? null
                : body.codePoints().filter(c -> c == '\n' || c == '\t' || !Character.isISOControl(c))
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if ("text".equals(type) && (clean == null || clean.isBlank())) {
            throw ProblemException.badRequest("body", "a text message needs a body");
        }
        if (!"text".equals(type) && (mediaId == null || mediaId.isBlank())) {
            throw ProblemException.badRequest("mediaId", "a " + type + " message needs a mediaId");
        }
        if (clean != null && clean.codePointCount(0, clean.length()) > config.message().maxBodyLength()) {
            throw ProblemException.badRequest("body", "at most " + config.message().maxBodyLength() + " characters");
        }
        return clean;
    }

    /** A page in ascending seq: after a seq (forward), before one (backward), or the latest. */
    @Transactional
    public Page page(Caller caller, String roomId, Long before, Long after, int limit) {
        rooms.access(caller, roomId);
        if (limit < 1 || limit > config.message().pageSizeMax()) {
            throw ProblemException.badRequest("limit", "between 1 and " + config.message().pageSizeMax());
        }
        if (before != null && after != null) {
            throw ProblemException.badRequest("before", "use either before or after");
        }
        List<Message> rows;
        if (after != null) {
            rows = Message.find("#" + Message.AFTER_SEQ, roomId, after).page(0, limit + 1).list();
        } else {
            rows = new ArrayList<>(Message.<Message> find("roomId = ?1 and seq < ?2 order by seq desc", roomId,
                    before == null ? Long.MAX_VALUE : before).page(0, limit + 1).list());
        }
        boolean hasMore = rows.size() > limit;
        rows = new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
        if (after == null) {
            Collections.reverse(rows);
        }
        Map<String, Map<String, List<String>>> reactions = reactions(rows.stream().map(m -> m.id).toList());
        return new Page(rows.stream().map(m -> MessageView.of(m, reactions.getOrDefault(m.id, Map.of()))).toList(),
                hasMore);
    }

    /** Messages after a seq for a socket's resync, in order, at most {@code limit}. */
    @Transactional
    public List<MessageView> after(String roomId, long afterSeq, int limit) {
        List<Message> rows = Message.find("#" + Message.AFTER_SEQ, roomId, afterSeq).page(0, limit).list();
        Map<String, Map<String, List<String>>> reactions = reactions(rows.stream().map(m -> m.id).toList());
        return rows.stream().map(m -> MessageView.of(m, reactions.getOrDefault(m.id, Map.of()))).toList();
    }

    @Transactional
    public MessageView edit(Caller caller, String roomId, String messageId, String body) {
        member(caller, roomId);
        Message message = inRoom(roomId, messageId);
        if (!message.senderId.equals(caller.userId())) {
            throw ProblemException.forbidden("Only the sender edits a message");
        }
        if (message.deletedAt != null) {
            throw ProblemException.conflict("The message was deleted");
        }
        notMuted(caller, roomId); // an edit would otherwise say what a muted sender may not
        message.body = cleanBody(message.type, body, message.mediaId == null ? "-" : message.mediaId);
        message.editedAt = clock.instant();
        MessageView view = MessageView.of(message, reactions(List.of(message.id)).getOrDefault(message.id, Map.of()));
        announce("message.updated", caller.userId(), view, fanout.frame("message.updated", "message", view));
        return view;
    }

    /** A tombstone: the seq stays, the body and media go. Deleting twice is not an error. */
    @Transactional
    public void delete(Caller caller, String roomId, String messageId) {
        RoomMember self = rooms.access(caller, roomId);
        Message message = inRoom(roomId, messageId);
        boolean allowed = message.senderId.equals(caller.userId()) || caller.staff() || (self != null && self.manages());
        if (!allowed) {
            throw ProblemException.forbidden("Only the sender, the room's owner or admins, and moderators delete messages");
        }
        if (message.deletedAt != null) {
            return;
        }
        tombstone(message, caller.userId(), message.senderId.equals(caller.userId()) ? "sender"
                : caller.staff() ? "moderation" : "room");
    }

    /**
     * Moderation hides a message (a rule, or a moderator acting on a case): a tombstone with
     * deletedReason moderation, in the current transaction. False when it is gone or deleted already.
     *
     * @param actorId the moderator, or null for a rule
     */
    public boolean hide(String messageId, String actorId) {
        Message message = Message.findById(messageId);
        if (message == null || message.deletedAt != null) {
            return false;
        }
        tombstone(message, actorId, "moderation");
        return true;
    }

    private void tombstone(Message message, String actorId, String reason) {
        message.body = null;
        message.mediaId = null;
        message.deletedAt = clock.instant();
        message.deletedReason = reason;
        MessageView view = MessageView.of(message, Map.of());
        announce("message.deleted", actorId, view, new JsonObject().put("type", "message.deleted")
                .put("roomId", message.roomId).put("messageId", message.id).put("seq", message.seq)
                .put("deletedReason", reason));
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("roomId", message.roomId);
        data.put("messageId", message.id);
        data.put("seq", message.seq);
        data.put("senderId", message.senderId);
        data.put("deletedReason", reason);
        audit.record("chat.message.deleted", actorId, message.roomId, data);
    }

    private void member(Caller caller, String roomId) {
        if (rooms.access(caller, roomId) == null) {
            // staff may read and moderate any room, but speak only where they are members
            throw ProblemException.forbidden("Only members write in a room");
        }
    }

    private static Message inRoom(String roomId, String messageId) {
        Message message = Message.findById(messageId);
        if (message == null || !message.roomId.equals(roomId)) {
            throw ProblemException.notFound("No such message");
        }
        return message;
    }

    /** The event on chat.messages.v1 (outbox, keyed by room) and the frame to the room's sockets. */
    private void announce(String type, String actorId, MessageView view, JsonObject frame) {
        event(type, actorId, view);
        fanout.toRoomAfterCommit(view.roomId(), frame);
    }

    /** The event on chat.messages.v1, in the current transaction (outbox, keyed by room). */
    private void event(String type, String actorId, MessageView view) {
        outbox.append(Topics.CHAT_MESSAGES, view.roomId(), EventEnvelope.of(type, actorId, json.valueToTree(view), clock));
    }

    Map<String, Map<String, List<String>>> reactions(List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, List<String>>> byMessage = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                "select message_id, emoji, user_id from reactions where message_id in (?1) order by created_at, user_id")
                .setParameter(1, messageIds).getResultList();
        for (Object[] row : rows) {
            byMessage.computeIfAbsent((String) row[0], k -> new TreeMap<>())
                    .computeIfAbsent((String) row[1], k -> new ArrayList<>()).add((String) row[2]);
        }
        return byMessage;
    }
}
