package io.talkline.chat.realtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.TimeoutException;
import io.talkline.chat.message.MessageRequests.NewMessage;
import io.talkline.chat.message.MessageService;
import io.talkline.chat.message.MessageView;
import io.talkline.chat.receipt.ReceiptService;
import io.talkline.chat.room.Caller;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.auth.TokenRejected;
import io.talkline.commons.auth.TokenUncheckable;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.ProblemException;
import io.talkline.commons.realtime.FrameBudget;
import io.talkline.commons.realtime.Frames;
import io.talkline.commons.realtime.LogSafe;
import io.talkline.commons.tracing.FrameSpans;
import io.talkline.commons.tracing.TraceContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * /ws/chat (api.md): the upgrade needs a valid access token (401 otherwise); the socket gets
 * {@code ready} with its rooms, then every event of those rooms. A socket whose session is revoked,
 * or whose token expired (plus a grace) without a fresh one in an {@code auth} frame, is closed with
 * 4401 at the next check (every few seconds). Every frame is charged to the socket's and its user's
 * budget (FrameBudget): over it, {@code error rate_limited}; again and again, 1008.
 */
@WebSocket(path = ChatSocket.PATH)
public class ChatSocket {

    static final String PATH = "/ws/chat";
    /** The span the socket was opened in (its upgrade request's): each frame's trace links to it. */
    private static final UserData.TypedKey<SpanContext> OPENED = new UserData.TypedKey<>("opened");

    static final int MAX_FRAME_CHARS = 64 * 1024;
    private static final int RESYNC_BATCH = 500;

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
    @Inject
    TokenVerifier verifier;
    @Inject
    FrameSpans frames;

    /**
     * The user's channel is subscribed (and confirmed) before the rooms are read, and membership
     * changes that arrive meanwhile are applied on top of what was read: a removal committed at any
     * moment is never lost between the two.
     */
    @OnOpen
    JsonObject onOpen(WebSocketConnection connection) {
        Caller caller = connection.userData().get(SocketSignIn.CALLER);
        VerifiedToken token = connection.userData().remove(SocketSignIn.TOKEN); // Sockets keeps it from here
        Sockets.Watch watch = sockets.watch(caller.userId());
        List<Map.Entry<String, Long>> mine;
        try {
            mine = rooms.lastSeqs(caller.userId());
        } catch (RuntimeException e) {
            sockets.unwatch(watch);
            throw e;
        }
        sockets.add(connection, token, mine.stream().map(Map.Entry::getKey).toList(), watch);
        connection.userData().put(OPENED, FrameSpans.opening(connection.handshakeRequest().header(TraceContext.TRACEPARENT)));
        JsonArray list = new JsonArray();
        mine.forEach(e -> list.add(new JsonObject().put("roomId", e.getKey()).put("lastSeq", e.getValue())));
        Log.debugf("chat socket open userId=%s rooms=%d", caller.userId(), mine.size());
        return new JsonObject().put("type", "ready").put("userId", caller.userId()).put("rooms", list);
    }

    @OnClose
    void onClose(WebSocketConnection connection) {
        sockets.remove(connection.id(), connection.userData().get(SocketSignIn.CALLER).userId());
    }

    @OnPongMessage
    void onPong(WebSocketConnection connection, Buffer data) {
        sockets.heard(connection);
    }

    /** Frames are JSON text; a binary one is answered, not dropped in silence, and costs like any frame. */
    @OnBinaryMessage
    void onBinary(WebSocketConnection connection, Buffer data) {
        sockets.heard(connection);
        if (sockets.charge(connection, FrameBudget.Kind.FRAME, null) == FrameBudget.Verdict.PASS) {
            sockets.answer(connection, Frames.binaryRefused());
        } else {
            sockets.answer(connection, Frames.rateLimited(null));
        }
    }

    /**
     * A frame beyond quarkus.websockets-next.server.max-message-size never reaches onFrame: the
     * client hears why, and the socket is closed with 1009 rather than 1011 (an internal error).
     */
    @OnError
    void onError(WebSocketConnection socket, Throwable failure) {
        if (Frames.tooBig(failure)) {
            sockets.tooBig(socket);
            return;
        }
        Log.warnf("chat socket %s failed: %s", socket.id(), LogSafe.of(failure));
        if (!sockets.answer(socket, Frames.error(Frames.ErrorCode.internal, "could not be carried out; try again",
                null))) {
            // failed before it was ready (opening): nothing to go on with
            socket.close(new CloseReason(1011, "internal error")).subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }

    @OnTextMessage
    JsonObject onFrame(WebSocketConnection connection, String text) {
        sockets.heard(connection);
        JsonObject frame;
        try {
            frame = Frames.parse(text, MAX_FRAME_CHARS);
        } catch (Frames.BadFrame e) {
            return switch (sockets.charge(connection, FrameBudget.Kind.FRAME, null)) {
                case PASS -> Frames.error(e.code(), e.getMessage(), null);
                case REFUSED -> Frames.rateLimited(null);
                case ABUSE -> null;
            };
        }
        String type = frame.getString("type");
        switch (sockets.charge(connection, "ping".equals(type) ? FrameBudget.Kind.PING : FrameBudget.Kind.FRAME, type)) {
            case REFUSED -> {
                return Frames.rateLimited(type);
            }
            case ABUSE -> {
                return null; // answered, and closing with 1008
            }
            case PASS -> {
            }
        }
        if ("ping".equals(type)) {
            return Frames.pong(); // keeps the socket alive, does no work: no span
        }
        // a trace per frame: what it stores, logs and asks carries the trace id (ADR 0020)
        return frames.run("/ws/chat", type, connection.userData().get(OPENED), () -> handle(connection, frame, type));
    }

    private JsonObject handle(WebSocketConnection connection, JsonObject frame, String type) {
        Caller caller = connection.userData().get(SocketSignIn.CALLER);
        try {
            return switch (type) {
                case "resync" -> resync(connection, caller, frame);
                case "send" -> send(caller, frame);
                case "typing" -> typing(connection, caller, frame);
                case "receipt" -> receipt(caller, frame);
                case "auth" -> auth(connection, caller, frame);
                default -> Frames.error(Frames.ErrorCode.bad_request, "unknown frame type", type);
            };
        } catch (ProblemException e) {
            return Frames.error(code(e.status()), e.getMessage(), ref(frame, type));
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            return Frames.error(Frames.ErrorCode.bad_request, "malformed " + type + " frame", type);
        }
    }

    /**
     * A fresh access token of the same user (the client refreshed it): the socket then lives until
     * that token's expiry plus the grace instead of the first one's.
     */
    private JsonObject auth(WebSocketConnection connection, Caller caller, JsonObject frame) {
        if (!(frame.getValue("token") instanceof String raw) || raw.isBlank()) {
            throw ProblemException.badRequest("token", "required");
        }
        VerifiedToken fresh;
        try {
            fresh = verifier.verify(raw).await().atMost(Duration.ofSeconds(5));
        } catch (TokenRejected e) {
            return Frames.error(Frames.ErrorCode.unauthorized, "token: " + e.getMessage(), "auth");
        } catch (TimeoutException | TokenUncheckable e) {
            // not the client's fault, and not a refusal: its token stands until it can be checked
            return Frames.error(Frames.ErrorCode.internal, "token could not be checked; try again", "auth");
        }
        if (!fresh.userId().equals(caller.userId())) {
            return Frames.error(Frames.ErrorCode.forbidden, "token: belongs to another user", "auth");
        }
        sockets.renew(connection, fresh);
        // what the socket asks other services with from now on
        connection.userData().put(SocketSignIn.CALLER, caller.withToken(raw));
        return new JsonObject().put("type", "auth.ok").put("expiresAt", fresh.expiresAt().toString());
    }

    /** Every message after afterSeq, in order, from the database; then resync.done per room. */
    private JsonObject resync(WebSocketConnection connection, Caller caller, JsonObject frame) {
        if (!(frame.getValue("rooms") instanceof JsonArray wanted)) {
            throw ProblemException.badRequest("rooms", "required, a list of {roomId, afterSeq}");
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!(wanted.getValue(i) instanceof JsonObject room)) {
                throw ProblemException.badRequest("rooms[" + i + "]", "must be an object {roomId, afterSeq}");
            }
            if (!(room.getValue("roomId") instanceof String roomId) || roomId.isBlank() || roomId.length() > 64) {
                throw ProblemException.badRequest("rooms[" + i + "].roomId", "required, a room id");
            }
            Object afterSeq = room.getValue("afterSeq", 0L);
            if (!(afterSeq instanceof Number number) || number.longValue() < 0 || number.doubleValue() % 1 != 0) {
                throw ProblemException.badRequest("rooms[" + i + "].afterSeq", "must be a whole number, 0 or more");
            }
            long after = number.longValue();
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

    private JsonObject send(Caller caller, JsonObject frame) {
        String messageType = Frames.text(frame, "messageType");
        NewMessage request = new NewMessage(Frames.text(frame, "clientMsgId"),
                messageType != null || frame.containsKey("mediaId") ? messageType : "text", Frames.text(frame, "body"),
                Frames.text(frame, "mediaId"), Frames.text(frame, "replyTo"));
        // the REST body's own constraints; its "type" is called messageType in a frame
        for (ConstraintViolation<NewMessage> violation : validator.validate(request)) {
            String field = violation.getPropertyPath().toString();
            throw ProblemException.badRequest("type".equals(field) ? "messageType" : field, violation.getMessage());
        }
        String roomId = Frames.text(frame, "roomId");
        if (roomId == null) {
            throw ProblemException.badRequest("roomId", "required");
        }
        MessageService.Sent sent = messages.send(caller, roomId, request);
        return fanout.frame("ack", "message", sent.message()).put("clientMsgId", request.clientMsgId());
    }

    private JsonObject receipt(Caller caller, JsonObject frame) {
        String roomId = Frames.text(frame, "roomId");
        Long upToSeq = frame.getLong("upToSeq");
        if (roomId == null || upToSeq == null) {
            throw ProblemException.badRequest(roomId == null ? "roomId" : "upToSeq", "required");
        }
        receipts.mark(caller, roomId, Objects.requireNonNullElse(Frames.text(frame, "kind"), "seen"), upToSeq);
        return null;
    }

    private JsonObject typing(WebSocketConnection connection, Caller caller, JsonObject frame) {
        String roomId = Frames.text(frame, "roomId");
        if (roomId == null || !sockets.inRoom(connection, roomId)) {
            throw ProblemException.notFound("No such room");
        }
        sockets.typing(connection, roomId, caller.userId(), frame.getBoolean("typing", true));
        return null;
    }

    /** What an error frame refers to: the send's clientMsgId when it is one, else the frame's type. */
    private static String ref(JsonObject frame, String type) {
        return frame.getValue("clientMsgId") instanceof String clientMsgId ? clientMsgId : type;
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
