package io.talkline.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.talkline.commons.testing.PrivateRedis;

/**
 * Readiness follows Redis: DOWN while the service's Redis is gone (a load balancer stops sending
 * it logins it could not throttle nor revoke), UP again once Redis is back, without a restart.
 */
@QuarkusTest
@TestProfile(PrivateRedis.OwnRedis.class)
class RedisOutageReadinessTest {

    static final PrivateRedis REDIS = PrivateRedis.OF_PROFILE;
    static final String REDIS_CHECK = "Redis connection health check";

    @Test
    void notReadyWhileRedisIsAwayAndReadyAgainWhenItIsBack() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.status", everyItem(equalTo("UP")));

        REDIS.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == '" + REDIS_CHECK + "' }.status", equalTo("DOWN"))
                    // the cause is named: the database is still there
                    .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP")));
        } finally {
            REDIS.start();
        }

        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")).body("checks.status", everyItem(equalTo("UP"))));
    }
}
