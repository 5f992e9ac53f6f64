package io.talkline.commons.testing;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.json.JsonObject;

/**
 * A test's client of a JSON-frame socket (/ws/chat, /ws/signal): the frames it received, in
 * order, whole even when they arrive in parts, and how its socket closed.
 */
public record FrameClient(WebSocket socket, BlockingQueue<JsonObject> frames, CompletableFuture<Integer> closed)
        implements
            AutoCloseable {

    /** Connects to a path of a service with the token as ?access_token= (as browsers do). */
    public static FrameClient connect(URL base, String path, String token) throws Exception {
        return connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + path + "?access_token=" + token));
    }

    public static FrameClient connect(URI uri) throws Exception {
        return connect(uri, Map.of());
    }

    /** With headers on the upgrade request (X-Request-Id, …). */
    public static FrameClient connect(URI uri, Map<String, String> headers) throws Exception {
        return connect(uri, headers, List.of());
    }

    /** Offering these subprotocols, in this order (the pair {@code bearer, <token>} signs in). */
    public static FrameClient connect(URI uri, Map<String, String> headers, List<String> subprotocols) throws Exception {
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        WebSocket socket = builder
                .buildAsync(uri,
                        new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

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

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket webSocket, Throwable error) {
                                closed.completeExceptionally(error);
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        return new FrameClient(socket, frames, closed);
    }

    /** The very next frame, whatever its type. */
    public JsonObject nextFrame() throws InterruptedException {
        JsonObject frame = frames.poll(15, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 15 s");
        }
        return frame;
    }

    /** The next frame of this type (others are skipped). */
    public JsonObject next(String type) throws InterruptedException {
        return next(type, frame -> true);
    }

    /** The next frame of this type that matches (others are skipped). */
    public JsonObject next(String type, Predicate<JsonObject> matching) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && frame.getString("type").equals(type) && matching.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching " + type + " frame within 15 s");
    }

    /**
     * The next frame matching {@code marker}, failing if a frame matching {@code forbidden} comes
     * before it. Shows that something did not arrive without guessing a quiet window: send the
     * marker after it on the same ordered path (one Redis channel, one socket), and whatever was
     * on its way would have come first.
     */
    public JsonObject nextWithout(Predicate<JsonObject> marker, Predicate<JsonObject> forbidden) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            JsonObject frame = frames.poll(100, TimeUnit.MILLISECONDS);
            if (frame == null) {
                continue;
            }
            if (forbidden.test(frame)) {
                throw new AssertionError("arrived, but must not have: " + frame.encode());
            }
            if (marker.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("the marker frame did not arrive within 15 s");
    }

    /** Frames of this type (as a predicate for {@link #nextWithout}). */
    public static Predicate<JsonObject> ofType(String type) {
        return frame -> type.equals(frame.getString("type"));
    }

    /** Null if no frame of this type arrives within the time (others are skipped), else that frame. */
    public JsonObject within(String type, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            JsonObject frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null && frame.getString("type").equals(type)) {
                return frame;
            }
        }
        return null;
    }

    public void send(JsonObject frame) throws Exception {
        socket.sendText(frame.encode(), true).get(5, TimeUnit.SECONDS);
    }

    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
}
