package io.talkline.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.gateway.routing.FakeUpstreams;
import io.talkline.gateway.testing.WebSockets;

/**
 * With a verified token the caller is counted as themself: authenticated limit 5, 2 open sockets here.
 * The socket cap across replicas and lease expiry: {@link SocketLeasesAcrossReplicasTest}.
 */
@QuarkusTest
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
    void openSocketsPerUserAreCappedAcrossTheTunnelAndFreedOnClose() {
        String token = FakeUpstreams.token("carol-" + UUID.randomUUID());
        URI uri = WebSockets.uri(gateway.getPort(), "/ws/chat?access_token=" + token);
        HttpClient client = HttpClient.newHttpClient();
        WebSocket first = WebSockets.open(client, uri);
        WebSocket second = WebSockets.open(client, uri);
        assertEquals(429, WebSockets.refused(client, uri).statusCode(), "a third socket");
        WebSockets.close(first);
        // the lease is released when the tunnel has closed: a moment after the close frame
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> WebSockets.close(WebSockets.open(client, uri)));
        WebSockets.close(second);
    }
}
