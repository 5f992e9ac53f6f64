package io.talkline.signaling.realtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.realtime.Drainable;
import io.talkline.commons.realtime.FrameBudget;
import io.talkline.commons.realtime.Keepalive;
import io.talkline.commons.realtime.LiveSocket;
import io.talkline.commons.realtime.RedisChannels;
import io.talkline.signaling.call.CallStore;
import io.talkline.signaling.call.Calls;
import io.talkline.signaling.config.SignalingConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The /ws/signal sockets of this instance. A user's frames arrive on their Redis channel
 * ({@link CallStore#userChannel}, {@code sig:user:<id>}), subscribed while the user has a socket here, as
 * {@code <socketId or *>|<frame>}: a relayed signal reaches only the device in the call, a ring
 * every device. Each socket knows the calls it is in, renewed by the heartbeat and left when the
 * socket closes — unless the instance is stopping: then the client rejoins from another instance.
 */
@ApplicationScoped
public class Sockets implements Drainable {

    /** One socket of this instance and the calls it is in. */
    static final class Open extends LiveSocket {
        final Set<String> calls = ConcurrentHashMap.newKeySet();
        /** The token as sent: chat-service is asked with it. */
        volatile String rawToken;

        Open(WebSocketConnection connection, VerifiedToken token, String rawToken, FrameBudget.Meter budget) {
            super(connection, token, budget);
            this.rawToken = rawToken;
        }
    }

    private final RedisChannels channels;
    private final CallStore store;
    private final OpenConnections connections;
    private final long queueLimit;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    // guarded by this
    private final Map<String, Set<String>> byUser = new java.util.HashMap<>();
    private final Counter slow;
    private final FrameBudget budget;
    private volatile boolean draining;

    public Sockets(RedisChannels channels, CallStore store, TokenVerifier verifier, OpenConnections connections, Vertx vertx,
            SignalingConfig config, MeterRegistry metrics) {
        this.channels = channels;
        this.store = store;
        this.connections = connections;
        this.queueLimit = config.socket().sendQueueLimit();
        metrics.gaugeMapSize("talkline_signaling_sockets_open", List.of(), open);
        this.slow = metrics.counter("talkline_signaling_sockets_closed_slow_total");
        SignalingConfig.Budget limits = config.socket().budget();
        this.budget = new FrameBudget(new FrameBudget.Settings(
                new FrameBudget.Limits(limits.socketBurst(), limits.socketRate()),
                new FrameBudget.Limits(limits.userBurst(), limits.userRate()),
                new FrameBudget.Limits(limits.relaySocketBurst(), limits.relaySocketRate()),
                new FrameBudget.Limits(limits.relayUserBurst(), limits.relayUserRate()), limits.refusals(),
                limits.refusalWindow()));
        Keepalive.start(vertx, open::values, verifier, config.socket().pingInterval(), config.socket().idleTimeout(),
                config.socket().revocationCheck(), config.socket().tokenGrace());
    }

    public void add(WebSocketConnection socket, VerifiedToken token, String rawToken) {
        // the connection itself, not the session-scoped proxy: frames go to it from any thread
        Open added = new Open(connections.findByConnectionId(socket.id()).orElse(socket), token, rawToken,
                budget.open(token.userId()));
        synchronized (this) {
            open.put(socket.id(), added);
            Set<String> mine = byUser.computeIfAbsent(added.userId(), k -> new HashSet<>());
            if (mine.add(socket.id()) && mine.size() == 1) {
                channels.subscribe(store.userChannel(added.userId()), this::deliver);
            }
        }
    }

    /** A closed socket: the calls it was in, which it leaves (unless this instance is stopping). */
    public Set<String> remove(String socketId) {
        Open closed;
        synchronized (this) {
            closed = open.remove(socketId);
            if (closed == null) {
                return Set.of();
            }
            closed.closed();
            Set<String> mine = byUser.get(closed.userId());
            if (mine != null && mine.remove(socketId) && mine.isEmpty()) {
                byUser.remove(closed.userId());
                channels.unsubscribe(store.userChannel(closed.userId()));
            }
        }
        return draining ? Set.of() : Set.copyOf(closed.calls);
    }

    /** Who sent a frame on this socket, with the socket's current access token. */
    public Calls.Caller caller(String socketId) {
        Open o = open.get(socketId);
        return new Calls.Caller(socketId, o.userId(), o.rawToken);
    }

    /** An answer to a frame of the socket, from any thread (the connection itself, not the session-scoped proxy). */
    public Uni<Void> reply(String socketId, String text) {
        Open o = open.get(socketId);
        return o == null ? Uni.createFrom().voidItem() : o.connection().sendText(text);
    }

    /** Charges a frame of the socket to its budget (see {@link LiveSocket#charge}). */
    public FrameBudget.Verdict charge(String socketId, FrameBudget.Kind kind, String ref) {
        Open o = open.get(socketId);
        return o == null ? FrameBudget.Verdict.PASS : o.charge(kind, ref);
    }

    /** A frame too big to be read at all: the client is told, then the socket closed with 1009. */
    public void tooBig(String socketId) {
        Open o = open.get(socketId);
        if (o != null) {
            o.tooBig();
        }
    }

    /** A frame to one of this instance's open sockets; false when it is not (or no longer) open here. */
    public boolean answer(String socketId, String text) {
        Open o = open.get(socketId);
        if (o != null) {
            send(o, text);
        }
        return o != null;
    }

    /** A fresh access token of the same user (the client refreshed it). */
    public void renew(String socketId, VerifiedToken token, String rawToken) {
        Open o = open.get(socketId);
        o.token(token);
        o.rawToken = rawToken;
    }

    public void inCall(String socketId, String callId) {
        Open o = open.get(socketId);
        if (o != null) {
            o.calls.add(callId);
        }
    }

    public void outOfCall(String socketId, String callId) {
        Open o = open.get(socketId);
        if (o != null) {
            o.calls.remove(callId);
        }
    }

    /** Every {@code callId|userId} of this instance's sockets (the heartbeat renews them). */
    public List<String> participations() {
        List<String> all = new ArrayList<>();
        if (draining) {
            return all;
        }
        for (Open o : open.values()) {
            for (String callId : o.calls) {
                all.add(CallStore.participation(callId, o.userId()));
            }
        }
        return all;
    }

    public void heard(WebSocketConnection socket) {
        Open o = open.get(socket.id());
        if (o != null) {
            o.heard();
        }
    }

    @Override
    public boolean draining() {
        return draining;
    }

    @Override
    public void drain() {
        if (draining) {
            return;
        }
        draining = true;
        Log.infof("stopping: closing %d sockets with %d so that their clients reconnect and rejoin elsewhere",
                open.size(), LiveSocket.RESTARTING);
        for (Open o : open.values()) {
            o.close(LiveSocket.RESTARTING, "service restarting: reconnect and rejoin");
        }
    }

    /** A frame from the user's channel to the target socket(s) here. */
    private void deliver(String channel, String message) {
        int bar = message.indexOf('|');
        if (bar < 0) {
            return;
        }
        String target = message.substring(0, bar);
        String frame = message.substring(bar + 1);
        List<String> targets;
        if ("*".equals(target)) {
            synchronized (this) {
                targets = List.copyOf(byUser.getOrDefault(store.userOf(channel), Set.of()));
            }
        } else {
            targets = List.of(target);
        }
        for (String socketId : targets) {
            Open o = open.get(socketId);
            if (o == null) {
                continue;
            }
            // a call that ended for this socket is no longer renewed or left by it
            if (frame.contains("\"call.ended\"") && !o.calls.isEmpty()) {
                o.calls.remove(new JsonObject(frame).getString("callId"));
            }
            send(o, frame);
        }
    }

    private void send(Open o, String text) {
        o.send(text, queueLimit, slow::increment);
    }
}
