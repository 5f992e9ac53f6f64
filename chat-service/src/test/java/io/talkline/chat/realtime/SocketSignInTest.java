package io.talkline.chat.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.talkline.commons.auth.Revocations;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TestTokens;
import io.vertx.core.json.JsonObject;

/**
 * The socket signs in on its upgrade (SocketSignIn, ADR 0034): each way api.md gives the token,
 * a problem document for a refusal, and nothing of the upgrade kept for the socket's life.
 */
@QuarkusTest
class SocketSignInTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource redis;

    private URI chat(String query) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + ChatSocket.PATH + query);
    }

    private static RequestSpecification upgrade() {
        return given().header("Upgrade", "websocket").header("Connection", "Upgrade")
                .header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }

    @Test
    void theTokenSignsTheSocketInFromTheHeaderTheQueryOrTheSubprotocol() throws Exception {
        String userId = UUID.randomUUID().toString();
        String token = TestTokens.token(userId);
        try (FrameClient header = FrameClient.connect(chat(""), Map.of("Authorization", "Bearer " + token));
                FrameClient query = FrameClient.connect(chat("?access_token=" + token));
                FrameClient subprotocol = FrameClient.connect(chat(""), Map.of(), List.of("bearer", token))) {
            for (FrameClient socket : List.of(header, query, subprotocol)) {
                assertEquals(userId, socket.next("ready").getString("userId"));
                socket.send(new JsonObject().put("type", "ping"));
                socket.next("pong");
            }
        }
    }

    @Test
    void anUpgradeWithoutAUsableTokenIsAProblemWithABearerChallenge() {
        String session = UUID.randomUUID().toString();
        String revoked = TestTokens.sessionToken(UUID.randomUUID().toString(), session);
        String key = Revocations.sessionKey(session);
        redis.value(String.class).setex(key, 60, "1");
        redis.pubsub(String.class).publish(Revocations.CHANNEL, Revocations.message(key, "1", 60_000));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> upgrade()
                .header("Authorization", "Bearer " + revoked).get(ChatSocket.PATH).then().statusCode(401));

        for (RequestSpecification refused : List.of(upgrade(), upgrade().header("Authorization", "Bearer not-a-token"),
                upgrade().queryParam("access_token", "not-a-token"),
                upgrade().header("Authorization", "Bearer " + revoked))) {
            refused.get(ChatSocket.PATH).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                    .contentType("application/problem+json").body("status", equalTo(401));
        }
    }

    @Test
    void anOpenSocketDoesNotKeepItsUpgradesRoutingContext() throws Exception {
        UpgradeWitness.UPGRADES.clear();
        List<FrameClient> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                FrameClient socket = FrameClient.connect(base, ChatSocket.PATH,
                        TestTokens.token(UUID.randomUUID().toString()));
                socket.next("ready");
                sockets.add(socket);
            }
            assertEquals(3, UpgradeWitness.UPGRADES.size());
            // the request, its identity and the deferred identity's pipeline go with the context
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return UpgradeWitness.UPGRADES.stream().allMatch(upgrade -> upgrade.get() == null);
            });
            for (FrameClient socket : sockets) {
                socket.send(new JsonObject().put("type", "ping"));
                socket.next("pong");
                assertFalse(socket.closed().isDone());
            }
        } finally {
            sockets.forEach(FrameClient::close);
        }
    }
}
