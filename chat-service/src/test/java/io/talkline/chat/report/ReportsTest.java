package io.talkline.chat.report;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TopicReader;

@QuarkusTest
class ReportsTest {

    @Test
    void aReportGoesToModerationOnceWithTheMessageAsItWasAndIsAudited() {
        try (TopicReader moderation = new TopicReader(Topics.MODERATION); TopicReader audit = new TopicReader(Topics.AUDIT)) {
            Users alice = Users.fresh();
            Users bob = Users.fresh();
            String room = alice.group(bob);
            String id = alice.send(room, "rude", "something rude").statusCode(201).extract().path("id");
            String report = bob.call().body(Map.of("reason", "  insulting  ")).post(reports(room, id)).then()
                    .statusCode(202).body("messageId", equalTo(id)).body("reporterId", equalTo(bob.id()))
                    .body("reason", equalTo("insulting")).extract().path("id");
            // the message changes afterwards; moderation still sees what was reported
            alice.call().body(Map.of("body", "nothing to see")).patch("/api/rooms/" + room + "/messages/" + id).then()
                    .statusCode(200);
            // asking again: the same report, no second event
            bob.call().body(Map.of("reason", "again")).post(reports(room, id)).then().statusCode(202)
                    .body("id", equalTo(report)).body("reason", equalTo("insulting"));

            // a later report in the same room: its event comes after any the repeated report caused (same key,
            // same partition, written to the outbox after it), so the two events are all there is to look at
            String later = alice.send(room, "later", "something else").statusCode(201).extract().path("id");
            String marker = bob.call().body(Map.of("reason", "spam")).post(reports(room, later)).then().statusCode(202)
                    .extract().path("id");

            // (the topic also carries the cases these reports opened: case.opened)
            List<TopicReader.Received> events = moderation.await(
                    r -> room.equals(r.key()) && "message.reported".equals(r.event().type()), 2, Duration.ofSeconds(30));
            assertEquals(List.of(report, marker),
                    events.stream().map(e -> e.event().payload().get("reportId").asText()).toList(),
                    "one event per report, none for the repeated one");
            TopicReader.Received event = events.get(0);
            assertEquals("message.reported", event.event().type());
            assertEquals(bob.id(), event.event().actorId());
            assertEquals("something rude", event.event().payload().get("message").get("body").asText());
            assertEquals(alice.id(), event.event().payload().get("message").get("senderId").asText());
            assertEquals(1, audit.await(r -> "chat.message.reported".equals(r.event().type()) && room.equals(r.key())
                    && report.equals(r.event().payload().path("data").path("reportId").asText()), 1, Duration.ofSeconds(30))
                    .size());
        }
    }

    @Test
    void onlyMembersReportMessagesThatExistWithAReason() {
        Users alice = Users.fresh();
        String room = alice.group();
        String id = alice.send(room, "m", "hi").statusCode(201).extract().path("id");
        Users.fresh().call().body(Map.of("reason", "spam")).post(reports(room, id)).then().statusCode(404)
                .contentType("application/problem+json");
        alice.call().body(Map.of("reason", "spam")).post(reports(room, UUID.randomUUID().toString())).then()
                .statusCode(404);
        String other = alice.group();
        alice.call().body(Map.of("reason", "spam")).post(reports(other, id)).then().statusCode(404);
        alice.call().body(Map.of("reason", " ")).post(reports(room, id)).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("reason"));
        alice.call().body(Map.of("reason", "x".repeat(1001))).post(reports(room, id)).then().statusCode(400)
                .body("errors[0].field", equalTo("reason"));
    }

    private static String reports(String room, String messageId) {
        return "/api/rooms/" + room + "/messages/" + messageId + "/reports";
    }
}
