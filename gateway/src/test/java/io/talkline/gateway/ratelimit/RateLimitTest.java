package io.talkline.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.Metrics;
import io.talkline.gateway.security.SecurityAssertions;
import io.talkline.gateway.testing.WebSockets;

/**
 * Against a real Redis of the tests' own; the auth policy is 3 per minute here, and new sockets 30
 * per hour (FakeUpstreams). Redis outages: {@link RedisOutageTest}.
 */
@QuarkusTest
class RateLimitTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void loginIsLimitedPerClientAndSpoofedForwardingHeadersChangeNothing() {
        for (int i = 0; i < 3; i++) {
            // each try claims another address: the peer is not a trusted proxy, so it is ignored
            given().header("X-Forwarded-For", "198.51.100." + i).header("Forwarded", "for=203.0.113." + i)
                    .post("/api/auth/login")
                    .then().statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", Integer.toString(2 - i))
                    .header("RateLimit-Reset", notNullValue());
        }
        SecurityAssertions.hardened(given().header("X-Request-Id", "limited-1").header("X-Forwarded-For", "192.0.2.99")
                .post("/api/auth/login")
                .then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .header("RateLimit-Remaining", "0")
                .body("status", equalTo(429)).body("requestId", equalTo("limited-1")));
        // other routes have their own, larger budget
        given().get("/api/rooms").then().statusCode(200).header("RateLimit-Limit", "120");
    }

    @Test
    void rejectionsAreCounted() {
        double before = Metrics.value("gateway_ratelimit_rejected_total", "policy=auth");
        // register has an auth budget of its own, 3 a minute per client (a cell back every 20 s):
        // three pass, the fourth is refused
        for (int i = 0; i < 3; i++) {
            given().post("/api/auth/register").then().statusCode(200);
        }
        given().post("/api/auth/register").then().statusCode(429);
        assertEquals(before + 1, Metrics.value("gateway_ratelimit_rejected_total", "policy=auth"));
    }

    @Test
    void newSocketsPerAddressAreRefusedBeforeTheUpgrade() throws Exception {
        // from 127.0.0.2: an address of its own, so other tests' sockets do not count
        HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
        URI uri = WebSockets.uri(gateway.getPort(), "/ws/chat");
        int opened = 0;
        HttpResponse<?> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            try {
                WebSockets.close(WebSockets.open(client, uri));
                opened++;
            } catch (CompletionException e) {
                refused = ((WebSocketHandshakeException) e.getCause()).getResponse();
            }
        }
        // 30 an hour here: no cell comes back during the test, so exactly the limit opens
        assertEquals(30, opened, "sockets opened before the first refusal");
        assertTrue(refused != null && refused.statusCode() == 429, "refused with " + refused);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers().toString());
    }
}
