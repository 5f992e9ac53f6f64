package io.talkline.commons.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.json.JsonObject;

/**
 * The transport part of both WebSockets (api.md): ping is answered, a bad frame gets an error frame
 * with a contract code, and the socket stays open through all of it.
 */
public abstract class SocketFramesContractTest {

    @TestHTTPResource("/")
    URL base;

    protected abstract String socketPath();

    /** A token for sockets that need one (sent as ?access_token=); their greeting frame is skipped. */
    protected String accessToken() {
        return null;
    }

    /** The frame type a socket greets with once open (e.g. "ready"), or null. */
    protected String greeting() {
        return null;
    }

    @Test
    void pingIsAnsweredAndBadFramesGetErrorsWithoutClosingTheSocket() throws Exception {
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://" + base.getHost() + ":" + base.getPort() + socketPath()
                        + (accessToken() == null ? "" : "?access_token=" + accessToken())),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                frames.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);

        if (greeting() != null) {
            assertEquals(greeting(), next(frames).getString("type"));
        }
        socket.sendText("{\"type\":\"ping\"}", true).get();
        assertEquals("pong", next(frames).getString("type"));

        socket.sendText("this is not json", true).get();
        JsonObject error = next(frames);
        assertEquals("error", error.getString("type"));
        assertEquals("bad_request", error.getString("code"));

        socket.sendText("{\"type\":\"no.such.event\"}", true).get();
        assertEquals("bad_request", next(frames).getString("code"));

        socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}", true).get();
        assertEquals("too_large", next(frames).getString("code"));

        // still open after every bad frame
        socket.sendText("{\"type\":\"ping\"}", true).get();
        assertEquals("pong", next(frames).getString("type"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get();
    }

    private static JsonObject next(BlockingQueue<String> frames) throws InterruptedException {
        String frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return new JsonObject(frame);
    }
}
