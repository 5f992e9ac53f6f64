package io.talkline.chat.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.arc.shutdown.ArcShutdownListener;
import io.quarkus.smallrye.health.runtime.ShutdownReadinessListener;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;

/**
 * SIGTERM (platform-commons Draining, quarkus.shutdown.delay): readiness goes down, every socket
 * is closed with 1012 so that its client reconnects elsewhere, new upgrades get 503 with
 * Retry-After, and REST is still served while the delay runs. The test runs the first phase of
 * Quarkus's shutdown — the listeners' preShutdown, as ShutdownRecorder does on SIGTERM — without
 * stopping the JVM. Draining cannot be undone, so this test has an application of its own.
 */
@QuarkusTest
@TestProfile(DrainTest.OwnInstance.class)
class DrainTest {

    /** An application of this test's own: it is left draining, and the next test class gets a fresh one. */
    public static class OwnInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of();
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void onSigtermReadinessGoesDownSocketsAreToldToReconnectAndUpgradesAreRefusedWith503() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        alice.group(bob);
        FrameClient alices = FrameClient.connect(base, "/ws/chat", alice.token());
        alices.next("ready");
        FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
        bobs.next("ready");
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("Graceful Shutdown"));

        // what SIGTERM starts with: readiness down (quarkus.shutdown.delay-enabled) and the
        // ShutdownDelayInitiatedEvent that Draining turns into closing the sockets
        new ShutdownReadinessListener().preShutdown(() -> {
        });
        new ArcShutdownListener().preShutdown(() -> {
        });

        assertEquals(1012, alices.closed().get(10, TimeUnit.SECONDS));
        assertEquals(1012, bobs.closed().get(10, TimeUnit.SECONDS));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Graceful Shutdown' }.status", equalTo("DOWN"));
        // the load balancer keeps the instance alive meanwhile: liveness stays up
        given().get("/q/health/live").then().statusCode(200);

        // a client reconnecting to this instance is turned away, told when to try (another one)
        given().header("Authorization", "Bearer " + alice.token()).header("Upgrade", "websocket")
                .header("Connection", "Upgrade").header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").get("/ws/chat").then().statusCode(503)
                .header("Retry-After", "1").contentType("application/problem+json").body("status", equalTo(503));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> FrameClient.connect(base, "/ws/chat", alice.token()));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, refused.toString());
        assertEquals(503, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

        // REST goes on until the delay is over (then quarkus.shutdown.timeout lets requests in flight finish)
        alice.call().get("/api/rooms").then().statusCode(200);
    }
}
