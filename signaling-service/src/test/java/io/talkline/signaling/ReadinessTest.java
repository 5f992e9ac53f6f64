package io.talkline.signaling;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.talkline.commons.testing.PrivateRedis;
import io.talkline.commons.testing.ServiceContractTest;

/**
 * Against the real infrastructure: the operations contract of every service, and readiness that
 * follows a dependency — down while Redis is away, up again once it is back. The Redis is one of
 * this class's own, so that stopping it disturbs no other test.
 */
@QuarkusTest
@TestProfile(PrivateRedis.OwnRedis.class)
class ReadinessTest extends ServiceContractTest {

    private static final String REDIS_CHECK = "Redis connection health check";
    private static final PrivateRedis REDIS = PrivateRedis.OF_PROFILE;

    @Override
    protected List<String> readinessChecks() {
        return List.of("Database connections health check", REDIS_CHECK, "Kafka connection health check");
    }

    private static ValidatableResponse readiness() {
        return given().get("/q/health/ready").then();
    }

    @Test
    void notReadyWhileRedisIsAwayAndReadyAgainOnceItIsBack() {
        readiness().statusCode(200).body("checks.find { it.name == '" + REDIS_CHECK + "' }.status", equalTo("UP"));
        REDIS.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> readiness().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == '" + REDIS_CHECK + "' }.status", equalTo("DOWN"))
                    // down for Redis, not for anything else
                    .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP")));
        } finally {
            REDIS.start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> readiness().statusCode(200).body("status", equalTo("UP")));
    }
}
