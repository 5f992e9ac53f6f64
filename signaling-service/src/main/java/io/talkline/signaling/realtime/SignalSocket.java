package io.talkline.signaling.realtime;

import java.util.Set;

import jakarta.inject.Inject;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
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
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.talkline.commons.auth.BearerIdentityProvider;
import io.talkline.commons.auth.TokenRejected;
import io.talkline.commons.auth.TokenUncheckable;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.realtime.FrameBudget;
import io.talkline.commons.realtime.Frames;
import io.talkline.commons.realtime.Frames.ErrorCode;
import io.talkline.commons.realtime.LogSafe;
import io.talkline.commons.tracing.FrameSpans;
import io.talkline.commons.tracing.TraceContext;
import io.talkline.signaling.call.Calls;
import io.talkline.signaling.call.SignalError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * /ws/signal (api.md): the upgrade needs a valid access token (401 otherwise); the socket gets
 * {@code ready {userId, call?, ringing}} — the call the user is in, to rejoin after a reconnect, and
 * the calls ringing for them, to ring a device that connects meanwhile — and from then on the call
 * frames. Frames of one socket are handled one after the other, so a peer receives
 * a sender's offer before its ICE candidates. Every frame is charged to the socket's and its user's
 * budget (FrameBudget; relayed signals to a larger one of their own): over it, {@code error
 * rate_limited}; again and again, 1008. A socket whose token expired (plus a grace) without a fresh
 * one in an {@code auth} frame is closed with 4401.
 */
@WebSocket(path = "/ws/signal")
@Authenticated
public class SignalSocket {

    static final int MAX_FRAME_CHARS = 64 * 1024;

    @Inject
    WebSocketConnection connection;
    @Inject
    SecurityIdentity identity;
    @Inject
    Sockets sockets;
    @Inject
    Calls calls;
    @Inject
    TokenVerifier verifier;
    @Inject
    FrameSpans frames;

    /** The span the socket was opened in (its upgrade request's): each frame's trace links to it. */
    private static final UserData.TypedKey<SpanContext> OPENED = new UserData.TypedKey<>("opened");

    @OnOpen
    JsonObject onOpen() {
        VerifiedToken token = identity.getAttribute(BearerIdentityProvider.TOKEN_ATTRIBUTE);
        sockets.add(connection, token, identity.getAttribute(BearerIdentityProvider.RAW_TOKEN_ATTRIBUTE));
        connection.userData().put(OPENED, FrameSpans.opening(connection.handshakeRequest().header(TraceContext.TRACEPARENT)));
        JsonObject ready = new JsonObject().put("type", "ready").put("userId", token.userId());
        try {
            JsonObject current = calls.current(token.userId());
            if (current.containsKey("call")) {
                ready.put("call", current.getJsonObject("call"));
            }
            ready.put("ringing", current.getJsonArray("ringing"));
        } catch (RuntimeException e) {
            Log.warnf("current call of userId=%s not looked up: %s", token.userId(), e.toString());
        }
        return ready;
    }

    @OnClose
    void onClose() {
        Set<String> left = sockets.remove(connection.id());
        if (!left.isEmpty()) {
            try {
                calls.gone(connection.id(), identity.getPrincipal().getName(), left);
            } catch (RuntimeException e) {
                // the participant expires and is swept (signaling.call.participant-ttl)
                Log.warnf("calls %s not left on close: %s", left, e.toString());
            }
        }
    }

    @OnPongMessage
    void onPong(Buffer data) {
        sockets.heard(connection);
    }

    /** Frames are JSON text; a binary one is answered, not dropped in silence, and costs like any frame. */
    @OnBinaryMessage
    Uni<Void> onBinary(Buffer data) {
        sockets.heard(connection);
        String socketId = connection.id();
        return switch (sockets.charge(socketId, FrameBudget.Kind.FRAME, null)) {
            case PASS -> reply(socketId, Frames.binaryRefused());
            case REFUSED -> reply(socketId, Frames.rateLimited(null));
            case ABUSE -> Uni.createFrom().voidItem();
        };
    }

    /**
     * A frame beyond quarkus.websockets-next.server.max-message-size never reaches onFrame: the
     * client hears why, and the socket is closed with 1009 rather than 1011 (an internal error).
     * The connection comes as a parameter: an error can arrive after the socket closed, when its
     * session context (and so the injected connection) is gone.
     */
    @OnError
    void onError(WebSocketConnection socket, Throwable failure) {
        if (Frames.tooBig(failure)) {
            sockets.tooBig(socket.id());
            return;
        }
        Log.warnf("signal socket %s failed: %s", socket.id(), LogSafe.of(failure));
        if (!sockets.answer(socket.id(), Frames.error(ErrorCode.internal, "could not be carried out; try again",
                null).encode())) {
            // failed before it was ready (opening): nothing to go on with
            socket.close(new CloseReason(1011, "internal error")).subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
    }

    /**
     * Relays and media state run on the socket's event loop (one non-blocking Redis call); the
     * lifecycle, which asks chat-service and Redis, on a worker. Either way the next frame of the
     * socket waits for this one (serial inbound processing), so relayed frames keep their order.
     */
    @OnTextMessage
    Uni<Void> onFrame(String text) {
        sockets.heard(connection);
        // the worker below must not touch the session-scoped connection: everything goes by id
        String socketId = connection.id();
        JsonObject frame;
        try {
            frame = Frames.parse(text, MAX_FRAME_CHARS);
        } catch (Frames.BadFrame e) {
            return switch (sockets.charge(socketId, FrameBudget.Kind.FRAME, null)) {
                case PASS -> reply(socketId, Frames.error(e.code(), e.getMessage(), null));
                case REFUSED -> reply(socketId, Frames.rateLimited(null));
                case ABUSE -> Uni.createFrom().voidItem();
            };
        }
        String type = frame.getString("type");
        FrameBudget.Kind kind = switch (type) {
            case "ping" -> FrameBudget.Kind.PING;
            case "signal.offer", "signal.answer", "signal.ice", "call.media" -> FrameBudget.Kind.RELAY;
            default -> FrameBudget.Kind.FRAME;
        };
        switch (sockets.charge(socketId, kind, type)) {
            case REFUSED -> {
                return reply(socketId, Frames.rateLimited(type));
            }
            case ABUSE -> {
                return Uni.createFrom().voidItem(); // answered, and closing with 1008
            }
            case PASS -> {
            }
        }
        if ("ping".equals(type)) {
            return reply(socketId, Frames.pong()); // keeps the socket alive, does no work: no span
        }
        // a trace per frame (ADR 0020), current while the work is set up, ended when it is done
        Span span = frames.start("/ws/signal", type, connection.userData().get(OPENED));
        Uni<Void> done;
        try (Scope ignored = span.makeCurrent()) {
            done = handle(socketId, frame, type);
        }
        return done.onTermination().invoke(span::end);
    }

    private Uni<Void> handle(String socketId, JsonObject frame, String type) {
        try {
            Calls.Caller caller = sockets.caller(socketId);
            Uni<Void> done = switch (type) {
                case "signal.offer", "signal.answer", "signal.ice" -> calls.relay(caller, frame);
                case "call.media" -> calls.media(caller, frame);
                // the worker continues the frame's trace: its calls to chat-service are children of it
                default -> Uni.createFrom().item(Context.current().wrapSupplier(() -> lifecycle(caller, frame, type)))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .chain(answer -> answer == null ? Uni.createFrom().voidItem() : reply(socketId, answer));
            };
            return done.onFailure().recoverWithUni(failure -> reply(socketId, failed(failure, type, socketId)));
        } catch (RuntimeException e) {
            return reply(socketId, failed(e, type, socketId));
        }
    }

    /** A lifecycle frame (blocking: chat-service and Redis); the frame to answer with, if any. */
    private JsonObject lifecycle(Calls.Caller caller, JsonObject frame, String type) {
        String callId = frame.getString("callId");
        switch (type) {
            case "auth" -> {
                return auth(frame, caller);
            }
            case "call.invite" -> sockets.inCall(caller.socketId(),
                    calls.invite(caller, frame.getString("roomId"), frame.getString("media")));
            case "call.accept" -> {
                calls.accept(caller, callId);
                sockets.inCall(caller.socketId(), callId);
            }
            case "call.join" -> {
                calls.join(caller, callId);
                sockets.inCall(caller.socketId(), callId);
            }
            case "call.reject" -> calls.reject(caller, callId);
            case "call.leave" -> {
                calls.leave(caller, callId);
                sockets.outOfCall(caller.socketId(), callId);
            }
            default -> {
                return Frames.error(ErrorCode.bad_request, "unknown frame type", type);
            }
        }
        return null;
    }

    private static JsonObject failed(Throwable failure, String type, String socketId) {
        if (failure instanceof SignalError e) {
            return e.frame(type);
        }
        if (failure instanceof ClassCastException || failure instanceof IllegalArgumentException) {
            return Frames.error(ErrorCode.bad_request, "malformed " + type + " frame", type);
        }
        Log.errorf(failure, "%s frame on socket %s failed", LogSafe.of(type), socketId);
        return Frames.error(ErrorCode.internal, "could not be carried out; try again", type);
    }

    private Uni<Void> reply(String socketId, JsonObject frame) {
        return sockets.reply(socketId, frame.encode());
    }

    /**
     * A fresh access token for this socket (extension): chat-service is asked with the socket's token
     * when a call is placed or joined, so a client keeps it current as it refreshes.
     */
    private JsonObject auth(JsonObject frame, Calls.Caller caller) {
        String raw = frame.getString("token");
        if (raw == null || raw.isBlank()) {
            throw new SignalError(ErrorCode.bad_request, "token: required");
        }
        VerifiedToken fresh;
        try {
            fresh = verifier.verify(raw).await().atMost(java.time.Duration.ofSeconds(5));
        } catch (TokenRejected e) {
            throw new SignalError(ErrorCode.unauthorized, "token: " + e.getMessage());
        } catch (io.smallrye.mutiny.TimeoutException | TokenUncheckable e) {
            // not the client's fault, and not a refusal: its token stands until it can be checked
            throw new SignalError(ErrorCode.internal, "token could not be checked; try again");
        }
        if (!fresh.userId().equals(caller.userId())) {
            throw new SignalError(ErrorCode.forbidden, "token: belongs to another user");
        }
        sockets.renew(caller.socketId(), fresh, raw);
        return new JsonObject().put("type", "auth.ok").put("expiresAt", fresh.expiresAt().toString());
    }
}
