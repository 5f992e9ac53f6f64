package io.talkline.commons.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.json.JsonObject;

/**
 * The transport part of both WebSockets (api.md): ping is answered, a bad frame gets an error frame
 * with a contract code, and the socket stays open through all of it; a flood is refused and then
 * closed (1008); a socket ends with its token (4401) unless the client sends a fresh one. The
 * service's tests configure a token grace of about a second.
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
        FrameClient client = accessToken() == null
                ? FrameClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + socketPath()))
                : FrameClient.connect(base, socketPath(), accessToken());
        WebSocket socket = client.socket();
        if (greeting() != null) {
            assertEquals(greeting(), client.nextFrame().getString("type"));
        }
        // each answer is the very next frame: nothing else is sent on a socket of its own
        socket.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
        assertEquals("pong", client.nextFrame().getString("type"));

        socket.sendText("this is not json", true).get(5, TimeUnit.SECONDS);
        JsonObject error = client.nextFrame();
        assertEquals("error", error.getString("type"));
        assertEquals("bad_request", error.getString("code"));

        socket.sendText("{\"type\":\"no.such.event\"}", true).get(5, TimeUnit.SECONDS);
        assertEquals("bad_request", client.nextFrame().getString("code"));

        socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}", true).get(5, TimeUnit.SECONDS);
        assertEquals("too_large", client.nextFrame().getString("code"));

        // still open after every bad frame
        socket.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
        assertEquals("pong", client.nextFrame().getString("type"));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aClientOfferingCompressionGetsNone() throws Exception {
        // every browser offers it; a socket that took it would hold a zlib context of its own (ADR 0032)
        String answer = RawSocket.handshakeAnswer(base, socketPath(), accessToken(),
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 101"), answer);
        assertFalse(answer.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"), answer);
    }

    private FrameClient open(String token) throws Exception {
        FrameClient client = FrameClient.connect(base, socketPath(), token);
        if (greeting() != null) {
            client.next(greeting());
        }
        return client;
    }

    @Test
    void aBinaryFrameGetsBadRequestAndTheSocketStaysOpen() throws Exception {
        FrameClient client = open(TestTokens.token(UUID.randomUUID().toString()));
        client.socket().sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).get(5, TimeUnit.SECONDS);
        JsonObject error = client.next("error");
        assertEquals("bad_request", error.getString("code"));
        assertTrue(error.getString("message").contains("binary"), error.encode());
        client.send(new JsonObject().put("type", "ping"));
        client.next("pong");
        assertFalse(client.closed().isDone());
    }

    @Test
    void aFrameOfMegabytesGetsTooLargeAndClosesWith1009NeverAnInternalError() throws Exception {
        FrameClient client = open(TestTokens.token(UUID.randomUUID().toString()));
        client.socket().sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1_500_000) + "\"}", true).get(10,
                TimeUnit.SECONDS);
        assertEquals("too_large", client.next("error").getString("code"));
        assertEquals(1009, client.closed().get(10, TimeUnit.SECONDS));
    }

    /** Frames that each get one answer (an error: no such frame type), to spend a budget with. */
    private static void spend(FrameClient client, int frames) throws Exception {
        for (int i = 0; i < frames && !client.closed().isDone(); i++) {
            try {
                client.send(new JsonObject().put("type", "no.such.frame"));
            } catch (ExecutionException e) {
                return; // closed by the server meanwhile
            }
        }
    }

    @Test
    void aFloodIsRateLimitedThenClosedWith1008AndOthersAreNotHeldUp() throws Exception {
        FrameClient flood = open(TestTokens.token(UUID.randomUUID().toString()));
        FrameClient other = open(TestTokens.token(UUID.randomUUID().toString()));
        spend(flood, 400);
        JsonObject limited = flood.next("error", e -> "rate_limited".equals(e.getString("code")));
        assertEquals("no.such.frame", limited.getString("ref"));
        assertEquals(1008, flood.closed().get(15, TimeUnit.SECONDS));
        // another user's socket is not affected
        other.send(new JsonObject().put("type", "ping"));
        other.next("pong");
        assertFalse(other.closed().isDone());
    }

    @Test
    void theSocketsOfOneUserShareABudget() throws Exception {
        String userId = UUID.randomUUID().toString();
        FrameClient first = open(TestTokens.token(userId));
        FrameClient second = open(TestTokens.token(userId));
        FrameClient third = open(TestTokens.token(userId));
        // each socket stays within its own budget (60 at once), together they do not (120)
        for (FrameClient client : new FrameClient[] { first, second }) {
            spend(client, 55);
            for (int i = 0; i < 55; i++) {
                assertEquals("bad_request", client.next("error").getString("code"));
            }
        }
        spend(third, 55);
        third.next("error", e -> "rate_limited".equals(e.getString("code")));
    }

    @Test
    void aSocketIsClosedWith4401WhenItsTokenExpiresUnlessTheClientSentAFreshOne() throws Exception {
        String userId = UUID.randomUUID().toString();
        FrameClient stale = open(TestTokens.shortLived(userId, Duration.ofSeconds(2)));
        FrameClient renewed = open(TestTokens.shortLived(userId, Duration.ofSeconds(2)));
        renewed.send(new JsonObject().put("type", "auth").put("token", TestTokens.token(userId)));
        assertTrue(renewed.next("auth.ok").containsKey("expiresAt"));
        // somebody else's token, or none that verifies, is refused and changes nothing
        renewed.send(new JsonObject().put("type", "auth").put("token", TestTokens.token(UUID.randomUUID().toString())));
        assertEquals("forbidden", renewed.next("error").getString("code"));
        renewed.send(new JsonObject().put("type", "auth").put("token", "not.a.token"));
        assertEquals("unauthorized", renewed.next("error").getString("code"));

        assertEquals(4401, stale.closed().get(20, TimeUnit.SECONDS));
        renewed.send(new JsonObject().put("type", "ping"));
        renewed.next("pong");
        assertFalse(renewed.closed().isDone());
    }
}
