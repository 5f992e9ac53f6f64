package io.talkline.media;

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
 * Readiness follows object storage (StorageHealth): DOWN while the S3 server is gone — uploads
 * would fail — UP again once it is back, without a restart.
 */
@QuarkusTest
@TestProfile(StorageOutageReadinessTest.OwnS3.class)
class StorageOutageReadinessTest {

    static final PrivateS3 S3 = new PrivateS3();
    static final String STORAGE_CHECK = "object storage";

    /** This service alone talks to an S3 server of the test's own, so taking it away disturbs no other test. */
    public static class OwnS3 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StartedS3.class));
        }
    }

    public static class StartedS3 implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            S3.start();
            return Map.of("quarkus.minio.port", Integer.toString(S3.port()));
        }

        @Override
        public void stop() {
            S3.stop();
        }

        /** After DevstackResource (order 0), like every override of where a dependency is. */
        @Override
        public int order() {
            return 1;
        }
    }

    @ConfigProperty(name = "quarkus.minio.port")
    int storagePort;

    @Test
    void notReadyWhileObjectStorageIsAwayAndReadyAgainWhenItIsBack() {
        assertEquals(S3.port(), storagePort, "the service must talk to the test's own S3 server");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == '" + STORAGE_CHECK + "' }.data.state", equalTo("present"))
                .body("checks.status", everyItem(equalTo("UP")));

        S3.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready").then()
                    .statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == '" + STORAGE_CHECK + "' }.status", equalTo("DOWN"))
                    // the cause is named: the database is still there
                    .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP")));
        } finally {
            S3.start();
        }

        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200).body("status", equalTo("UP")).body("checks.status", everyItem(equalTo("UP"))));
    }
}
