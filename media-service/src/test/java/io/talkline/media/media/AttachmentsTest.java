package io.talkline.media.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TestTokens;
import io.talkline.commons.testing.TopicReader;
import io.talkline.devstack.Infra;
import io.talkline.media.ChatStandIn;
import io.vertx.core.json.JsonObject;

/**
 * A member of a room reads a media item once a message in the room names it (learnt from
 * chat.messages.v1, as chat-service writes it), and no longer once that message is deleted; the
 * uploader always; a message from anyone but the uploader attaches nothing.
 */
@QuarkusTest
class AttachmentsTest {

    private static final KafkaProducer<String, String> CHAT = new KafkaProducer<>(
            Map.of("bootstrap.servers", Infra.kafkaBootstrap()), new StringSerializer(), new StringSerializer());

    @AfterAll
    static void close() {
        CHAT.close(Duration.ofSeconds(5));
    }

    /** An event as chat-service's outbox writes it: the envelope, keyed by room. */
    static void chat(String type, String roomId, JsonObject message) throws Exception {
        JsonObject envelope = new JsonObject().put("id", UUID.randomUUID().toString()).put("type", type).put("version", 1)
                .put("occurredAt", Instant.now().toString()).put("actorId", message.getString("senderId"))
                .put("payload", message);
        CHAT.send(new ProducerRecord<>(Topics.CHAT_MESSAGES, roomId, envelope.encode())).get(10, TimeUnit.SECONDS);
    }

    static JsonObject message(String messageId, String roomId, String senderId, String mediaId) {
        return new JsonObject().put("id", messageId).put("roomId", roomId).put("senderId", senderId).put("type", "image")
                .put("mediaId", mediaId);
    }

    @Test
    void aMemberReadsWhileAMessageInTheRoomNamesItAndNotBeforeOrAfter() throws Exception {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String mallory = UUID.randomUUID().toString();
        String room = "room-" + UUID.randomUUID();
        ChatStandIn.room(room, alice, bob, mallory);
        String aliceToken = TestTokens.token(alice);
        String bobToken = TestTokens.token(bob);
        try (TopicReader media = new TopicReader(Topics.MEDIA)) {
            String id = MediaApiTest.upload(aliceToken, "image", "a.png", "image/png", MediaApiTest.png(6, 6))
                    .statusCode(201).extract().path("id");
            // uploaded to the room, but attached to nothing yet: bob is a member, and still sees nothing
            given().header("Authorization", "Bearer " + bobToken).get("/api/media/" + id).then().statusCode(404);

            // mallory names alice's upload in a message of her own: that attaches nothing
            chat("message.created", room, message("m-" + UUID.randomUUID(), room, mallory, id));
            String messageId = "m-" + UUID.randomUUID();
            chat("message.created", room, message(messageId, room, alice, id));
            TopicReader.Received attached = media.await(r -> id.equals(r.key()) && r.event().type().equals("media.attached"),
                    1, Duration.ofSeconds(30)).getFirst();
            // only alice's message attached it: mallory's came first, on the same partition, and made no event
            org.junit.jupiter.api.Assertions.assertEquals(messageId, attached.event().payload().get("messageId").asText());
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                    .header("Authorization", "Bearer " + bobToken).get("/api/media/" + id).then().statusCode(200)
                    .body("id", equalTo(id)));
            // a reader who is not the uploader may not delete it
            given().header("Authorization", "Bearer " + bobToken).delete("/api/media/" + id).then().statusCode(403)
                    .contentType("application/problem+json");
            // someone outside the room still gets 404
            given().header("Authorization", "Bearer " + TestTokens.token(UUID.randomUUID().toString()))
                    .get("/api/media/" + id).then().statusCode(404);

            // the message is deleted: the room no longer reads it, the uploader still does
            chat("message.deleted", room, new JsonObject().put("id", messageId).put("roomId", room).put("senderId", alice));
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given()
                    .header("Authorization", "Bearer " + bobToken).get("/api/media/" + id).then().statusCode(404));
            given().header("Authorization", "Bearer " + aliceToken).get("/api/media/" + id).then().statusCode(200);
        }
    }
}
