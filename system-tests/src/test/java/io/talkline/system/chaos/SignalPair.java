package io.talkline.system.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * Call signaling under faults: a caller and a callee, each on a {@code /ws/signal} socket through
 * the gateway (round-robin puts them on the two instances), ring each other once a second: invite,
 * the callee hears {@code call.incoming} (relayed across instances), rejects, the caller hears the
 * call end. A ring not heard within 3 s counts as failed; the caller then hangs up and, when its
 * socket dropped, reconnects (its old call is left as {@code ready.call} says).
 */
final class SignalPair {

    private static final long RING_TIMEOUT_MS = 3_000;

    private final Side caller;
    private final Side callee;
    private final String roomId;
    private final Recorder recorder;
    private volatile boolean stopped;
    private Thread loop;

    SignalPair(String callerToken, String calleeToken, String roomId, URI gateway, HttpClient http, Recorder recorder) {
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws/signal");
        this.caller = new Side(callerToken, uri, http);
        this.callee = new Side(calleeToken, uri, http);
        this.roomId = roomId;
        this.recorder = recorder;
    }

    void start() {
        loop = Thread.ofVirtual().name("signal-pair").start(this::run);
    }

    void stop() throws InterruptedException {
        stopped = true;
        loop.join(10_000);
        caller.close();
        callee.close();
    }

    private void run() {
        while (!stopped) {
            long at = recorder.now();
            try {
                long rung = ring();
                recorder.ring(at, rung);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                recorder.ring(at, -1);
            }
            long next = at + 1_000 - recorder.now();
            if (next > 0) {
                try {
                    Thread.sleep(next);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One ring: ms from invite to the callee's call.incoming, or -1. */
    private long ring() throws InterruptedException {
        if (!caller.open() || !callee.open()) {
            return -1;
        }
        caller.frames.clear();
        callee.frames.clear();
        long start = System.nanoTime();
        caller.send(new JsonObject().put("type", "call.invite").put("roomId", roomId).put("media", "audio"));
        JsonObject created = caller.await("call.created", RING_TIMEOUT_MS);
        if (created == null) {
            caller.reset();
            return -1;
        }
        String callId = created.getString("callId");
        JsonObject incoming = callee.awaitCall("call.incoming", callId, RING_TIMEOUT_MS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (incoming == null) {
            caller.send(new JsonObject().put("type", "call.leave").put("callId", callId)); // hang up
            return -1;
        }
        callee.send(new JsonObject().put("type", "call.reject").put("callId", callId));
        if (caller.awaitCall("call.ended", callId, RING_TIMEOUT_MS) == null) {
            caller.send(new JsonObject().put("type", "call.leave").put("callId", callId));
            return -1;
        }
        return millis;
    }

    /** One socket, opened again whenever a ring finds it closed. */
    private static final class Side implements WebSocket.Listener {
        private final String token;
        private final URI uri;
        private final HttpClient http;
        final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;

        Side(String token, URI uri, HttpClient http) {
            this.token = token;
            this.uri = uri;
            this.http = http;
        }

        /** Open, or opened now (a call it was in, by {@code ready.call}, is left first). */
        boolean open() throws InterruptedException {
            if (socket != null && !socket.isInputClosed() && !socket.isOutputClosed()) {
                return true;
            }
            try {
                frames.clear();
                socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                        .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, this).get(12, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                socket = null;
                return false;
            }
            JsonObject ready = await("ready", 3_000);
            if (ready == null) {
                reset();
                return false;
            }
            JsonObject call = ready.getJsonObject("call");
            if (call != null) {
                send(new JsonObject().put("type", "call.leave").put("callId", call.getString("callId")));
            }
            return true;
        }

        void send(JsonObject frame) {
            WebSocket current = socket;
            if (current != null) {
                synchronized (this) {
                    current.sendText(frame.encode(), true);
                }
            }
        }

        JsonObject await(String type, long millis) throws InterruptedException {
            return awaitCall(type, null, millis);
        }

        JsonObject awaitCall(String type, String callId, long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    return null;
                }
                if (type.equals(frame.getString("type")) && (callId == null || callId.equals(frame.getString("callId")))) {
                    return frame;
                }
            }
        }

        /** Dropped, so the next ring opens a fresh socket (and leaves whatever call the old one was in). */
        void reset() {
            WebSocket current = socket;
            socket = null;
            if (current != null) {
                current.abort();
            }
        }

        void close() {
            reset();
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
