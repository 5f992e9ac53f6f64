package io.talkline.gateway.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.auth.RevocationMirror;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.PrivateRedis;
import io.talkline.gateway.routing.FakeUpstreams;
import io.talkline.gateway.testing.WebSockets;

/**
 * Redis gone or silent: the gateway keeps serving and stays ready, the local limiter decides (after
 * the 250 ms redis-timeout; socket admission admits after 500 ms), and limits are shared again once
 * Redis is back. Each test takes the gateway's Redis (a private one, FakeUpstreams) away and brings it
 * back. Callers come from client addresses no other test used, so no lease of their budget is held
 * here and every check must go to Redis.
 */
@QuarkusTest
class RedisOutageTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @TestHTTPResource("/")
    URL gateway;
    @Inject
    SocketAdmission admission;
    @Inject
    RevocationMirror mirror;

    private final PrivateRedis redis = FakeUpstreams.redis();

    @Test
    void redisDownFailsOpenToTheLocalLimiterWhileTheGatewayStaysReady() throws Exception {
        double fallbacks = Metrics.value("gateway_ratelimit_fallback_total");
        redis.stop();
        try {
            // the local limiter enforces the policy on its own: login is 3 a minute per address here
            HttpClient client = newClientAddress();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> allowed = send(client, "POST", "/api/auth/login");
                assertEquals(200, allowed.statusCode(), allowed.body());
                assertEquals("3", allowed.headers().firstValue("RateLimit-Limit").orElse(null));
            }
            assertEquals(429, send(client, "POST", "/api/auth/login").statusCode());
            // a load balancer must not take the gateway out because Redis is gone (quarkus.redis.health is off)
            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            assertEquals(0, Metrics.value("gateway_ratelimit_redis_up"));
            assertTrue(Metrics.value("gateway_ratelimit_fallback_total") >= fallbacks + 4, "each decision counted");
        } finally {
            redis.start();
        }
        awaitSharedLimitsAgain();
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aSilentRedisIsWaitedForBrieflyAndNeverHangsARequestOrASocket() throws Exception {
        double fallbacks = Metrics.value("gateway_ratelimit_fallback_total");
        redis.silence(); // connections are accepted and kept, commands never answered
        try {
            long started = System.nanoTime();
            // one check waits for Redis, 250 ms: the client's 5 s timeout means the request hung
            HttpResponse<String> answer = send(newClientAddress(), "GET", "/api/rooms");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("120", answer.headers().firstValue("RateLimit-Limit").orElse(null));
            // Redis was asked and given up on after the redis-timeout, not skipped
            assertTrue(took >= 250, "answered after " + took + " ms");
            assertTrue(Metrics.value("gateway_ratelimit_fallback_total") > fallbacks, "fallback counted");
            assertEquals(0, Metrics.value("gateway_ratelimit_redis_up"));

            // the per-user socket cap admits when Redis has not answered in 500 ms
            started = System.nanoTime();
            String socket = admission.admit("silent-" + UUID.randomUUID()).await().atMost(Duration.ofSeconds(5));
            took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertNotNull(socket, "refused without Redis");
            assertTrue(took >= 500, "admitted after " + took + " ms");

            // and a socket through the gateway opens and tunnels (its new-socket limit decided locally)
            CompletableFuture<String> echo = new CompletableFuture<>();
            WebSocket tunnel = newClientAddress().newWebSocketBuilder()
                    .buildAsync(WebSockets.uri(gateway.getPort(), "/ws/chat"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echo.complete(data.toString());
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            tunnel.sendText("still here", true);
            assertTrue(echo.get(5, TimeUnit.SECONDS).endsWith(":still here"), "the tunnel works");
            WebSockets.close(tunnel);
        } finally {
            redis.wake();
        }
        awaitSharedLimitsAgain();
    }

    @Test
    void whileRedisIsAwayAKnownTokenIsStillCountedAsItsUserNotAsItsAddress() throws Exception {
        // 25 users behind one address (a NAT, an office): 5 calls each while Redis is away is 125
        // calls, over the address' anonymous 120 a minute, and within each user's 5
        HttpClient office = newClientAddress();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            tokens.add(FakeUpstreams.token("office-" + UUID.randomUUID()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(mirror::coherent);
        redis.stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !mirror.coherent());
            List<Integer> statuses = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (String token : tokens) {
                    statuses.add(send(office, "GET", "/api/rooms", token).statusCode());
                }
            }
            assertEquals(125, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
            // the user's own limit still holds: a sixth call of one user is refused
            assertEquals(429, send(office, "GET", "/api/rooms", tokens.getFirst()).statusCode());
        } finally {
            redis.start();
        }
        awaitSharedLimitsAgain();
    }

    /** Redis answers again: a new caller's check goes to Redis and succeeds, and the gauge says so. */
    private void awaitSharedLimitsAgain() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(200, send(newClientAddress(), "GET", "/api/rooms").statusCode());
            assertEquals(1, Metrics.value("gateway_ratelimit_redis_up"));
        });
    }

    /** A client on a loopback address of its own (127.0.100.x), which no other test uses. */
    private static HttpClient newClientAddress() throws Exception {
        int n = ADDRESSES.incrementAndGet();
        return HttpClient.newBuilder()
                .localAddress(InetAddress.getByName("127.0." + (100 + n / 250) + "." + (1 + n % 250))).build();
    }

    private HttpResponse<String> send(HttpClient client, String method, String path) throws Exception {
        return send(client, method, path, null);
    }

    private HttpResponse<String> send(HttpClient client, String method, String path, String token) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + gateway.getPort() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
