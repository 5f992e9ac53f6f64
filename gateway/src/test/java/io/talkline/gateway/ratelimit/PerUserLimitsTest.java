package io.talkline.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.gateway.routing.FakeUpstreams;

/** With a verified token the caller is counted as themself: authenticated limit 5, 2 open sockets here. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
class PerUserLimitsTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void eachUserHasTheirOwnBudgetFromTheSameAddress() {
        String alice = FakeUpstreams.token("alice-" + UUID.randomUUID());
        String bob = FakeUpstreams.token("bob-" + UUID.randomUUID());
        for (int i = 0; i < 5; i++) {
            given().header("Authorization", "Bearer " + alice).get("/api/rooms").then().statusCode(200)
                    .header("RateLimit-Limit", "5");
        }
        given().header("Authorization", "Bearer " + alice).get("/api/rooms").then().statusCode(429);
        given().header("Authorization", "Bearer " + bob).get("/api/rooms").then().statusCode(200).header("RateLimit-Limit",
                "5");
    }

    @Test
    void anInvalidTokenIsCountedAsAnonymous() {
        given().header("Authorization", "Bearer not.a.token").get("/api/rooms").then().statusCode(200)
                .header("RateLimit-Limit", "120");
    }

    @Test
    void openSocketsPerUserAreCappedAcrossTheTunnelAndFreedOnClose() throws Exception {
        String token = FakeUpstreams.token("carol-" + UUID.randomUUID());
        URI uri = URI.create("ws://127.0.0.1:" + gateway.getPort() + "/ws/chat?access_token=" + token);
        HttpClient client = HttpClient.newHttpClient();
        WebSocket first = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
        }).get(10, TimeUnit.SECONDS);
        WebSocket second = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
        }).get(10, TimeUnit.SECONDS);
        try {
            client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            }).orTimeout(10, TimeUnit.SECONDS).join();
            throw new AssertionError("a third socket was admitted");
        } catch (CompletionException refused) {
            assertEquals(429, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        }
        first.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        // the lease is released when the tunnel has closed: a moment after the close frame
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            WebSocket third = client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            }).get(10, TimeUnit.SECONDS);
            third.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        });
        second.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }
}
