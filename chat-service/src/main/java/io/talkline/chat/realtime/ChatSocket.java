package io.talkline.chat.realtime;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.talkline.chat.message.MessageRequests.NewMessage;
import io.talkline.chat.message.MessageService;
import io.talkline.chat.message.MessageView;
import io.talkline.chat.receipt.ReceiptService;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.auth.BearerIdentityProvider;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.ProblemException;
import io.talkline.commons.realtime.Frames;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * /ws/chat (api.md): the upgrade needs a valid access token (401 otherwise); the socket gets
 * {@code ready} with its rooms, then every event of those rooms. A socket whose session is revoked
 * is closed with 4401 at the next check (every few seconds).
 */
@WebSocket(path = "/ws/chat")
@Authenticated
public class ChatSocket {

    static final int MAX_FRAME_CHARS = 64 * 1024;
    private static final int RESYNC_BATCH = 500;

    @Inject
    WebSocketConnection connection;
    @Inject
    SecurityIdentity identity;
    @Inject
    Sockets sockets;
    @Inject
    RoomService rooms;
    @Inject
    MessageService messages;
    @Inject
    ReceiptService receipts;
    @Inject
    Fanout fanout;
    @Inject
    Validator validator;

    @OnOpen
    JsonObject onOpen() {
        Caller caller = Caller.of(identity);
        VerifiedToken token = identity.getAttribute(BearerIdentityProvider.TOKEN_ATTRIBUTE);
        List<Map.Entry<String, Long>> mine = rooms.lastSeqs(caller.userId());
        sockets.add(connection, token, mine.stream().map(Map.Entry::getKey).toList());
        JsonArray list = new JsonArray();
        mine.forEach(e -> list.add(new JsonObject().put("roomId", e.getKey()).put("lastSeq", e.getValue())));
        Log.debugf("chat socket open userId=%s rooms=%d", caller.userId(), mine.size());
        return new JsonObject().put("type", "ready").put("userId", caller.userId()).put("rooms", list);
    }

    @OnClose
    void onClose() {
        sockets.remove(connection.id(), identity.getPrincipal().getName());
    }

    @OnPongMessage
    void onPong(Buffer data) {
        sockets.heard(connection);
    }

    @OnTextMessage
    JsonObject onFrame(String text) {
        sockets.heard(connection);
        JsonObject frame;
        try {
            frame = Frames.parse(text, MAX_FRAME_CHARS);
        } catch (Frames.BadFrame e) {
            return Frames.error(e.code(), e.getMessage(), null);
        }
        String type = frame.getString("type");
        try {
            return switch (type) {
                case "ping" -> Frames.pong();
                case "resync" -> resync(frame);
                case "send" -> send(frame);
                case "typing" -> typing(frame);
                case "receipt" -> receipt(frame);
                default -> Frames.error(Frames.ErrorCode.bad_request, "unknown frame type", type);
            };
        } catch (ProblemException e) {
            return Frames.error(code(e.status()), e.getMessage(), frame.getString("clientMsgId", type));
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            return Frames.error(Frames.ErrorCode.bad_request, "malformed " + type + " frame", type);
        }
    }

    /** Every message after afterSeq, in order, from the database; then resync.done per room. */
    private JsonObject resync(JsonObject frame) {
        Caller caller = Caller.of(identity);
        JsonArray wanted = frame.getJsonArray("rooms");
        if (wanted == null) {
            throw ProblemException.badRequest("rooms", "required");
        }
        for (int i = 0; i < wanted.size(); i++) {
            JsonObject room = wanted.getJsonObject(i);
            String roomId = room.getString("roomId");
            long after = room.getLong("afterSeq", 0L);
            if (roomId == null) {
                throw ProblemException.badRequest("rooms[" + i + "].roomId", "required");
            }
            rooms.readable(caller, roomId);
            long last = after;
            while (true) {
                List<MessageView> batch = messages.after(roomId, last, RESYNC_BATCH);
                for (MessageView message : batch) {
                    if (!sockets.sendAndWait(connection, fanout.frame("message.created", "message", message).encode())) {
                        return null;
                    }
                    last = message.seq();
                }
                if (batch.size() < RESYNC_BATCH) {
                    break;
                }
            }
            if (!sockets.sendAndWait(connection, new JsonObject().put("type", "resync.done").put("roomId", roomId)
                    .put("lastSeq", rooms.lastSeq(roomId)).encode())) {
                return null;
            }
        }
        return null;
    }

    private JsonObject send(JsonObject frame) {
        NewMessage request = new NewMessage(frame.getString("clientMsgId"), frame.getString("messageType",
                frame.containsKey("mediaId") ? null : "text"), frame.getString("body"), frame.getString("mediaId"),
                frame.getString("replyTo"));
        // the REST body's own constraints; its "type" is called messageType in a frame
        for (ConstraintViolation<NewMessage> violation : validator.validate(request)) {
            String field = violation.getPropertyPath().toString();
            throw ProblemException.badRequest("type".equals(field) ? "messageType" : field, violation.getMessage());
        }
        String roomId = frame.getString("roomId");
        if (roomId == null) {
            throw ProblemException.badRequest("roomId", "required");
        }
        MessageService.Sent sent = messages.send(Caller.of(identity), roomId, request);
        return fanout.frame("ack", "message", sent.message()).put("clientMsgId", request.clientMsgId());
    }

    private JsonObject receipt(JsonObject frame) {
        String roomId = frame.getString("roomId");
        Long upToSeq = frame.getLong("upToSeq");
        if (roomId == null || upToSeq == null) {
            throw ProblemException.badRequest(roomId == null ? "roomId" : "upToSeq", "required");
        }
        receipts.mark(Caller.of(identity), roomId, frame.getString("kind", "seen"), upToSeq);
        return null;
    }

    private JsonObject typing(JsonObject frame) {
        String roomId = frame.getString("roomId");
        if (roomId == null || !sockets.inRoom(connection, roomId)) {
            throw ProblemException.notFound("No such room");
        }
        sockets.typing(connection, roomId, identity.getPrincipal().getName(), frame.getBoolean("typing", true));
        return null;
    }

    private static Frames.ErrorCode code(int status) {
        return switch (status) {
            case 401 -> Frames.ErrorCode.unauthorized;
            case 403 -> Frames.ErrorCode.forbidden;
            case 404 -> Frames.ErrorCode.not_found;
            case 409, 400, 422 -> Frames.ErrorCode.bad_request;
            case 413 -> Frames.ErrorCode.too_large;
            case 429 -> Frames.ErrorCode.rate_limited;
            default -> Frames.ErrorCode.internal;
        };
    }
}
