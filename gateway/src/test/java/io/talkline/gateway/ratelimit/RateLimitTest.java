package io.talkline.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.gateway.routing.FakeUpstreams;
import io.talkline.gateway.security.SecurityAssertions;

/** Against a real Redis of the tests' own; the auth policy is 3 per minute here. */
@QuarkusTest
@QuarkusTestResource(FakeUpstreams.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class RateLimitTest {

    @Test
    @org.junit.jupiter.api.Order(1)
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
    @org.junit.jupiter.api.Order(2)
    void rejectionsAreCounted() {
        double before = rejected("auth");
        // register has an auth budget of its own, 3 a minute per client: the fourth try at the latest
        // is refused, and once one is refused the rest are too
        int refused = 0;
        for (int i = 0; i < 4; i++) {
            int status = given().post("/api/auth/register").then().extract().statusCode();
            if (refused > 0 || i == 3) {
                org.junit.jupiter.api.Assertions.assertEquals(429, status, "try " + i);
            }
            refused += status == 429 ? 1 : 0;
        }
        double after = rejected("auth");
        org.junit.jupiter.api.Assertions.assertTrue(after - before >= refused,
                "counted " + (after - before) + " rejections for " + refused + " 429s");
    }

    /** The value of {@code gateway_ratelimit_rejected_total} for one policy; 0 before the first rejection. */
    static double rejected(String policy) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher line = java.util.regex.Pattern
                .compile("(?m)^gateway_ratelimit_rejected_total\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (line.find()) {
            if (line.group(1).matches("(.*,)?policy=\"" + policy + "\"(,.*)?")) {
                return Double.parseDouble(line.group(2));
            }
        }
        return 0;
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void newSocketsPerAddressAreRefusedBeforeTheUpgrade() throws Exception {
        // from 127.0.0.2: an address of its own, so other tests' sockets do not count
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .localAddress(java.net.InetAddress.getByName("127.0.0.2")).build();
        java.net.URI uri = java.net.URI.create("ws://127.0.0.1:" + gateway.getPort() + "/ws/chat");
        int opened = 0;
        java.net.http.WebSocketHandshakeException refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            try {
                client.newWebSocketBuilder().buildAsync(uri, new java.net.http.WebSocket.Listener() {
                }).join().sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
                opened++;
            } catch (java.util.concurrent.CompletionException e) {
                refused = (java.net.http.WebSocketHandshakeException) e.getCause();
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(30, opened, "the websocket policy allows 30 new sockets a minute");
        org.junit.jupiter.api.Assertions.assertNotNull(refused);
        org.junit.jupiter.api.Assertions.assertEquals(429, refused.getResponse().statusCode());
        org.junit.jupiter.api.Assertions.assertTrue(refused.getResponse().headers().firstValue("Retry-After").isPresent());
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL gateway;

    /** Last: takes the tests' Redis away, then brings it back. */
    @Test
    @org.junit.jupiter.api.Order(4)
    void redisDownFailsOpenToTheLocalLimiterAndIsMeasured() {
        FakeUpstreams.stopRedis();
        try {
            for (int i = 0; i < 5; i++) {
                given().get("/api/rooms").then().statusCode(200).header("RateLimit-Limit", "120");
            }
            given().get("/q/metrics").then()
                    .body(org.hamcrest.Matchers.containsString("gateway_ratelimit_redis_up 0.0"))
                    .body(org.hamcrest.Matchers.matchesRegex("(?s).*gateway_ratelimit_fallback_total [1-9].*"));
        } finally {
            FakeUpstreams.startRedis();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            given().get("/api/rooms").then().statusCode(200);
            given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("gateway_ratelimit_redis_up 1.0"));
        });
    }
}
