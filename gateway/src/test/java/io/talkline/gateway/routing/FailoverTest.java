package io.talkline.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Staying up when an instance goes: a request that is safe to repeat goes to the next instance when
 * its instance breaks the exchange or answers 503; one that is not safe is answered as before; a
 * live instance whose probes go unanswered keeps serving. Chat has chat-a and chat-b ready (and two
 * that are not), so round-robin makes about half of the requests meet the failing one first.
 */
@QuarkusTest
class FailoverTest {

    private static final String SEND = "/api/rooms/room-1/messages";

    @TestHTTPResource("/")
    URL gateway;

    private static Response send(String body, String breakOn) {
        return given().contentType("application/json").header("X-Break-On", breakOn).body(body).post(SEND);
    }

    @Test
    void aMessageSendWithAClientMsgIdIsSentAgainToTheNextInstanceWhenItsInstanceDiesMidRequest() {
        GatewayRoutingTest.awaitChatProbed();
        String body = "{\"clientMsgId\":\"c-1\",\"type\":\"text\",\"body\":\"hello\"}";
        int brokenBefore = FakeUpstreams.broken.get();
        for (int i = 0; i < 6; i++) {
            send(body, "chat-a").then().statusCode(200).body("instance", equalTo("chat-b"))
                    .body("bodyBytes", equalTo(body.length()));
        }
        int broken = FakeUpstreams.broken.get() - brokenBefore;
        assertTrue(broken >= 2 && broken <= 4, "round-robin sends about half to chat-a first: " + broken);
    }

    @Test
    void aSendWithoutAClientMsgIdIsNotRepeated() {
        GatewayRoutingTest.awaitChatProbed();
        int brokenBefore = FakeUpstreams.broken.get();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(send("{\"type\":\"text\",\"body\":\"hello\"}", "chat-a").then().extract().statusCode());
        }
        int broken = FakeUpstreams.broken.get() - brokenBefore;
        assertTrue(broken >= 2, "some went to chat-a first: " + statuses);
        // each one chat-a broke is a 502 (it may have stored it: only the client may decide to repeat)
        assertEquals(broken, statuses.stream().filter(status -> status == 502).count(), statuses.toString());
        assertEquals(6 - broken, statuses.stream().filter(status -> status == 200).count(), statuses.toString());
    }

    @Test
    void idempotentRequestsAreSentAgainOnABreakOrA503() {
        GatewayRoutingTest.awaitChatProbed();
        int refusedBefore = FakeUpstreams.refused.get();
        // one loop each: round-robin alternates, so interleaved they would always meet the same instance first
        for (int i = 0; i < 6; i++) {
            given().header("X-Break-On", "chat-b").get("/api/rooms").then().statusCode(200).body("instance", equalTo("chat-a"));
        }
        for (int i = 0; i < 6; i++) {
            given().header("X-Refuse-On", "chat-a").delete(SEND + "/m-1").then().statusCode(200)
                    .body("instance", equalTo("chat-b"));
        }
        assertTrue(FakeUpstreams.refused.get() - refusedBefore >= 2, "chat-a was asked first some of the time");
        // a POST that is not a message send answered 503 by a stopping instance: passed on, not repeated
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(given().contentType("application/json").header("X-Refuse-On", "chat-a").body("{}")
                    .post("/api/rooms").then().extract().statusCode());
        }
        assertTrue(statuses.contains(503) && statuses.contains(200), statuses.toString());
    }

    @Test
    void aHandshakeRefusedByAStoppingInstanceIsTriedOnTheNext() throws Exception {
        GatewayRoutingTest.awaitChatProbed();
        for (int i = 0; i < 4; i++) {
            String reply = GatewayRoutingTest.roundTrip(gateway, "/ws/chat?stopping=chat-a", "hi-" + i);
            assertEquals("chat-b:hi-" + i, reply);
        }
    }

    @Test
    void anInstanceWhoseProbesGoUnansweredIsOutOfRotationButStillServesWhenItIsTheOnlyOne() {
        // media answers requests, never its probe: after a few probes in a row it counts as unavailable
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready")
                .then().body("checks.find { it.name == 'upstreams' }.data.media", equalTo("0/1 ready")));
        for (int i = 0; i < 3; i++) {
            given().get("/api/media/some-id").then().statusCode(200).body("instance", equalTo("media"));
        }
    }
}
