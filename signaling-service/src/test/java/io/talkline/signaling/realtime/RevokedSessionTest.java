package io.talkline.signaling.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.auth.Revocations;
import io.talkline.commons.realtime.LiveSocket;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TestTokens;
import io.talkline.signaling.SignalSockets;
import io.vertx.core.json.JsonObject;

/** A revoked session loses its sockets at once (4401), not at its token's expiry; the user's other sessions keep theirs. */
@QuarkusTest
class RevokedSessionTest {

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aSocketOfARevokedSessionIsClosedWith4401() throws Exception {
        String userId = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        // both tokens are good for 15 minutes: only the revocation can close the socket within the test
        FrameClient revoked = SignalSockets.open(base, TestTokens.sessionToken(userId, session));
        FrameClient other = SignalSockets.open(base, TestTokens.token(userId));

        // what auth-service writes on logout or session end: the key, and the message for mirrors
        String key = Revocations.sessionKey(session);
        redis.value(String.class).setex(key, 60, "1");
        redis.execute("PUBLISH", Revocations.CHANNEL, Revocations.message(key, "1", 60_000));
        // signaling.socket.revocation-check is 500 ms in the tests
        assertEquals(LiveSocket.REVOKED, revoked.closed().get(10, TimeUnit.SECONDS));

        // the round of checks that closed it looked at the other session's socket too, and left it open
        other.send(new JsonObject().put("type", "ping"));
        other.next("pong");
        assertFalse(other.closed().isDone());
    }
}
