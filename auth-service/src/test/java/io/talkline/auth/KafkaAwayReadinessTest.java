package io.talkline.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.commons.health.KafkaDeliveryHealth;
import io.talkline.commons.testing.FreePorts;
import io.talkline.devstack.Infra;

/**
 * Kafka away does not take auth-service out of rotation (ADR 0018): registration and login still
 * work (their audit events wait in the outbox), readiness stays UP and the Kafka check says
 * {@code degraded}. Kafka is away for this service only: it is pointed at a port where nothing
 * listens, and the Kafka other tests share keeps running.
 */
@QuarkusTest
@TestProfile(KafkaAwayReadinessTest.KafkaAway.class)
class KafkaAwayReadinessTest {

    private static final String KAFKA = "checks.find { it.name == '" + KafkaDeliveryHealth.NAME + "' }";

    @Test
    void readyAndLoggingInWhileKafkaIsAway() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));

        TestUser user = TestUser.register();
        assertThat(user.login().getString("accessToken"), notNullValue());

        // the audit events of both wait in the outbox, and say so without taking readiness down
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")).body(KAFKA + ".status", equalTo("UP"))
                .body(KAFKA + ".data.state", equalTo("degraded")).body(KAFKA + ".data.outboxBacklog", greaterThan(0)));
        user.login();
    }

    public static class KafkaAway implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NothingListens.class));
        }
    }

    public static class NothingListens implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("kafka.bootstrap.servers", Infra.HOST + ":" + FreePorts.any());
        }

        @Override
        public void stop() {
        }

        /** After the module's resources (DevstackResource): this address replaces the shared Kafka's. */
        @Override
        public int order() {
            return Integer.MAX_VALUE;
        }
    }
}
