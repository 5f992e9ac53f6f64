package io.talkline.signaling.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TestTokens;
import io.talkline.signaling.SignalSockets;
import io.vertx.core.json.JsonObject;

/** A socket takes a refreshed token of its own user (extension: {@code auth {token}}), nobody else's. */
@QuarkusTest
class AuthFrameTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aFreshTokenOfTheSameUserIsTakenOthersAreRefused() throws Exception {
        String userId = UUID.randomUUID().toString();
        FrameClient socket = FrameClient.connect(base, "/ws/signal", TestTokens.token(userId));
        assertEquals(userId, socket.next("ready").getString("userId"));

        socket.send(new JsonObject().put("type", "auth").put("token", TestTokens.token(userId)));
        socket.next("auth.ok");

        socket.send(new JsonObject().put("type", "auth").put("token", TestTokens.token(UUID.randomUUID().toString())));
        assertEquals("forbidden", socket.next("error").getString("code"));
        socket.send(new JsonObject().put("type", "auth").put("token", "not.a.token"));
        assertEquals("unauthorized", socket.next("error").getString("code"));
        socket.send(new JsonObject().put("type", "auth"));
        assertEquals("bad_request", socket.next("error").getString("code"));
        // and the socket is still there
        socket.send(new JsonObject().put("type", "ping"));
        socket.next("pong");
    }

    @Test
    void relayingIntoACallOneIsNotInIsRefusedAsNotFound() throws Exception {
        FrameClient socket = SignalSockets.open(base, TestTokens.token(UUID.randomUUID().toString()));
        socket.send(new JsonObject().put("type", "signal.offer").put("callId", UUID.randomUUID().toString())
                .put("to", "someone").put("sdp", "v=0"));
        JsonObject error = socket.next("error");
        assertEquals("not_found", error.getString("code"));
        assertEquals("signal.offer", error.getString("ref"));
        socket.send(new JsonObject().put("type", "call.media").put("callId", "x").put("audio", true).put("video", true));
        assertEquals("not_found", socket.next("error").getString("code"));
    }
}
