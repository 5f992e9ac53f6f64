package io.talkline.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.gateway.config.GatewayConfig;
import io.talkline.gateway.routing.FakeUpstreams;
import io.talkline.gateway.testing.WebSockets;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Response;

/**
 * The cap on open sockets per user (2 here) holds across gateway replicas sharing one Redis. The
 * other replica is what a second gateway process holds: a {@link SocketAdmission} with the same
 * configuration on the same Redis, renewing its leases on an event loop of its own. Leases last 3 s
 * here, renewed every second while a tunnel lives (FakeUpstreams).
 */
@QuarkusTest
class SocketLeasesAcrossReplicasTest {

    @TestHTTPResource("/")
    URL gateway;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    GatewayConfig config;

    private final HttpClient client = HttpClient.newHttpClient();

    /** Another gateway replica's socket admission; closing it is the replica dying. */
    private final class OtherReplica implements AutoCloseable {
        private final Vertx loop = Vertx.vertx();
        final SocketAdmission admission = new SocketAdmission(redis, config, loop);

        OtherReplica() {
            admission.start(null); // renews its open sockets' leases, as on a replica's startup
        }

        String admit(String userId) {
            String socket = admission.admit(userId).await().atMost(Duration.ofSeconds(5));
            assertNotNull(socket, "the other replica refused a socket of " + userId);
            return socket;
        }

        /** The process is gone: nothing renews its leases, nothing releases them. */
        @Override
        public void close() {
            loop.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private URI socketOf(String userId) {
        return WebSockets.uri(gateway.getPort(), "/ws/chat?access_token=" + FakeUpstreams.token(userId));
    }

    @Test
    void socketsOnEitherReplicaCountAgainstTheUsersOneCap() {
        String dana = "dana-" + UUID.randomUUID();
        URI uri = socketOf(dana);
        try (OtherReplica other = new OtherReplica()) {
            String elsewhere = other.admit(dana);
            WebSocket here = WebSockets.open(client, uri);
            // one here, one there: the cap of 2 is reached
            assertEquals(429, WebSockets.refused(client, uri).statusCode(), "a third socket");

            other.admission.closed(elsewhere);
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> WebSockets.close(WebSockets.open(client, uri)));
            WebSockets.close(here);
        }
    }

    @Test
    void aDeadReplicasLeasesRunOutWhileALiveTunnelKeepsRenewingItsOwn() {
        String erin = "erin-" + UUID.randomUUID();
        URI uri = socketOf(erin);
        WebSocket here = WebSockets.open(client, uri);
        String elsewhere;
        try (OtherReplica other = new OtherReplica()) {
            elsewhere = other.admit(erin);
            assertEquals(429, WebSockets.refused(client, uri).statusCode(), "at the cap across both replicas");
            // closed: the other replica dies holding erin's socket there, and its lease is never released
        }
        // it runs out 3 s after its last renewal, and erin may connect again
        WebSocket again = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> WebSockets.open(client, uri), socket -> socket != null);
        // The tunnel here was admitted before the dead replica's socket, so its first lease ran out
        // before that one: it still counts, next to the new one, only because this gateway renewed it.
        List<String> leases = leasesOf(erin);
        assertEquals(2, leases.size(), "leases " + leases);
        assertFalse(leases.contains(elsewhere), "the dead replica's lease is still counted: " + leases);
        assertEquals(429, WebSockets.refused(client, uri).statusCode(), "a third socket");
        WebSockets.close(again);
        WebSockets.close(here);
    }

    /** The socket ids holding a lease of the user's, as every replica sees them. */
    private List<String> leasesOf(String userId) {
        Response members = redis.execute("ZRANGE", SocketAdmission.key(userId), "0", "-1").await()
                .atMost(Duration.ofSeconds(5));
        List<String> ids = new ArrayList<>();
        members.forEach(member -> ids.add(member.toString()));
        return ids;
    }
}
