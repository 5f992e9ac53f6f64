package io.talkline.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.talkline.commons.testing.PrivateRedis;

/**
 * Readiness follows Redis: down while it is away (so the load balancer sends no one to an instance
 * without fan-out, presence or revocations), up again once it is back; liveness stays up throughout
 * (nothing to gain from a restart). Against a Redis of the test's own, stopped and started again.
 */
@QuarkusTest
@TestProfile(PrivateRedis.OwnRedis.class)
class RedisOutageReadinessTest {

    static final PrivateRedis REDIS = PrivateRedis.OF_PROFILE;

    @Test
    void readinessIsDownWhileRedisIsAwayAndUpOnceItIsBack() {
        given().get("/q/health/ready").then().statusCode(200);

        REDIS.stop();
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(503).body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP")));
        given().get("/q/health/live").then().statusCode(200);

        REDIS.start();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
    }
}
