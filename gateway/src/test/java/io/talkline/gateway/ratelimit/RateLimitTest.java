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
        for (int i = 0; i < 4; i++) {
            given().post("/api/auth/register");
        }
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("gateway_ratelimit_rejected_total{policy=\"auth\"}"));
    }

    /** Last: takes the tests' Redis away, then brings it back. */
    @Test
    @org.junit.jupiter.api.Order(3)
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
