package io.talkline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.specification.RequestSpecification;
import io.talkline.commons.testing.FrameClient;
import io.talkline.devstack.Platform;
import io.talkline.system.OtlpReceiver.ReceivedSpan;
import io.vertx.core.json.JsonObject;

/**
 * The whole platform with every trace recorded and exported (ADR 0020) to an OTLP receiver of the
 * test's own: one request, or one socket frame, is one trace across the gateway, the services'
 * REST calls to each other, the outbox and Kafka, and the consumers; its trace id is in the log
 * lines and in the audit trail.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingTest {

    private static final int BASE_PORT = 18680;
    private static OtlpReceiver receiver;
    private static Platform platform;

    @BeforeAll
    static void startTracedPlatform() throws IOException {
        receiver = OtlpReceiver.start();
        platform = TestUser.platform("run-tracing", BASE_PORT, Map.of(), Map.of(
                "quarkus.otel.traces.sampler.arg", "1",
                "quarkus.otel.exporter.otlp.traces.endpoint", receiver.url(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                "quarkus.otel.bsp.schedule.delay", "200ms"));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.down();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aRestSendIsOneTraceThroughTheGatewayChatServiceKafkaAndItsConsumers() throws IOException {
        TestUser alice = TestUser.register(auth());
        TestUser bob = TestUser.register(auth());
        String roomId = room(alice, bob);

        String traceId = hex(16);
        String clientSpan = hex(8);
        gateway(alice).header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                .body(new JsonObject().put("clientMsgId", UUID.randomUUID().toString()).put("type", "text")
                        .put("body", "traced").encode())
                .post("/api/rooms/" + roomId + "/messages").then().statusCode(201);

        // the message event reaches audit-service (archive) and media-service (attachments) through Kafka
        List<ReceivedSpan> trace = awaitTrace(traceId, Set.of("gateway", "chat-service", "audit-service", "media-service"));
        ReceivedSpan atGateway = only(trace, "gateway", "SPAN_KIND_SERVER");
        assertEquals(clientSpan, atGateway.parentSpanId(), "the gateway continues the client's span: " + trace);
        Set<String> gatewayClientSpans = trace.stream()
                .filter(span -> span.service().equals("gateway") && span.kind().equals("SPAN_KIND_CLIENT"))
                .map(ReceivedSpan::spanId).collect(Collectors.toSet());
        ReceivedSpan atChat = only(trace, "chat-service", "SPAN_KIND_SERVER");
        assertTrue(gatewayClientSpans.contains(atChat.parentSpanId()),
                "chat-service's span is a child of the gateway's call to it: " + trace);
        // Kafka consumers continue the span that wrote the outbox row
        Set<String> chatSpans = spanIds(trace, "chat-service");
        for (String consumer : List.of("audit-service", "media-service")) {
            assertTrue(trace.stream().anyMatch(span -> span.service().equals(consumer)
                    && span.kind().equals("SPAN_KIND_CONSUMER") && chatSpans.contains(span.parentSpanId())),
                    consumer + " consumes the event as a child of chat-service's span: " + trace);
        }
        // the trace id is in chat-service's log line of the request
        assertTrue(logged("chat-service-1", traceId) || logged("chat-service-2", traceId),
                "no chat-service log line names trace " + traceId);
    }

    @Test
    void anAuditEventCarriesTheTraceOfTheRequestThatMadeIt() {
        String traceId = hex(16);
        String requestId = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        atGateway().header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .header("X-Request-Id", requestId).contentType("application/json")
                .body("{\"username\":\"" + name + "\",\"password\":\"system test password\",\"email\":\"" + name
                        + "@example.org\"}")
                .post("/api/auth/register").then().statusCode(201);

        String admin = atGateway().contentType("application/json")
                .body("{\"username\":\"system-admin\",\"password\":\"system-test-admin-password\"}")
                .post("/api/auth/login").then().statusCode(200).extract().path("accessToken");
        List<String> traceIds = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> atGateway().header("Authorization", "Bearer " + admin)
                        .queryParam("requestId", requestId).get("/api/audit/events").then().statusCode(200).extract()
                        .jsonPath().getList("items.traceId", String.class), found -> !found.isEmpty());
        assertEquals(List.of(traceId), traceIds);
        awaitTrace(traceId, Set.of("gateway", "auth-service", "audit-service"));
    }

    @Test
    void aSocketFrameStartsATraceThatFollowsItsCallsToOtherServices() throws Exception {
        TestUser alice = TestUser.register(auth());
        TestUser bob = TestUser.register(auth());
        String roomId = room(alice, bob);

        // signaling-service asks chat-service (REST) who is in the room before it rings
        FrameClient signal = FrameClient.connect(URI.create("ws://127.0.0.1:" + BASE_PORT + "/ws/signal?access_token="
                + alice.token()));
        signal.next("ready");
        signal.send(new JsonObject().put("type", "call.invite").put("roomId", roomId).put("media", "audio"));
        signal.next("call.created");
        signal.close();
        ReceivedSpan invite = awaitSpan("signaling-service", "call.invite /ws/signal");
        assertFalse(invite.linkedSpanIds().isEmpty(), "the frame's span links to the socket's opening: " + invite);
        assertEquals("", invite.parentSpanId(), "a frame starts a trace of its own: " + invite);
        List<ReceivedSpan> call = awaitTrace(invite.traceId(), Set.of("signaling-service", "chat-service"));
        Set<String> signalingSpans = spanIds(call, "signaling-service");
        assertTrue(call.stream().anyMatch(span -> span.service().equals("chat-service")
                && span.kind().equals("SPAN_KIND_SERVER") && signalingSpans.contains(span.parentSpanId())),
                "chat-service answers as a child of signaling-service's call: " + call);

        // a message sent over the chat socket: its trace goes on through the outbox to audit-service
        FrameClient chat = FrameClient.connect(URI.create("ws://127.0.0.1:" + BASE_PORT + "/ws/chat?access_token="
                + alice.token()));
        chat.next("ready");
        chat.send(new JsonObject().put("type", "send").put("roomId", roomId)
                .put("clientMsgId", UUID.randomUUID().toString()).put("body", "over the socket"));
        chat.next("ack");
        chat.close();
        ReceivedSpan send = awaitSpan("chat-service", "send /ws/chat");
        awaitTrace(send.traceId(), Set.of("chat-service", "audit-service"));
    }

    /** Last: media-service stays stopped. A WARN of chat-service reaches the central logs with its request and trace. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aWarningOfChatServiceReachesTheCentralLogsWithItsRequestAndTrace() {
        TestUser alice = TestUser.register(auth());
        TestUser bob = TestUser.register(auth());
        String roomId = room(alice, bob);
        assertTrue(platform.stop(platform.instance("media-service").orElseThrow()));

        String traceId = hex(16);
        String requestId = "warn-" + UUID.randomUUID().toString().substring(0, 8);
        // chat-service asks media-service about the attachment, gets no answer and says so at WARN
        gateway(alice).header("traceparent", "00-" + traceId + "-" + hex(8) + "-01").header("X-Request-Id", requestId)
                .body(new JsonObject().put("clientMsgId", UUID.randomUUID().toString()).put("type", "image")
                        .put("mediaId", UUID.randomUUID().toString()).encode())
                .post("/api/rooms/" + roomId + "/messages").then().statusCode(503);

        String admin = atGateway().contentType("application/json")
                .body("{\"username\":\"system-admin\",\"password\":\"system-test-admin-password\"}")
                .post("/api/auth/login").then().statusCode(200).extract().path("accessToken");
        List<Map<String, Object>> warnings = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> atGateway().header("Authorization", "Bearer " + admin).queryParam("requestId", requestId)
                        .queryParam("service", "chat-service").queryParam("level", "WARN").get("/api/audit/logs").then()
                        .statusCode(200).extract().jsonPath().<Map<String, Object>> getList("items"),
                        found -> !found.isEmpty());
        Map<String, Object> warning = warnings.get(0);
        assertTrue(String.valueOf(warning.get("message")).contains("media-service did not answer"), warning.toString());
        assertEquals(traceId, warning.get("traceId"), warning.toString());
        assertEquals(alice.id(), warning.get("userId"), warning.toString());
        assertTrue(String.valueOf(warning.get("instance")).startsWith("chat-service-"), warning.toString());
    }

    private static List<ReceivedSpan> awaitTrace(String traceId, Set<String> services) {
        try {
            return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> receiver.trace(traceId), spans -> spans.stream().map(ReceivedSpan::service)
                            .collect(Collectors.toSet()).containsAll(services));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("trace " + traceId + " never reached " + services + ": " + receiver.trace(traceId)
                    + "; " + received(), e);
        }
    }

    private static ReceivedSpan awaitSpan(String service, String name) {
        try {
            return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> receiver.spans().stream()
                            .filter(span -> span.service().equals(service) && span.name().equals(name)).findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no span " + name + " from " + service + "; " + received(), e);
        }
    }

    /** What the receiver holds, per service and span name: what a failure message needs. */
    private static String received() {
        return receiver.spans().size() + " spans received: " + receiver.spans().stream()
                .collect(Collectors.groupingBy(span -> span.service() + " " + span.kind() + " " + span.name(),
                        Collectors.counting()));
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String service, String kind) {
        List<ReceivedSpan> found = trace.stream()
                .filter(span -> span.service().equals(service) && span.kind().equals(kind)).toList();
        assertEquals(1, found.size(), service + " " + kind + " spans in " + trace);
        return found.get(0);
    }

    private static Set<String> spanIds(List<ReceivedSpan> trace, String service) {
        return trace.stream().filter(span -> span.service().equals(service)).map(ReceivedSpan::spanId)
                .collect(Collectors.toSet());
    }

    private static String room(TestUser owner, TestUser member) {
        return gateway(owner).body(new JsonObject(Map.of("type", "group", "name", "traced", "memberIds",
                List.of(member.id()))).encode()).post("/api/rooms").then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification gateway(TestUser user) {
        return atGateway().header("Authorization", "Bearer " + user.token())
                .contentType("application/json");
    }

    private static RequestSpecification atGateway() {
        return given().baseUri("http://127.0.0.1").port(BASE_PORT);
    }

    private static Platform.Instance auth() {
        return platform.instance("auth-service").orElseThrow();
    }

    private static boolean logged(String instance, String text) throws IOException {
        return Files.readString(platform.log(platform.instance(instance).orElseThrow())).contains(text);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
