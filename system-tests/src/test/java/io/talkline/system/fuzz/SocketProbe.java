package io.talkline.system.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.talkline.system.fuzz.FrameCases.Expect;
import io.talkline.system.fuzz.FrameCases.FrameCase;
import io.talkline.system.fuzz.FrameCases.Part;
import io.vertx.core.json.JsonObject;

/**
 * One socket (/ws/chat or /ws/signal) under fuzzing. After each case a {@code ping} marker follows:
 * frames are handled in order, so everything the case caused has arrived once the marker's
 * {@code pong} has — no fixed sleeps, and a silent server shows as a missing error frame.
 */
final class SocketProbe implements AutoCloseable {

    /** Codes of api.md's error frames; {@code internal} is among them but always a failure. */
    static final Set<String> CODES = Set.of("bad_request", "unauthorized", "not_found", "forbidden", "busy", "too_large",
            "rate_limited", "internal");
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    private final URI uri;
    private final HttpClient http = HttpClient.newHttpClient();
    private Connection connection;
    /** What the last case received (for replays), and how its socket ended, if it did. */
    private String lastSeen = "";

    /** One WebSocket connection and what it received. */
    private static final class Connection implements WebSocket.Listener {
        final List<JsonObject> frames = new CopyOnWriteArrayList<>();
        final List<String> notJson = new CopyOnWriteArrayList<>();
        final AtomicInteger pongs = new AtomicInteger();
        final AtomicReference<String> closed = new AtomicReference<>();
        final AtomicInteger closeCode = new AtomicInteger(-1);
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** Whether the server has answered rate_limited on this connection. */
        boolean rateLimited;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonObject frame = new JsonObject(text);
                    frames.add(frame);
                    if ("pong".equals(frame.getString("type"))) {
                        pongs.incrementAndGet();
                    } else if ("ready".equals(frame.getString("type"))) {
                        ready.complete(null);
                    }
                } catch (RuntimeException e) {
                    notJson.add(Report.clip(text, 80));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            notJson.add("a binary frame");
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.set(statusCode);
            closed.compareAndSet(null, "closed with " + statusCode + (reason.isEmpty() ? "" : " (" + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.compareAndSet(null, "dropped without a close frame: " + error);
        }

        boolean isClosed() {
            return closed.get() != null;
        }
    }

    SocketProbe(URI uri) {
        this.uri = uri;
    }

    /** Sends one case and judges what came back; the problems found (empty: none). */
    List<String> run(FrameCase c) {
        List<String> wrong = new ArrayList<>();
        if (connection == null || connection.isClosed()) {
            String refused = connect();
            if (refused != null) {
                return List.of(refused);
            }
        }
        Connection socket = connection;
        int mark = socket.frames.size();
        int pongsBefore = socket.pongs.get();
        for (Part part : c.parts()) {
            try {
                CompletableFuture<WebSocket> sent = part.text() != null ? socket.socket.sendText(part.text(), part.last())
                        : socket.socket.sendBinary(part.binary(), part.last());
                sent.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the server may close while a large frame is still being written: judged by the close below
                if (c.expect() != Expect.TOO_LARGE) {
                    wrong.add("could not send: " + e);
                }
                break;
            }
        }
        if (c.pings() > 0 || c.expect() == Expect.REPLY) {
            await(() -> socket.isClosed() || socket.pongs.get() >= pongsBefore + c.pings() || hasError(socket, mark));
        } else if (c.expect() == Expect.TOO_LARGE) {
            // reading 1.5 MiB on a busy machine takes a while: its verdict first (the frame is a ping, if let in)
            await(() -> socket.isClosed() || socket.pongs.get() > pongsBefore || hasError(socket, mark));
        }
        boolean markerAnswered = false;
        if (!socket.isClosed()) {
            int target = socket.pongs.get() + 1;
            int markerMark = socket.frames.size();
            try {
                socket.socket.sendText("{\"type\":\"ping\"}", true).get(10, TimeUnit.SECONDS);
                markerAnswered = await(() -> socket.isClosed() || socket.pongs.get() >= target
                        || hasCode(errorsSince(socket, markerMark), "rate_limited")) && !socket.isClosed();
            } catch (Exception e) {
                wrong.add("marker ping not sent: " + e);
            }
        }

        List<JsonObject> seen = List.copyOf(socket.frames);
        lastSeen = seen.subList(mark, seen.size()) + (socket.isClosed() ? " then " + socket.closed.get() : "");
        List<JsonObject> errors = errorsSince(socket, mark);
        for (JsonObject error : errors) {
            Object code = error.getValue("code");
            if (!(code instanceof String) || !CODES.contains(code)) {
                wrong.add("error frame with code " + code + " (not in api.md)");
            } else if (code.equals("internal")) {
                wrong.add("error frame internal: " + Report.clip(String.valueOf(error.getValue("message")), 80));
            }
        }
        if (!socket.notJson.isEmpty()) {
            wrong.add("server sent a frame that is no JSON object: " + socket.notJson);
            socket.notJson.clear();
        }
        // a server may budget frames: rate_limited answers any case, and a close with 1008 may follow it
        boolean rateLimited = hasCode(errors, "rate_limited");
        socket.rateLimited |= rateLimited;
        boolean tooLarge = hasCode(errors, "too_large") || socket.closeCode.get() == 1009;
        boolean fairClose = c.expect() == Expect.TOO_LARGE && socket.closeCode.get() == 1009
                || socket.rateLimited && socket.closeCode.get() == 1008;
        if (socket.isClosed() && !fairClose) {
            wrong.add("socket " + socket.closed.get());
        } else if (!socket.isClosed() && !markerAnswered) {
            wrong.add("no pong to the marker ping within " + ANSWER_WITHIN.toSeconds() + " s");
        }
        if (rateLimited && c.expect() != Expect.TOO_LARGE) {
            return wrong;
        }
        int pongsOfCase = socket.pongs.get() - pongsBefore - (markerAnswered ? 1 : 0);
        switch (c.expect()) {
            case ERROR -> {
                if (errors.isEmpty()) {
                    wrong.add("no error frame");
                }
            }
            case TOO_LARGE -> {
                if (!tooLarge) {
                    wrong.add("oversized frame answered with neither error too_large nor close 1009"
                            + (errors.isEmpty() ? "" : " but " + errors.getFirst().getValue("code")));
                }
            }
            case PONG -> {
                if (pongsOfCase < c.pings()) {
                    wrong.add("no pong" + (errors.isEmpty() ? "" : " but error " + errors.getFirst().getValue("code")));
                }
            }
            case REPLY -> {
                if (pongsOfCase < c.pings() && errors.isEmpty()) {
                    wrong.add("neither pong nor error frame");
                }
            }
            case ANY -> {
            }
        }
        return wrong;
    }

    String lastSeen() {
        return lastSeen;
    }

    /** Null once open and greeted with ready; else why not. */
    private String connect() {
        close();
        Connection fresh = new Connection();
        try {
            fresh.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, fresh)
                    .get(15, TimeUnit.SECONDS);
            fresh.ready.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "could not (re)connect the socket: " + e;
        }
        connection = fresh;
        return null;
    }

    private static boolean hasError(Connection socket, int mark) {
        return !errorsSince(socket, mark).isEmpty();
    }

    private static boolean hasCode(List<JsonObject> errors, String code) {
        return errors.stream().anyMatch(e -> code.equals(e.getValue("code")));
    }

    /** A copy first: frames keep arriving (presence, typing of others) while the case is judged. */
    private static List<JsonObject> errorsSince(Connection socket, int mark) {
        List<JsonObject> frames = List.copyOf(socket.frames);
        return frames.subList(mark, frames.size()).stream().filter(f -> "error".equals(f.getString("type"))).toList();
    }

    private static boolean await(BooleanSupplier condition) {
        try {
            Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                    .atMost(ANSWER_WITHIN).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (connection != null && !connection.isClosed()) {
            connection.socket.abort();
        }
        connection = null;
    }
}
