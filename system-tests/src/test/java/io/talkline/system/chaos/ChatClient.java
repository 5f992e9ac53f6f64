package io.talkline.system.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A user's {@code /ws/chat} socket through the gateway, as a careful client keeps it: each room's
 * last seq, taken only in order; a skipped seq or a reconnect asks {@code resync} from there. A
 * dropped socket is opened again after a backoff that starts at 100 ms (with jitter) and doubles up
 * to 2 s. Every stretch without a working socket (from the drop until {@code ready}) is recorded.
 */
final class ChatClient implements WebSocket.Listener {

    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 2_000;

    final String userId;
    private final String token;
    private final List<String> rooms;
    private final URI uri;
    private final HttpClient http;
    private final ScheduledExecutorService timers;
    private final Recorder recorder;
    /** Each room's seq up to which every message was seen, in order. */
    final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    private final Set<String> resyncing = ConcurrentHashMap.newKeySet();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile boolean ready;
    private volatile long downSince = -1;
    private volatile boolean stopped;
    private long backoff = FIRST_BACKOFF_MS;
    /** Raised on every connect: a late callback of an older socket changes nothing. */
    private volatile int generation;

    ChatClient(String userId, String token, List<String> rooms, URI gateway, HttpClient http,
            ScheduledExecutorService timers, Recorder recorder) {
        this.userId = userId;
        this.token = token;
        this.rooms = rooms;
        this.uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws/chat");
        this.http = http;
        this.timers = timers;
        this.recorder = recorder;
        rooms.forEach(room -> lastSeq.put(room, 0L));
    }

    boolean ready() {
        return ready;
    }

    void connect() {
        if (stopped) {
            return;
        }
        int mine = ++generation;
        http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, this).whenComplete((opened, failure) -> {
                    if (failure != null && mine == generation) {
                        down();
                    }
                });
    }

    /** Asks every room from its last seq (after the load, to check that nothing is missing). */
    void resyncAll() {
        rooms.forEach(this::resync);
    }

    boolean caughtUp(Map<String, Long> storeLastSeq) {
        return rooms.stream().allMatch(room -> lastSeq.get(room) >= storeLastSeq.getOrDefault(room, 0L));
    }

    void stop() {
        stopped = true;
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (webSocket == socket) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                handle(new JsonObject(text));
            }
        }
        webSocket.request(1);
        return null;
    }

    private void handle(JsonObject frame) {
        switch (frame.getString("type", "")) {
            case "ready" -> {
                ready = true;
                backoff = FIRST_BACKOFF_MS;
                if (downSince >= 0) {
                    recorder.outage(userId, downSince, recorder.now());
                    downSince = -1;
                }
                resyncing.clear();
                JsonArray known = frame.getJsonArray("rooms", new JsonArray());
                for (int i = 0; i < known.size(); i++) {
                    JsonObject room = known.getJsonObject(i);
                    if (room.getLong("lastSeq", 0L) > lastSeq.getOrDefault(room.getString("roomId"), Long.MAX_VALUE)) {
                        resync(room.getString("roomId"));
                    }
                }
            }
            case "message.created" -> {
                JsonObject message = frame.getJsonObject("message");
                String room = message.getString("roomId");
                long seq = message.getLong("seq");
                Long last = lastSeq.get(room);
                if (last == null || seq <= last) {
                    return; // a room of no interest, or seen already (live and by resync)
                }
                if (seq == last + 1) {
                    lastSeq.put(room, seq);
                } else {
                    resync(room); // a skipped seq: fan-out lost one, the store has it
                }
            }
            case "resync.done" -> {
                String room = frame.getString("roomId");
                resyncing.remove(room);
                if (frame.getLong("lastSeq", 0L) > lastSeq.getOrDefault(room, Long.MAX_VALUE)) {
                    resync(room);
                }
            }
            default -> {
                // typing, presence, receipts, errors of nothing we sent: not this client's concern
            }
        }
    }

    private void resync(String room) {
        WebSocket current = socket;
        if (current == null || !ready || !resyncing.add(room)) {
            return;
        }
        JsonObject frame = new JsonObject().put("type", "resync").put("rooms",
                new JsonArray().add(new JsonObject().put("roomId", room).put("afterSeq", lastSeq.get(room))));
        synchronized (this) {
            current.sendText(frame.encode(), true).exceptionally(failure -> {
                resyncing.remove(room);
                return null;
            });
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (webSocket == socket) {
            down();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (webSocket == socket) {
            down();
        }
    }

    private synchronized void down() {
        if (ready || downSince < 0) {
            downSince = recorder.now();
        }
        ready = false;
        socket = null;
        partial.setLength(0);
        if (stopped) {
            return;
        }
        long wait = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        timers.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
    }
}
