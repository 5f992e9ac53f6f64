package io.talkline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.RestAssured;
import io.talkline.commons.testing.FrameClient;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Platform;
import io.talkline.devstack.RunDir;
import io.vertx.core.json.JsonObject;

/**
 * The packaged platform as `./platform up` runs it — every service its own process, two chat and
 * two signaling instances — on ports of its own (gateway 18080), driven only through the gateway.
 * The last tests kill instances, so the order matters.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {

    private static final int GATEWAY_PORT = 18080;
    private static Platform platform;

    @BeforeAll
    static void startPlatform() {
        Devstack.shared().up(EnumSet.of(Component.MARIADB, Component.REDIS, Component.KAFKA, Component.S3, Component.MONGO));
        // a rate-limit key space of this run's own: reruns within a minute start from full budgets
        platform = new Platform(new RunDir(Path.of("target/run").toAbsolutePath()), GATEWAY_PORT,
                Map.of("gateway.rate-limit.key-prefix", "rl-system-" + UUID.randomUUID()));
        platform.up();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = GATEWAY_PORT;
        // a user for the sockets, made at auth-service itself so the gateway's login budget stays whole
        accessToken = TestUser.register(platform.instance("auth-service").orElseThrow()).token();
    }

    private static String accessToken;

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.down();
        }
    }

    @Test
    @Order(1)
    void everyInstanceIsReadyAndTheGatewayCountsThem() {
        for (Platform.Instance instance : platform.instances()) {
            given().baseUri(instance.url()).port(instance.port()).get("/q/health/ready")
                    .then().statusCode(200).body("status", equalTo("UP"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.chat", equalTo("2/2 ready"))
                .body("checks.find { it.name == 'upstreams' }.data.signaling", equalTo("2/2 ready"))
                .body("checks.find { it.name == 'upstreams' }.data.auth", equalTo("1/1 ready"))
                .body("checks.find { it.name == 'upstreams' }.data.media", equalTo("1/1 ready"))
                .body("checks.find { it.name == 'upstreams' }.data.audit", equalTo("1/1 ready")));
    }

    @Test
    @Order(2)
    void restCallsReachEachServiceWithTheRequestIdEchoedAndLogged() {
        Map<String, List<String>> routes = Map.of(
                "/api/auth/me", List.of("auth-service"),
                "/api/rooms", List.of("chat-service-1", "chat-service-2"),
                "/api/calls?roomId=r1", List.of("signaling-service-1", "signaling-service-2"),
                "/api/media/some-id", List.of("media-service"),
                "/api/audit/events", List.of("audit-service"));
        routes.forEach((path, instances) -> {
            String requestId = "skeleton-" + UUID.randomUUID();
            // no feature endpoints yet: whatever the service answers, it is its own problem+json
            int status = given().header("X-Request-Id", requestId).get(path)
                    .then().statusCode(lessThan(500)).contentType("application/problem+json")
                    .header("X-Request-Id", requestId).body("requestId", equalTo(requestId)).extract().statusCode();
            // logged under that id by the gateway and by exactly one instance of the service, each in
            // its access line for this request and its answer, under one trace id (media-service
            // records no HTTP server spans, ADR 0020: its line has an empty trace id)
            Pattern accessLine = Pattern.compile("requestId=" + Pattern.quote(requestId) + " traceId=([0-9a-f]{32})? GET "
                    + Pattern.quote(URI.create(path).getPath()) + " " + status + " ");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                String trace = traceOf("gateway", accessLine);
                assertTrue(trace != null && !trace.isEmpty(), "gateway logged no '" + accessLine + "' with a trace id");
                List<String> traces = instances.stream().map(name -> traceOf(name, accessLine))
                        .filter(java.util.Objects::nonNull).toList();
                assertEquals(List.of(instances.contains("media-service") ? "" : trace), traces,
                        "trace ids logged by " + instances + " for '" + accessLine + "'");
            });
            // and it reached no other service
            platform.instances().stream().map(Platform.Instance::name)
                    .filter(name -> !name.equals("gateway") && !instances.contains(name))
                    .forEach(name -> assertTrue(!logged(name, requestId), name + " logged " + requestId));
        });
        // a real endpoint: the signing keys, served by auth-service through the gateway
        String requestId = "skeleton-jwks-" + UUID.randomUUID();
        given().header("X-Request-Id", requestId).get("/.well-known/jwks.json").then().statusCode(200)
                .header("X-Request-Id", requestId)
                .body("keys[0].kty", equalTo("EC")).body("keys[0].kid", org.hamcrest.Matchers.notNullValue());
        await().atMost(Duration.ofSeconds(5)).until(() -> logged("auth-service", requestId));
    }

    @Test
    @Order(3)
    void requestsAreSpreadOverBothInstances() {
        for (String service : List.of("chat-service", "signaling-service")) {
            String path = service.startsWith("chat") ? "/api/rooms" : "/api/calls";
            String batch = "spread-" + UUID.randomUUID();
            for (int i = 0; i < 6; i++) {
                given().header("X-Request-Id", batch + "-" + i).get(path).then().statusCode(lessThan(500));
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertTrue(logged(service + "-1", batch), service + "-1 got none of " + batch);
                assertTrue(logged(service + "-2", batch), service + "-2 got none of " + batch);
            });
        }
    }

    @Test
    @Order(4)
    void webSocketRoundTripThroughTheGatewayToEachInstance() throws Exception {
        for (String service : List.of("chat", "signaling")) {
            String path = service.equals("chat") ? "/ws/chat" : "/ws/signal";
            String batch = "ws-" + UUID.randomUUID();
            for (int i = 0; i < 4; i++) {
                JsonObject reply = roundTrip(path, batch + "-" + i, "{\"type\":\"ping\"}");
                assertEquals("pong", reply.getString("type"));
            }
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertTrue(logged(service + "-service-1", batch), service + "-service-1 got no socket");
                assertTrue(logged(service + "-service-2", batch), service + "-service-2 got no socket");
            });
        }
    }

    @Test
    @Order(4)
    void disablingAUserClosesTheirOpenSocketsWithinSeconds() throws Exception {
        Platform.Instance auth = platform.instance("auth-service").orElseThrow();
        TestUser victim = TestUser.register(auth);
        FrameClient socket = FrameClient.connect(URI.create("ws://127.0.0.1:" + GATEWAY_PORT + "/ws/chat?access_token="
                + victim.token()));
        socket.next("ready");

        String admin = given().baseUri(auth.url()).port(auth.port()).contentType("application/json")
                .body("{\"username\":\"system-admin\",\"password\":\"system-test-admin-password\"}")
                .post("/api/auth/login").then().statusCode(200).extract().path("accessToken");
        given().header("Authorization", "Bearer " + admin).contentType("application/json")
                .body("{\"disabled\":true,\"reason\":\"system test\"}").put("/api/auth/users/" + victim.id() + "/disabled")
                .then().statusCode(200);
        // chat-service (another service, through its own verifier) closes the socket at its next check
        assertEquals(4401, socket.closed().get(15, TimeUnit.SECONDS));
    }

    @Test
    @Order(5)
    void aFailedRequestIsFollowedThroughTheGatewayAndTheServiceInTheAuditTrail() {
        String requestId = "sys-trace-" + UUID.randomUUID().toString().substring(0, 8);
        given().header("X-Request-Id", requestId).header("Authorization", "Bearer " + accessToken)
                .get("/api/rooms/" + UUID.randomUUID()).then().statusCode(404).header("X-Request-Id", requestId);

        Platform.Instance auth = platform.instance("auth-service").orElseThrow();
        String admin = given().baseUri(auth.url()).port(auth.port()).contentType("application/json")
                .body("{\"username\":\"system-admin\",\"password\":\"system-test-admin-password\"}")
                .post("/api/auth/login").then().statusCode(200).extract().path("accessToken");
        // gateway and chat-service each ship the failed request's access line; audit-service files both under its id
        List<String> services = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().header("Authorization", "Bearer " + admin).get("/api/audit/requests/" + requestId)
                        .then().statusCode(200).extract().jsonPath().getList("items.service", String.class),
                        found -> found.contains("gateway") && found.contains("chat-service"));
        given().header("Authorization", "Bearer " + admin).get("/api/audit/requests/" + requestId).then()
                .body("items.requestId", org.hamcrest.Matchers.everyItem(equalTo(requestId)))
                .body("items.message", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString(" 404 ")));
        assertTrue(services.size() >= 2, services.toString());
        // a plain user may not read the trail
        given().header("Authorization", "Bearer " + accessToken).get("/api/audit/requests/" + requestId).then()
                .statusCode(403);
    }

    @Test
    @Order(5)
    void everyServiceIsDocumentedAtDocs() {
        given().get("/docs/").then().statusCode(200);
        for (String service : List.of("auth", "chat", "signaling", "media", "audit")) {
            given().get("/docs/openapi/" + service).then().statusCode(200)
                    .body("openapi", org.hamcrest.Matchers.startsWith("3."))
                    .body("info.title", org.hamcrest.Matchers.containsString(service))
                    .body("components.securitySchemes.BearerAuth.scheme", equalTo("bearer"));
        }
    }

    @Test
    @Order(6)
    void twoGatewaysSharingRedisEnforceOneLimitTogether() {
        Platform.Instance first = platform.instance("gateway").orElseThrow();
        Platform.Instance second = new Platform.Instance("gateway-2", "gateway", GATEWAY_PORT + 17, first.properties());
        platform.start(second);
        try {
            platform.awaitReady(second);
            // login allows 10 per minute per client address, whichever replica answers
            int allowed = 0;
            int refused = 0;
            for (int i = 0; i < 14; i++) {
                Platform.Instance gateway = i % 2 == 0 ? first : second;
                int status = given().baseUri(gateway.url()).port(gateway.port()).contentType("application/json")
                        .body("{}").post("/api/auth/login").statusCode();
                if (status == 429) {
                    refused++;
                } else {
                    allowed++;
                }
            }
            assertEquals(10, allowed, "allowed across both replicas");
            assertEquals(4, refused);
        } finally {
            platform.stop(second);
        }
    }

    @Test
    @Order(6)
    void aStoppingServiceClosesItsSocketsWith1012AndNeitherItNorTheGatewayWaitsOutTheShutdownTimeout()
            throws Exception {
        Platform.Instance chat = new Platform.Instance("chat-service-3", "chat-service", GATEWAY_PORT + 19,
                platform.instance("chat-service-1").orElseThrow().properties());
        Map<String, String> routes = new java.util.HashMap<>(platform.instance("gateway").orElseThrow().properties());
        routes.put("gateway.services.chat.instances", chat.url());
        Platform.Instance gateway = new Platform.Instance("gateway-3", "gateway", GATEWAY_PORT + 20, routes);
        platform.start(chat);
        platform.start(gateway);
        try {
            platform.awaitReady(chat);
            platform.awaitReady(gateway);
            FrameClient direct = FrameClient.connect(URI.create("ws://127.0.0.1:" + chat.port() + "/ws/chat?access_token="
                    + accessToken));
            direct.next("ready");
            FrameClient tunnelled = FrameClient.connect(URI.create("ws://127.0.0.1:" + gateway.port()
                    + "/ws/chat?access_token=" + accessToken));
            tunnelled.next("ready");

            // quarkus.shutdown.timeout is 10 s: an open socket or tunnel counted as a request in
            // flight made every stop wait all of it
            long start = System.nanoTime();
            assertTrue(platform.stop(gateway));
            long gatewayStop = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            assertTrue(platform.stop(chat));
            long chatStop = (System.nanoTime() - start) / 1_000_000;

            assertEquals(1012, direct.closed().get(5, TimeUnit.SECONDS), "the service's own socket: go elsewhere");
            for (Platform.Instance stopped : List.of(gateway, chat)) {
                String log = Files.readString(platform.log(stopped));
                assertTrue(log.contains("stopped in"), stopped.name() + " did not stop cleanly");
                assertTrue(!log.contains("Timed out waiting for graceful shutdown"),
                        stopped.name() + " waited out the shutdown timeout");
            }
            assertTrue(gatewayStop < 10_000, "gateway took " + gatewayStop + " ms to stop");
            assertTrue(chatStop < 10_000, "chat-service took " + chatStop + " ms to stop");
        } finally {
            platform.stop(gateway);
            platform.stop(chat);
        }
    }

    @Test
    @Order(7)
    void aKilledInstanceIsRoutedAroundAndALostServiceIs503() throws Exception {
        platform.kill(platform.instance("chat-service-1").orElseThrow());
        for (int i = 0; i < 10; i++) {
            String requestId = "after-kill-" + i;
            given().header("X-Request-Id", requestId).get("/api/rooms").then().statusCode(lessThan(500))
                    .body("requestId", equalTo(requestId));
        }
        assertEquals("pong", roundTrip("/ws/chat", "after-kill-ws", "{\"type\":\"ping\"}").getString("type"));

        platform.kill(platform.instance("media-service").orElseThrow());
        given().header("X-Request-Id", "media-gone").get("/api/media/some-id")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("status", equalTo(503)).body("requestId", equalTo("media-gone"));
        // the gateway itself keeps serving the rest
        given().get("/api/calls?roomId=r1").then().statusCode(lessThan(500));
    }

    @Test
    @Order(8)
    void jsonLogLinesAreOneSwitchAway() {
        Platform.Instance json = new Platform.Instance("audit-service-json", "audit-service", GATEWAY_PORT + 16,
                Map.of("TALKLINE_LOG_JSON", "true"));
        platform.start(json);
        try {
            platform.awaitReady(json);
            String requestId = "json-log-" + UUID.randomUUID();
            given().baseUri(json.url()).port(json.port()).header("X-Request-Id", requestId).get("/api/audit/nothing")
                    .then().statusCode(404);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                JsonObject line = Files.readAllLines(platform.log(json)).stream()
                        .filter(l -> l.startsWith("{") && l.contains(requestId)).map(JsonObject::new).findFirst()
                        .orElseThrow(() -> new AssertionError("no JSON log line with " + requestId));
                assertEquals(requestId, line.getJsonObject("mdc").getString("requestId"));
                assertTrue(line.getString("message").contains("/api/audit/nothing 404"), line.encode());
            });
        } finally {
            platform.stop(json);
        }
    }

    /**
     * The streaming promise, measured where it matters: a media-service whose heap is capped at
     * 256 MB takes a 500 MB upload whole — counted, hashed and stored in S3 — which a service that
     * held the body anywhere in memory could not.
     */
    @Test
    @Order(9)
    void aHalfGigabyteUploadStreamsThroughAMediaServiceWithA256MegabyteHeap() throws Exception {
        Platform.Instance small = new Platform.Instance("media-service-256m", "media-service", GATEWAY_PORT + 18,
                Map.of(Platform.JVM_OPTIONS, "-Xmx256m", "media.limits.file", "600M"));
        platform.start(small);
        try {
            platform.awaitReady(small);
            long size = 500L << 20;
            String boundary = "talkline-" + UUID.randomUUID();
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            InputStream form = new SequenceInputStream(Collections.enumeration(List.of(
                    new ByteArrayInputStream(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n"
                            + "file\r\n--" + boundary
                            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                            + "Content-Type: application/pdf\r\n\r\n").getBytes()),
                    new DigestInputStream(new Noise(size), sent),
                    new ByteArrayInputStream(("\r\n--" + boundary + "--\r\n").getBytes()))));
            // HTTP/1.1 as browsers upload: no h2c upgrade offered after half a gigabyte
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create(small.url() + "/api/media"))
                            .header("Authorization", "Bearer " + accessToken)
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                            .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofInputStream(() -> form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
            JsonObject stored = new JsonObject(response.body());
            assertEquals(size, stored.getLong("size"));
            assertEquals(HexFormat.of().formatHex(sent.digest()), stored.getString("sha256"));
            // and it is gone again: half a gigabyte is not left in the shared bucket
            given().baseUri(small.url()).port(small.port()).header("Authorization", "Bearer " + accessToken)
                    .delete("/api/media/" + stored.getString("id")).then().statusCode(204);
        } finally {
            platform.stop(small);
        }
    }

    /** A PDF header, then bytes that do not compress, generated as read: the test holds none of it. */
    private static final class Noise extends InputStream {
        private final long size;
        private final Random random = new Random(42);
        private final byte[] head = "%PDF-1.7\n".getBytes();
        private long position;

        Noise(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            for (int i = 0; i < n && position + i < head.length; i++) {
                chunk[i] = head[(int) (position + i)];
            }
            System.arraycopy(chunk, 0, buffer, offset, n);
            position += n;
            return n;
        }
    }

    private static JsonObject roundTrip(String path, String requestId, String frame) throws Exception {
        // both sockets need a token and greet with "ready" first; the reply is the next frame
        FrameClient socket = FrameClient.connect(URI.create("ws://127.0.0.1:" + GATEWAY_PORT + path + "?access_token="
                + accessToken), Map.of("X-Request-Id", requestId));
        socket.next("ready");
        socket.send(new JsonObject(frame));
        JsonObject answer = socket.frames().poll(10, TimeUnit.SECONDS);
        assertNotNull(answer, "no answer to " + frame);
        socket.close();
        return answer;
    }

    /** The trace id of the first matching log line of an instance ("" when it has none), or null when none matches. */
    private static String traceOf(String instance, Pattern line) {
        Path log = platform.log(platform.instance(instance).orElseThrow());
        try {
            Matcher found = line.matcher(Files.exists(log) ? Files.readString(log) : "");
            return found.find() ? java.util.Objects.requireNonNullElse(found.group(1), "") : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean logged(String instance, String text) {
        Path log = platform.log(platform.instance(instance).orElseThrow());
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
