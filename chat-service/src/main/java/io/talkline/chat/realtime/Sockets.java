package io.talkline.chat.realtime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.talkline.chat.config.ChatConfig;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The sockets of this instance by room and by user, and the Redis channels that feed them: an
 * instance subscribes to a room's channel only while a member of that room is connected here, and
 * to a user's channel while that user is (room.created, membership changes).
 */
@ApplicationScoped
public class Sockets {

    /** Close code for a socket whose session was revoked (api.md). */
    static final int REVOKED = 4401;
    /** Typing frames per socket and room are passed on at most this often. */
    private static final long TYPING_EVERY_MS = 1_000;

    private final ReactivePubSubCommands<String> pubsub;
    private final TokenVerifier verifier;
    private final Fanout fanout;
    private final Map<String, VerifiedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, Long> lastTyping = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byRoom = new HashMap<>();
    private final Map<String, Set<String>> byUser = new HashMap<>();
    private final Map<String, Set<String>> roomsOf = new ConcurrentHashMap<>();
    private final Map<String, ReactivePubSubCommands.ReactiveRedisSubscriber> channels = new HashMap<>();

    private final OpenConnections connections;

    public Sockets(ReactiveRedisDataSource redis, TokenVerifier verifier, Fanout fanout, Vertx vertx,
            ChatConfig config, OpenConnections connections) {
        this.connections = connections;
        this.pubsub = redis.pubsub(String.class);
        this.verifier = verifier;
        this.fanout = fanout;
        vertx.setPeriodic(config.socket().revocationCheck().toMillis(), id -> closeRevoked());
    }

    /** A new socket of a user in its rooms. */
    public synchronized void add(WebSocketConnection socket, VerifiedToken token, List<String> roomIds) {
        String userId = token.userId();
        tokens.put(socket.id(), token);
        roomsOf.put(socket.id(), new HashSet<>());
        if (byUser.computeIfAbsent(userId, k -> new HashSet<>()).add(socket.id()) && byUser.get(userId).size() == 1) {
            subscribe(Fanout.userChannel(userId));
        }
        for (String roomId : roomIds) {
            join(socket.id(), roomId);
        }
    }

    public synchronized void remove(WebSocketConnection socket, String userId) {
        tokens.remove(socket.id());
        Set<String> rooms = roomsOf.remove(socket.id());
        if (rooms != null) {
            rooms.forEach(roomId -> lastTyping.remove(socket.id() + roomId));
        }
        if (rooms != null) {
            for (String roomId : Set.copyOf(rooms)) {
                leave(socket.id(), roomId);
            }
        }
        Set<String> sockets = byUser.get(userId);
        if (sockets != null && sockets.remove(socket.id()) && sockets.isEmpty()) {
            byUser.remove(userId);
            unsubscribe(Fanout.userChannel(userId));
        }
    }

    public boolean inRoom(WebSocketConnection socket, String roomId) {
        Set<String> rooms = roomsOf.get(socket.id());
        return rooms != null && rooms.contains(roomId);
    }

    public synchronized void join(WebSocketConnection socket, String roomId) {
        join(socket.id(), roomId);
    }

    private void join(String socketId, String roomId) {
        Set<String> rooms = roomsOf.get(socketId);
        if (rooms == null || !rooms.add(roomId)) {
            return;
        }
        if (byRoom.computeIfAbsent(roomId, k -> new HashSet<>()).add(socketId) && byRoom.get(roomId).size() == 1) {
            subscribe(Fanout.roomChannel(roomId));
        }
    }

    public synchronized void leave(WebSocketConnection socket, String roomId) {
        leave(socket.id(), roomId);
    }

    private void leave(String socketId, String roomId) {
        Set<String> rooms = roomsOf.get(socketId);
        if (rooms != null) {
            rooms.remove(roomId);
        }
        Set<String> sockets = byRoom.get(roomId);
        if (sockets != null && sockets.remove(socketId) && sockets.isEmpty()) {
            byRoom.remove(roomId);
            unsubscribe(Fanout.roomChannel(roomId));
        }
    }

    /** Passes a typing frame to the room, at most once a second per socket and room (clients repeat it). */
    public void typing(WebSocketConnection socket, String roomId, String userId, boolean typing) {
        long now = System.currentTimeMillis();
        Long last = lastTyping.get(socket.id() + roomId);
        if (typing && last != null && now - last < TYPING_EVERY_MS) {
            return;
        }
        lastTyping.put(socket.id() + roomId, now);
        fanout.publish(Fanout.roomChannel(roomId), new JsonObject().put("type", "typing").put("roomId", roomId)
                .put("userId", userId).put("typing", typing));
    }

    /** Sockets of revoked sessions (logout, logout-all, disable) close with 4401 within seconds. */
    private void closeRevoked() {
        for (Map.Entry<String, VerifiedToken> open : Map.copyOf(tokens).entrySet()) {
            VerifiedToken token = open.getValue();
            WebSocketConnection socket = connections.findByConnectionId(open.getKey()).orElse(null);
            if (socket == null) {
                continue;
            }
            verifier.stillValid(token).subscribe().with(ok -> {
            }, revoked -> {
                Log.infof("closing the socket of a revoked session userId=%s: %s", token.userId(), revoked.getMessage());
                socket.close(new CloseReason(REVOKED, "session revoked")).subscribe().with(ignored -> {
                }, ignored -> {
                });
            });
        }
    }

    private void subscribe(String channel) {
        pubsub.subscribe(channel, message -> deliver(channel, message)).subscribe().with(subscriber -> {
            synchronized (this) {
                boolean stillWanted = channel.startsWith("chat:room:") ? byRoom.containsKey(channel.substring(10))
                        : byUser.containsKey(channel.substring(10));
                if (stillWanted && !channels.containsKey(channel)) {
                    channels.put(channel, subscriber);
                } else {
                    subscriber.unsubscribe().subscribe().with(ignored -> {
                    }, ignored -> {
                    });
                }
            }
        }, failure -> Log.warnf("subscription to %s failed: %s", channel, failure.toString()));
    }

    private void unsubscribe(String channel) {
        ReactivePubSubCommands.ReactiveRedisSubscriber subscriber = channels.remove(channel);
        if (subscriber != null) {
            subscriber.unsubscribe(channel).subscribe().with(ignored -> {
            }, failure -> Log.debugf("unsubscribe %s: %s", channel, failure.toString()));
        }
    }

    /** A frame from Redis to the local sockets it concerns; membership frames move sockets between rooms. */
    private void deliver(String channel, String text) {
        List<String> targets;
        synchronized (this) {
            if (channel.startsWith("chat:user:")) {
                String userId = channel.substring(10);
                JsonObject frame = new JsonObject(text);
                String type = frame.getString("type");
                String roomId = "room.created".equals(type) ? frame.getJsonObject("room").getString("id")
                        : frame.getString("roomId");
                List<String> mine = List.copyOf(byUser.getOrDefault(userId, Set.of()));
                for (String socket : mine) {
                    if ("room.member.removed".equals(type) && userId.equals(frame.getString("userId"))) {
                        leave(socket, roomId);
                    } else if (roomId != null) {
                        join(socket, roomId);
                    }
                }
                // the user's own sockets hear of it here; a copy may also arrive through the room's
                // channel (membership frames are idempotent for clients)
                targets = mine;
            } else {
                targets = List.copyOf(byRoom.getOrDefault(channel.substring(10), Set.of()));
            }
        }
        for (String socketId : targets) {
            connections.findByConnectionId(socketId).ifPresent(socket -> send(socket, text));
        }
    }

    static void send(WebSocketConnection socket, String text) {
        if (socket.isOpen()) {
            socket.sendText(text).subscribe().with(ignored -> {
            }, failure -> Log.debugf("frame not sent to socket %s: %s", socket.id(), failure.toString()));
        }
    }
}
