package io.talkline.chat.realtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.presence.Presence;
import io.talkline.chat.room.RoomService;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.realtime.Drainable;
import io.talkline.commons.realtime.FrameBudget;
import io.talkline.commons.realtime.Keepalive;
import io.talkline.commons.realtime.LiveSocket;
import io.talkline.commons.realtime.RedisChannels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The sockets of this instance by room and by user, and the Redis channels that feed them: an
 * instance subscribes to a room's channel only while a member of that room is connected here, and
 * to a user's channel while that user is (room.created, membership changes). Each socket has a
 * bounded send queue: a client that stops reading is closed with 1013 instead of holding frames
 * (and memory) for ever; it reconnects and resyncs. A socket's rooms are read from the database
 * after its user's channel is subscribed, and again after the pub/sub connection was lost (the
 * membership changes published meanwhile were missed): a removed member stops getting the room.
 * A room's {@code message.created} frames reach its sockets in seq order, this instance's own
 * first (ADR 0035, {@link RoomOrder}).
 */
@ApplicationScoped
public class Sockets implements Drainable {

    static final int TOO_SLOW = LiveSocket.TOO_SLOW;
    static final int IDLE = LiveSocket.IDLE;
    /** Typing frames per socket and room are passed on at most this often. */
    private static final long TYPING_EVERY_MS = 1_000;

    /** One socket of this instance. Its room set is guarded by the Sockets monitor. */
    static final class Open extends LiveSocket {
        final Set<String> rooms = new HashSet<>();

        Open(WebSocketConnection connection, VerifiedToken token, FrameBudget.Meter budget) {
            super(connection, token, budget);
        }
    }

    /** A membership change heard on a user's channel: in the room (again), or out of it. */
    private record Change(String roomId, boolean in) {
    }

    /**
     * A user's rooms being read from the database: the changes heard meanwhile, applied on top of
     * what was read (it may or may not have them already; applying them again in order is the same).
     * Guarded by the Sockets monitor.
     */
    public static final class Watch {
        final String userId;
        final List<Change> changes = new ArrayList<>();

        Watch(String userId) {
            this.userId = userId;
        }
    }

    /** How long a socket's open waits for Redis to confirm its user's channel before reading anyway. */
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(5);

    private record TypingKey(String socketId, String roomId) {
    }

    /** A user typing in a room through one socket: when it was last passed on and last refreshed. */
    private static final class Typing {
        final String userId;
        volatile long published;
        volatile long refreshed;

        Typing(String userId) {
            this.userId = userId;
        }
    }

    private final RedisChannels channels;
    private final Fanout fanout;
    private final Presence presence;
    private final OpenConnections connections;
    private final long queueLimit;
    private final long typingExpiryMs;
    private final Duration writeTimeout;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    private final Map<TypingKey, Typing> typing = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byRoom = new HashMap<>();
    private final Map<String, Set<String>> byUser = new HashMap<>();
    private final Map<String, List<Watch>> watches = new HashMap<>();
    /** The message order of each room with a socket here. */
    private final Map<String, RoomOrder> orders = new HashMap<>();
    private final Vertx vertx;
    private final long reorderWaitMs;
    /** Sockets of moderators and admins: they hear moderation cases opened and updated. */
    private final Set<String> moderators = new HashSet<>();
    private final RoomService roomService;
    private final FrameBudget budget;
    /** Read by a function counter: a Counter's increment samples an exemplar, once per frame and socket. */
    private final LongAdder delivered = new LongAdder();
    private final Counter slow;
    private volatile boolean draining;

    public Sockets(RedisChannels channels, TokenVerifier verifier, Fanout fanout, Presence presence, Vertx vertx,
            ChatConfig config, OpenConnections connections, MeterRegistry metrics, RoomService roomService) {
        this.connections = connections;
        this.roomService = roomService;
        ChatConfig.Budget limits = config.socket().budget();
        this.budget = new FrameBudget(new FrameBudget.Settings(
                new FrameBudget.Limits(limits.socketBurst(), limits.socketRate()),
                new FrameBudget.Limits(limits.userBurst(), limits.userRate()), null, null, limits.refusals(),
                limits.refusalWindow()));
        this.channels = channels;
        this.fanout = fanout;
        this.presence = presence;
        this.queueLimit = config.socket().sendQueueLimit();
        this.typingExpiryMs = config.typing().expiry().toMillis();
        this.writeTimeout = config.socket().writeTimeout();
        this.vertx = vertx;
        this.reorderWaitMs = Math.max(1, config.socket().reorderWait().toMillis());
        metrics.gaugeMapSize("talkline_chat_sockets_open", List.of(), open);
        FunctionCounter.builder("talkline_chat_frames_delivered_total", delivered, LongAdder::sum).register(metrics);
        this.slow = metrics.counter("talkline_chat_sockets_closed_slow_total");
        vertx.setPeriodic(Math.max(100, typingExpiryMs / 5), id -> expireTyping());
        Keepalive.start(vertx, open::values, verifier, config.socket().pingInterval(), config.socket().idleTimeout(),
                config.socket().revocationCheck(), config.socket().tokenGrace());
        channels.onResubscribed(this::reloadRooms);
        // frames were missed while the connection was away: each room's order starts again
        channels.onReset(this::resetOrders);
        fanout.onLocalMessage(this::created);
    }

    /**
     * Before a user's rooms are read for a new socket: their channel is subscribed (confirmed by
     * Redis, or after {@link #SUBSCRIBE_WAIT} anyway) and the changes heard from now on are kept for
     * {@link #add}. Blocking; {@link #unwatch} it if the socket does not come to {@link #add}.
     */
    public Watch watch(String userId) {
        Watch watch = new Watch(userId);
        Future<Void> subscribed;
        synchronized (this) {
            watches.computeIfAbsent(userId, k -> new ArrayList<>()).add(watch);
            subscribed = channels.subscribe(Fanout.userChannel(userId), this::deliver);
        }
        try {
            subscribed.toCompletionStage().toCompletableFuture().get(SUBSCRIBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // the reload after the pub/sub connection is back mends what this socket may miss
            Log.warnf("channel of userId=%s not confirmed by Redis; reading the rooms anyway", userId);
        }
        return watch;
    }

    public synchronized void unwatch(Watch watch) {
        List<Watch> mine = watches.get(watch.userId);
        if (mine != null && mine.remove(watch) && mine.isEmpty()) {
            watches.remove(watch.userId);
        }
        if (!byUser.containsKey(watch.userId) && !watches.containsKey(watch.userId)) {
            unsubscribe(Fanout.userChannel(watch.userId));
        }
    }

    /**
     * A new socket of a user in its rooms (as read after {@link #watch}, plus what was heard since);
     * the user's first socket here announces them online.
     */
    public void add(WebSocketConnection socket, VerifiedToken token, List<String> roomIds, Watch watch) {
        String userId = token.userId();
        // the connection itself, not the session-scoped proxy: frames go to it from any thread
        Open added = new Open(connections.findByConnectionId(socket.id()).orElse(socket), token, budget.open(userId));
        synchronized (this) {
            open.put(socket.id(), added);
            Set<String> sockets = byUser.computeIfAbsent(userId, k -> new HashSet<>());
            sockets.add(socket.id());
            roomIds.forEach(roomId -> join(socket.id(), roomId));
            apply(socket.id(), watch.changes);
            if ((token.roles().contains("moderator") || token.roles().contains("admin")) && moderators.add(socket.id())
                    && moderators.size() == 1) {
                subscribe(Fanout.MODERATORS);
            }
            unwatch(watch);
            if (sockets.size() == 1) {
                subscribe(Fanout.userChannel(userId));
                // queued under the lock: the presence thread sees changes in the order they happened
                List<String> rooms = List.copyOf(roomIds);
                presence.later("online " + userId, () -> presence.online(userId, rooms));
            }
        }
    }

    /** A closed socket; the user's last socket here announces them offline (unless on another instance). */
    public void remove(String socketId, String userId) {
        Open closed;
        synchronized (this) {
            closed = open.remove(socketId);
            if (closed == null) {
                return;
            }
            closed.closed();
            // no longer in `open`, so leave() keeps closed.rooms as it was: the rooms to tell below
            for (String roomId : List.copyOf(closed.rooms)) {
                leave(socketId, roomId);
            }
            if (moderators.remove(socketId) && moderators.isEmpty()) {
                unsubscribe(Fanout.MODERATORS);
            }
            Set<String> sockets = byUser.get(userId);
            if (sockets != null && sockets.remove(socketId) && sockets.isEmpty()) {
                byUser.remove(userId);
                if (!watches.containsKey(userId)) {
                    unsubscribe(Fanout.userChannel(userId));
                }
                List<String> rooms = List.copyOf(closed.rooms);
                if (draining) {
                    presence.later("leave " + userId, () -> presence.leaveQuietly(userId));
                } else {
                    presence.later("offline " + userId, () -> presence.offline(userId, rooms));
                }
            }
        }
        for (String roomId : closed.rooms) {
            stopTyping(socketId, roomId);
        }
    }

    public boolean inRoom(WebSocketConnection socket, String roomId) {
        Open o = open.get(socket.id());
        if (o == null) {
            return false;
        }
        synchronized (this) {
            return o.rooms.contains(roomId);
        }
    }

    /** Membership changes, in the order heard, on a socket (under the monitor). */
    private void apply(String socketId, List<Change> changes) {
        for (Change change : changes) {
            if (change.in()) {
                join(socketId, change.roomId());
            } else {
                leave(socketId, change.roomId());
            }
        }
    }

    /**
     * After the pub/sub connection came back: membership changes published while it was away were
     * missed, so every connected user's rooms are read again (off the event loop) and their sockets
     * moved to them.
     */
    private void reloadRooms() {
        List<Watch> reloads = new ArrayList<>();
        synchronized (this) {
            for (String userId : byUser.keySet()) {
                Watch watch = new Watch(userId);
                watches.computeIfAbsent(userId, k -> new ArrayList<>()).add(watch);
                reloads.add(watch);
            }
        }
        if (reloads.isEmpty()) {
            return;
        }
        Log.infof("pub/sub back: reading the rooms of %d connected users again", reloads.size());
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            for (Watch watch : reloads) {
                try {
                    reloaded(watch, roomService.lastSeqs(watch.userId).stream().map(Map.Entry::getKey).toList());
                } catch (RuntimeException e) {
                    Log.warnf("rooms of userId=%s not read again: %s", watch.userId, e.toString());
                    unwatch(watch);
                }
            }
        });
    }

    private void reloaded(Watch watch, List<String> roomIds) {
        List<TypingKey> left = new ArrayList<>();
        synchronized (this) {
            for (String socketId : List.copyOf(byUser.getOrDefault(watch.userId, Set.of()))) {
                Open o = open.get(socketId);
                if (o == null) {
                    continue;
                }
                Set<String> now = new HashSet<>(roomIds);
                for (Change change : watch.changes) {
                    if (change.in()) {
                        now.add(change.roomId());
                    } else {
                        now.remove(change.roomId());
                    }
                }
                for (String roomId : List.copyOf(o.rooms)) {
                    if (!now.contains(roomId)) {
                        leave(socketId, roomId);
                        left.add(new TypingKey(socketId, roomId));
                    }
                }
                now.forEach(roomId -> join(socketId, roomId));
            }
            unwatch(watch);
        }
        left.forEach(key -> stopTyping(key.socketId(), key.roomId()));
    }

    private void join(String socketId, String roomId) {
        Open o = open.get(socketId);
        if (o == null || !o.rooms.add(roomId)) {
            return;
        }
        if (byRoom.computeIfAbsent(roomId, k -> new HashSet<>()).add(socketId) && byRoom.get(roomId).size() == 1) {
            subscribe(Fanout.roomChannel(roomId));
        }
    }

    private void leave(String socketId, String roomId) {
        Open o = open.get(socketId);
        if (o != null) {
            o.rooms.remove(roomId);
        }
        Set<String> sockets = byRoom.get(roomId);
        if (sockets != null && sockets.remove(socketId) && sockets.isEmpty()) {
            byRoom.remove(roomId);
            unsubscribe(Fanout.roomChannel(roomId));
            RoomOrder order = orders.remove(roomId);
            if (order != null) {
                vertx.cancelTimer(order.timer);
            }
        }
    }

    /** Frames were missed while the pub/sub connection was down: every room's order starts again. */
    private void resetOrders() {
        Map<RoomOrder, List<String>> rooms = new HashMap<>();
        synchronized (this) {
            orders.forEach((roomId, order) -> rooms.put(order, socketsOf(roomId)));
        }
        rooms.forEach((order, targets) -> {
            synchronized (order) {
                vertx.cancelTimer(order.timer);
                order.timer = -1;
                send(targets, order.reset());
            }
        });
    }

    /** The room's sockets here, as they are now (the caller holds this object's lock). */
    private List<String> socketsOf(String roomId) {
        return List.copyOf(byRoom.getOrDefault(roomId, Set.of()));
    }

    /**
     * Passes a typing frame to the room, at most once a second per socket and room (clients repeat
     * it while typing); without a refresh for the expiry time the room hears typing:false.
     */
    public void typing(WebSocketConnection socket, String roomId, String userId, boolean isTyping) {
        TypingKey key = new TypingKey(socket.id(), roomId);
        if (!isTyping) {
            if (typing.remove(key) != null) {
                publishTyping(roomId, userId, false);
            }
            return;
        }
        long now = System.currentTimeMillis();
        Typing state = typing.computeIfAbsent(key, k -> new Typing(userId));
        state.refreshed = now;
        if (now - state.published >= TYPING_EVERY_MS) {
            state.published = now;
            publishTyping(roomId, userId, true);
        }
    }

    private void stopTyping(String socketId, String roomId) {
        Typing state = typing.remove(new TypingKey(socketId, roomId));
        if (state != null) {
            publishTyping(roomId, state.userId, false);
        }
    }

    private void expireTyping() {
        long stale = System.currentTimeMillis() - typingExpiryMs;
        typing.forEach((key, state) -> {
            if (state.refreshed < stale && typing.remove(key, state)) {
                publishTyping(key.roomId(), state.userId, false);
            }
        });
    }

    private void publishTyping(String roomId, String userId, boolean isTyping) {
        fanout.publish(Fanout.roomChannel(roomId), new JsonObject().put("type", "typing").put("roomId", roomId)
                .put("userId", userId).put("typing", isTyping));
    }

    /** The users with a socket here (presence heartbeat). */
    public synchronized List<String> users() {
        return new ArrayList<>(byUser.keySet());
    }

    /** The rooms a user's sockets here are in. */
    public synchronized Set<String> roomsOf(String userId) {
        Set<String> rooms = new HashSet<>();
        for (String socketId : byUser.getOrDefault(userId, Set.of())) {
            Open o = open.get(socketId);
            if (o != null) {
                rooms.addAll(o.rooms);
            }
        }
        return rooms;
    }

    @Override
    public boolean draining() {
        return draining;
    }

    /** Stopping: every socket is told to reconnect (1012), elsewhere — new upgrades are refused meanwhile. */
    @Override
    public void drain() {
        if (draining) {
            return;
        }
        draining = true;
        Log.infof("stopping: closing %d sockets with %d so that their clients reconnect elsewhere", open.size(),
                LiveSocket.RESTARTING);
        for (Open o : open.values()) {
            o.close(LiveSocket.RESTARTING, "service restarting: reconnect");
        }
    }

    /** The client sent something (a frame or a pong to the server's ping): it is alive. */
    public void heard(WebSocketConnection socket) {
        Open o = open.get(socket.id());
        if (o != null) {
            o.heard();
        }
    }

    private void subscribe(String channel) {
        channels.subscribe(channel, this::deliver);
    }

    /** Charges a frame of the socket to its budget (see {@link LiveSocket#charge}). */
    public FrameBudget.Verdict charge(WebSocketConnection socket, FrameBudget.Kind kind, String ref) {
        Open o = open.get(socket.id());
        return o == null ? FrameBudget.Verdict.PASS : o.charge(kind, ref);
    }

    /**
     * A frame to the socket outside the answer of a text frame (binary frames, errors).
     *
     * @return false when the socket is not (or no longer) one of this instance's open sockets
     */
    public boolean answer(WebSocketConnection socket, JsonObject frame) {
        Open o = open.get(socket.id());
        if (o != null) {
            send(o, frame.encode());
        }
        return o != null;
    }

    /** A fresh access token of the socket's user: the socket lives until it expires (plus the grace). */
    public void renew(WebSocketConnection socket, VerifiedToken token) {
        Open o = open.get(socket.id());
        if (o != null) {
            o.token(token);
        }
    }

    /** A frame too big to be read at all: the client is told, then the socket closed with 1009. */
    public void tooBig(WebSocketConnection socket) {
        Open o = open.get(socket.id());
        if (o != null) {
            o.tooBig();
        }
    }

    private void unsubscribe(String channel) {
        channels.unsubscribe(channel);
    }

    /** A frame from Redis to the local sockets it concerns; membership frames move sockets between rooms. */
    private void deliver(String channel, String text) {
        if (channel.startsWith("chat:room:")) {
            long seq = createdSeq(text);
            if (seq > 0) {
                created(channel.substring(10), seq, text, false);
                return;
            }
        }
        List<String> targets;
        synchronized (this) {
            if (channel.equals(Fanout.MODERATORS)) {
                targets = List.copyOf(moderators);
            } else if (channel.startsWith("chat:user:")) {
                String userId = channel.substring(10);
                JsonObject frame = new JsonObject(text);
                String type = frame.getString("type");
                String roomId = "room.created".equals(type) ? frame.getJsonObject("room").getString("id")
                        : frame.getString("roomId");
                List<String> mine = List.copyOf(byUser.getOrDefault(userId, Set.of()));
                Change change = "room.member.removed".equals(type) && userId.equals(frame.getString("userId"))
                        ? new Change(roomId, false)
                        : roomId == null ? null : new Change(roomId, true);
                if (change != null) {
                    for (String socket : mine) {
                        apply(socket, List.of(change));
                    }
                    // sockets whose rooms are being read hear of it once they are
                    watches.getOrDefault(userId, List.of()).forEach(watch -> watch.changes.add(change));
                }
                // the user's own sockets hear of it here; a copy may also arrive through the room's
                // channel (membership frames are idempotent for clients)
                targets = mine;
            } else {
                targets = socketsOf(channel.substring(10));
            }
        }
        send(targets, List.of(text));
    }

    private void send(List<String> sockets, List<String> frames) {
        for (String frame : frames) {
            for (String socketId : sockets) {
                Open o = open.get(socketId);
                if (o != null) {
                    send(o, frame);
                }
            }
        }
    }

    private static final String CREATED = "{\"type\":\"message.created\",\"message\":{";
    private static final String SEQ = "\"seq\":";

    /**
     * The seq of a {@code message.created} frame as chat-service writes them (type first, then the
     * message, whose seq comes before any free text), or -1 for any other frame. A quote inside a
     * JSON string is escaped, so {@code "seq":} cannot be matched inside one.
     */
    static long createdSeq(String frame) {
        if (!frame.startsWith(CREATED)) {
            return -1;
        }
        int at = frame.indexOf(SEQ, CREATED.length());
        if (at < 0) {
            return -1;
        }
        long seq = 0;
        int i = at + SEQ.length();
        for (; i < frame.length() && i < at + SEQ.length() + 18 && Character.isDigit(frame.charAt(i)); i++) {
            seq = seq * 10 + (frame.charAt(i) - '0');
        }
        return i == at + SEQ.length() ? -1 : seq;
    }

    /** A message written here, before it is published (the writer's thread): its copy is known when it comes. */
    private void created(String roomId, long seq, String frame) {
        created(roomId, seq, frame, true);
    }

    /**
     * A room's message.created frame. The writer's thread and the pub/sub connection's bring them;
     * under the room's own lock they are put in order and queued on the sockets, and Vert.x writes
     * what is queued on a socket in the order queued, whichever thread queued it.
     */
    private void created(String roomId, long seq, String frame, boolean local) {
        RoomOrder order;
        List<String> targets;
        synchronized (this) {
            Set<String> sockets = byRoom.get(roomId);
            if (sockets == null) {
                return;
            }
            order = orders.computeIfAbsent(roomId, k -> new RoomOrder());
            targets = List.copyOf(sockets);
        }
        synchronized (order) {
            List<String> frames = local ? order.local(seq, frame) : order.remote(seq, frame);
            if (order.holding() && order.timer < 0) {
                order.timer = vertx.setTimer(reorderWaitMs, id -> released(roomId, order, id));
            } else if (!order.holding() && order.timer >= 0) {
                vertx.cancelTimer(order.timer);
                order.timer = -1;
            }
            send(targets, frames);
        }
    }

    /** The hold of a room's frames ended before the seq they waited for came. */
    private void released(String roomId, RoomOrder order, long timer) {
        List<String> targets;
        synchronized (this) {
            if (orders.get(roomId) != order) {
                return;
            }
            targets = socketsOf(roomId);
        }
        synchronized (order) {
            if (order.timer == timer) {
                order.timer = -1;
                send(targets, order.release());
            }
        }
    }

    /** Queues a frame unless the socket's queue is full, in which case the socket is closed with 1013. */
    private CompletableFuture<Void> send(Open o, String text) {
        CompletableFuture<Void> sent = o.send(text, queueLimit, slow::increment);
        if (sent != null) {
            sent.thenRun(delivered::increment);
        }
        return sent;
    }

    /**
     * A frame of a resync: queued like a live one, then waited for, so that a replay of thousands
     * of messages never holds more than one frame beyond the queue and never blocks for ever.
     *
     * @return false when the socket is closing or was closed for reading too slowly
     */
    boolean sendAndWait(WebSocketConnection socket, String text) {
        Open o = open.get(socket.id());
        CompletableFuture<Void> sent = o == null ? null : send(o, text);
        if (sent == null) {
            return false;
        }
        try {
            sent.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            tooSlow(o);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private void tooSlow(Open o) {
        if (!o.closing()) {
            slow.increment();
            o.close(TOO_SLOW, "too slow: reconnect and resync");
        }
    }
}
