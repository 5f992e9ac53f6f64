package io.talkline.signaling.call;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.Outages;
import io.talkline.commons.testing.TestTokens;
import io.talkline.commons.testing.TopicReader;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.signaling.ChatStandIn;
import io.talkline.signaling.SignalSockets;

/**
 * Calls go on while Kafka is away: their history is written (with its events, in the outbox) and
 * the events reach calls.events.v1 once Kafka is back.
 */
@QuarkusTest
class CallEventsKafkaOutageTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void theEventsOfACallMadeDuringAKafkaOutageArriveAfterIt() throws Exception {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String room = UUID.randomUUID().toString();
        ChatStandIn.room(room, alice, bob);
        String alicesToken = TestTokens.token(alice);
        FrameClient alices = SignalSockets.open(base, alicesToken);
        FrameClient bobs = SignalSockets.open(base, TestTokens.token(bob));
        try (TopicReader calls = new TopicReader(Topics.CALLS)) {
            Outages.stop(Component.KAFKA);
            String callId;
            try {
                alices.send(SignalSockets.invite(room, "audio"));
                callId = alices.next("call.created").getString("callId");
                bobs.next("call.incoming");
                bobs.send(SignalSockets.call("call.reject", callId));
                assertEquals("rejected", alices.next("call.ended").getString("reason"));
                // both records are in MySQL (and their events in the outbox, same transaction) while Kafka is down
                Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                        .header("Authorization", "Bearer " + alicesToken).queryParam("roomId", room).get("/api/calls")
                        .then().statusCode(200).body("items[0].id", equalTo(callId))
                        .body("items[0].outcome", equalTo("rejected")));
            } finally {
                Devstack.shared().up(EnumSet.of(Component.KAFKA));
            }
            List<TopicReader.Received> events = calls.await(
                    r -> callId.equals(r.event().payload().path("callId").asText()), 2, Duration.ofSeconds(60));
            assertEquals(List.of("call.started", "call.ended"), events.stream().map(r -> r.event().type()).toList());
            assertEquals(room, events.getFirst().key());
            assertEquals("rejected", events.get(1).event().payload().path("outcome").asText());
        }
    }
}
