package io.talkline.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Readiness follows Mongo, where audit events are kept: DOWN while it is gone, UP again once it is
 * back, without a restart.
 */
@QuarkusTest
@TestProfile(MongoOutageReadinessTest.OwnMongo.class)
class MongoOutageReadinessTest {

    static final PrivateMongo MONGO = new PrivateMongo();
    static final String MONGO_CHECK = "MongoDB connection health check";

    /** This service alone talks to a Mongo of the test's own, so taking it away disturbs no other test. */
    public static class OwnMongo implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StartedMongo.class));
        }
    }

    public static class StartedMongo implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            MONGO.start();
            // the check's ping waits this long for a server (the driver's default is 30 s): the
            // same DOWN, sooner
            return Map.of("quarkus.mongodb.connection-string", MONGO.uri(),
                    "quarkus.mongodb.server-selection-timeout", "2s");
        }

        @Override
        public void stop() {
            MONGO.stop();
        }

        /** After DevstackResource (order 0): its shared-Mongo address is replaced by this one. */
        @Override
        public int order() {
            return 1;
        }
    }

    @ConfigProperty(name = "quarkus.mongodb.connection-string")
    String connectionString;

    @Test
    void notReadyWhileMongoIsAwayAndReadyAgainWhenItIsBack() {
        assertEquals(MONGO.uri(), connectionString, "the service must talk to the test's own Mongo");
        given().get("/q/health/ready").then().statusCode(200).body("checks.status", everyItem(equalTo("UP")));

        MONGO.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == '" + MONGO_CHECK + "' }.status", equalTo("DOWN"))
                    // the cause is named: Redis is still there
                    .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("UP")));
        } finally {
            MONGO.start();
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")).body("checks.status", everyItem(equalTo("UP"))));
    }
}
