package io.talkline.system.chaos;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.talkline.commons.testing.FrameClient;
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

    SignalPair(String callerToken, String calleeToken, String roomId, URI gateway, Recorder recorder) {
        URI uri = URI.create("ws://" + gateway.getHost() + ":" + gateway.getPort() + "/ws/signal");
        this.caller = new Side(callerToken, uri);
        this.callee = new Side(calleeToken, uri);
        this.roomId = roomId;
        this.recorder = recorder;
    }

    void start() {
        loop = Thread.ofVirtual().name("signal-pair").start(this::run);
    }

    void stop() throws InterruptedException {
        stopped = true;
        loop.join(10_000);
        caller.reset();
        callee.reset();
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
        caller.clear();
        callee.clear();
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

    /** One socket (the tests' FrameClient), opened again whenever a ring finds it closed. */
    private static final class Side {
        private final String token;
        private final URI uri;
        private volatile FrameClient client;

        Side(String token, URI uri) {
            this.token = token;
            this.uri = uri;
        }

        /** Open, or opened now (a call it was in, by {@code ready.call}, is left first). */
        boolean open() throws InterruptedException {
            FrameClient current = client;
            if (current != null && !current.socket().isInputClosed() && !current.socket().isOutputClosed()) {
                return true;
            }
            try {
                client = FrameClient.connect(uri, Map.of("Authorization", "Bearer " + token));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                client = null; // refused, or no handshake within 10 s: the ring fails, the next one tries again
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

        void clear() {
            FrameClient current = client;
            if (current != null) {
                current.frames().clear();
            }
        }

        void send(JsonObject frame) {
            FrameClient current = client;
            if (current != null) {
                synchronized (this) {
                    current.socket().sendText(frame.encode(), true);
                }
            }
        }

        JsonObject await(String type, long millis) throws InterruptedException {
            return awaitCall(type, null, millis);
        }

        /** The next frame of this type (of this call), or null when none came in time. */
        JsonObject awaitCall(String type, String callId, long millis) throws InterruptedException {
            FrameClient current = client;
            if (current == null) {
                return null;
            }
            long deadline = System.nanoTime() + millis * 1_000_000;
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : current.frames().poll(left, TimeUnit.NANOSECONDS);
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
            FrameClient current = client;
            client = null;
            if (current != null) {
                current.socket().abort();
            }
        }
    }
}
