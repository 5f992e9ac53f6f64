package io.talkline.commons.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.PrivateRedis;
import io.talkline.commons.testing.TestTokens;

/**
 * While Redis is away, revocations are checked against this instance's copy for the configured
 * grace (here 15 s after the copy was last known complete): a valid token still works and a revoked
 * one is still refused. After it a check cannot be made: a valid token is answered 503 with
 * Retry-After (fail closed), never 401 — a client takes a 401 as "signed out". REST and upgrades alike.
 */
@QuarkusTest
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TokenCheckUnavailableTest.OwnRedis.class, restrictToAnnotatedClass = true)
class TokenCheckUnavailableTest {

    static final PrivateRedis REDIS = new PrivateRedis();
    static final Duration GRACE = Duration.ofSeconds(15);

    public static class OwnRedis implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            REDIS.start();
            return Map.of("quarkus.redis.hosts", REDIS.url(), "platform.auth.revocation-grace", GRACE.toSeconds() + "s");
        }

        @Override
        public void stop() {
            REDIS.stop();
        }
    }

    @Inject
    RevocationMirror mirror;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/probe/socket")
    URI socket;

    private static int upgrade(URI uri, String token) {
        try {
            HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(uri.toString().replace("http", "ws")), new WebSocket.Listener() {
                    }).get(10, TimeUnit.SECONDS).abort();
            return 101;
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException || e.getCause() != null ? e.getCause() : e;
            if (cause instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
            throw new IllegalStateException(e);
        }
    }

    /** Signs a user out everywhere as auth-service does: the not-before key, and its message to every mirror. */
    private void logoutAll(String userId) {
        String key = Revocations.notBeforeKey(userId);
        String value = Long.toString(System.currentTimeMillis() + 1);
        redis.value(String.class).set(key, value, new SetArgs().px(Duration.ofMinutes(5)));
        redis.pubsub(String.class).publish(Revocations.CHANNEL,
                Revocations.message(key, value, Duration.ofMinutes(5).toMillis()));
    }

    private static int me(String token) {
        return given().header("Authorization", "Bearer " + token).get("/probe/me").then().extract().statusCode();
    }

    @Test
    void aRecentCopyAnswersWhileRedisIsAwayThenAValidTokenIsA503AndWorksAgainAfter() {
        String token = TestTokens.token("u-" + System.nanoTime());
        String revokedUser = "u-" + System.nanoTime();
        String revoked = TestTokens.token(revokedUser);
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(mirror::coherent);
        assertEquals(200, me(token));
        logoutAll(revokedUser);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> me(revoked) == 401);

        REDIS.stop();
        long stopped = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !mirror.coherent());
        // within the grace: the copy answers, both ways
        assertEquals(200, me(token));
        assertEquals(401, me(revoked));
        assertEquals(101, upgrade(socket, token));
        assertTrue(Duration.ofNanos(System.nanoTime() - stopped).compareTo(GRACE) < 0, "the grace was over before the checks");

        // after it: fail closed, a 503 the client retries, never a 401
        Awaitility.await().atMost(GRACE.plusSeconds(10)).until(() -> me(token) == 503);
        given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("status", equalTo(503));
        assertEquals(503, upgrade(socket, token));
        // a token that is no token at all is still a 401: that needs no Redis to tell
        given().header("Authorization", "Bearer not-a-token").get("/probe/me").then().statusCode(401);

        REDIS.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> me(token) == 200);
        assertEquals(101, upgrade(socket, token));
    }

    @Test
    void aSilentRedisCostsARequestAtMostTheCheckTimeoutNeverAHang() {
        String token = TestTokens.token("u-" + System.nanoTime());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(mirror::coherent);
        REDIS.silence();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !mirror.coherent());
            // each answer within the 2 s check timeout (and some): the copy while it is recent, then 503
            Awaitility.await().atMost(GRACE.plusSeconds(15)).until(() -> {
                long start = System.nanoTime();
                int status = me(token);
                assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 4_000, "a check hung");
                assertTrue(status == 200 || status == 503, "answered " + status);
                return status == 503;
            });
            given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(503)
                    .header("Retry-After", notNullValue());
        } finally {
            REDIS.wake();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> me(token) == 200);
    }

    @Test
    void aRedisThatHoldsItsWritesIsNotTakenForADeadSubscription() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(mirror::coherent);
        String before = ownPubSubConnection();
        // PUBLISH waits while Redis holds writes, as a heartbeat waits behind a busy instance's frames:
        // nothing comes back for a while, yet the connection is alive and must be kept
        redis.execute("CLIENT", "PAUSE", "8000", "WRITE");
        Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> !mirror.coherent());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(mirror::coherent);
        assertEquals(before, ownPubSubConnection(), "the pub/sub connection was dropped and opened again");
    }

    /** CLIENT LIST's entry of this process's pub/sub connection, by its id and address. */
    private String ownPubSubConnection() {
        String name = "-pubsub-" + ProcessHandle.current().pid() + " ";
        String found = null;
        for (String client : redis.execute("CLIENT", "LIST", "TYPE", "pubsub").toString().split("\n")) {
            if (client.contains(name)) {
                assertEquals(null, found, "two pub/sub connections of this process");
                found = client.substring(0, client.indexOf(" laddr="));
            }
        }
        assertTrue(found != null, "no pub/sub connection of this process");
        return found;
    }
}
