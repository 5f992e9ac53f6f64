package io.talkline.audit.archive;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.audit.Publish;
import io.talkline.audit.archive.ArchiveFold.MessageEvent;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TestTokens;

/** chat.messages.v1 into message_archive: one document per message, folded, whatever the order. */
@QuarkusTest
class ArchiveTest {

    @Test
    void createEditDeleteArrivingBackwardsAndTwiceFoldIntoOneMessageReadableByAdmins() {
        String id = Publish.id();
        List<MessageEvent> life = ArchiveFoldTest.lifeOfAMessage(id);
        try (Publish publish = new Publish()) {
            for (int round = 0; round < 2; round++) {
                for (int i = life.size() - 1; i >= 0; i--) {
                    MessageEvent e = life.get(i);
                    publish.envelope(Topics.CHAT_MESSAGES, "room-9",
                            Publish.event(Publish.id(), e.type(), e.actorId(), null, e.occurredAt(), e.message()));
                }
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            ArchivedMessage m = ArchivedMessage.<ArchivedMessage> mongoCollection().find(Filters.eq("_id", id)).first();
            return m != null && m.edits.size() == 2 && m.deletedAt != null && m.originalBody != null;
        });
        String admin = TestTokens.token(Publish.id(), "admin");
        given().header("Authorization", "Bearer " + admin).get("/api/audit/archive/messages/" + id).then().statusCode(200)
                .body("body", equalTo("hello!!")).body("originalBody", equalTo("hello"))
                .body("edits", hasSize(2)).body("edits[0].body", equalTo("hello!"))
                .body("deletedAt", equalTo(ArchiveFoldTest.DELETED.toString())).body("deletedBy", equalTo("mod-1"))
                .body("deletedReason", equalTo("moderation"))
                .body("roomId", equalTo("room-9")).body("seq", equalTo(42));
        given().header("Authorization", "Bearer " + admin).get("/api/audit/archive/messages/" + Publish.id()).then()
                .statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestTokens.token(Publish.id())).get("/api/audit/archive/messages/" + id)
                .then().statusCode(403);
        org.junit.jupiter.api.Assertions.assertEquals(1,
                ArchivedMessage.mongoCollection().countDocuments(Filters.eq("_id", id)), "one document per message");
    }
}
