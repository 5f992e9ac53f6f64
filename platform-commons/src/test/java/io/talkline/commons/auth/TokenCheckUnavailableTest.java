package io.talkline.commons.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.PrivateRedis;
import io.talkline.commons.testing.TestTokens;

/**
 * While Redis is away a revocation check cannot be made: a valid token is then answered 503 with
 * Retry-After (fail closed), never 401 — a client takes a 401 as "signed out". REST and upgrades alike.
 */
@QuarkusTest
@QuarkusTestResource(value = TestTokens.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TokenCheckUnavailableTest.OwnRedis.class, restrictToAnnotatedClass = true)
class TokenCheckUnavailableTest {

    static final PrivateRedis REDIS = new PrivateRedis();

    public static class OwnRedis implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            REDIS.start();
            return Map.of("quarkus.redis.hosts", REDIS.url());
        }

        @Override
        public void stop() {
            REDIS.stop();
        }
    }

    @Inject
    RevocationMirror mirror;

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

    @Test
    void aValidTokenIsA503WhileRevocationsCannotBeReadAndWorksAgainAfter() {
        String token = TestTokens.token("u-" + System.nanoTime());
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(mirror::coherent);
        given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(200);

        REDIS.stop();
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !mirror.coherent());
        given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("status", equalTo(503));
        assertEquals(503, upgrade(socket, token));
        // a token that is no token at all is still a 401: that needs no Redis to tell
        given().header("Authorization", "Bearer not-a-token").get("/probe/me").then().statusCode(401);

        REDIS.start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(200));
        assertEquals(101, upgrade(socket, token));
    }

    @Test
    void aSilentRedisIsA503TooNotAHang() {
        String token = TestTokens.token("u-" + System.nanoTime());
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(mirror::coherent);
        REDIS.silence();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !mirror.coherent());
            given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(503)
                    .header("Retry-After", notNullValue());
        } finally {
            REDIS.wake();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> given().header("Authorization", "Bearer " + token).get("/probe/me").then().statusCode(200));
    }
}
