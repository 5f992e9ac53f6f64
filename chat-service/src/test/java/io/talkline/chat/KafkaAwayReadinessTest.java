package io.talkline.chat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.talkline.commons.events.Topics;
import io.talkline.commons.health.KafkaDeliveryHealth;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TopicReader;

/**
 * Kafka away does not take chat-service out of rotation (ADR 0018): sends still succeed into the
 * outbox, readiness stays UP with the Kafka check {@code degraded} and the backlog in the metrics;
 * once Kafka is back the events arrive and the check says {@code ok}. Kafka is away for this
 * service only ({@link KafkaGate}); the shared broker keeps running for everyone else.
 */
@QuarkusTest
@TestProfile(KafkaGate.Away.class)
class KafkaAwayReadinessTest {

    private static final String KAFKA = "checks.find { it.name == '" + KafkaDeliveryHealth.NAME + "' }";

    @Test
    void readyAndSendingWhileKafkaIsAwayAndTheBacklogArrivesWhenItIsBack() {
        try (TopicReader topic = new TopicReader(Topics.CHAT_MESSAGES)) {
            // away since start: the service came up ready all the same
            ready().body(KAFKA + ".status", equalTo("UP"));
            Users alice = Users.fresh();
            String room = alice.group();
            alice.send(room, "away-1", "while Kafka is away 1").statusCode(201);
            alice.send(room, "away-2", "while Kafka is away 2").statusCode(201);

            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                ready().body(KAFKA + ".status", equalTo("UP")).body(KAFKA + ".data.state", equalTo("degraded"))
                        .body(KAFKA + ".data.outboxBacklog", greaterThan(0));
                assertTrue(Metrics.value("talkline_outbox_backlog") > 0, "backlog gauge");
                assertTrue(Metrics.value("talkline_outbox_oldest_age_seconds") > 0, "oldest age gauge");
            });
            given().get("/q/health/live").then().statusCode(200);
            double publishedBefore = Metrics.value("talkline_outbox_published_total");

            KafkaGate.OF_PROFILE.open();
            List<Long> seqs = topic.await(r -> room.equals(r.key()) && "message.created".equals(r.event().type()), 2,
                    Duration.ofSeconds(60)).stream().map(r -> r.event().payload().get("seq").asLong()).distinct().toList();
            assertEquals(List.of(1L, 2L), seqs);

            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ready().body(KAFKA + ".data.state", equalTo("ok")).body(KAFKA + ".data.outboxBacklog", equalTo(0));
                assertEquals(0, Metrics.value("talkline_outbox_backlog"));
                assertTrue(Metrics.value("talkline_outbox_published_total") >= publishedBefore + 2, "published counter");
            });
        }
    }

    private static ValidatableResponse ready() {
        return given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
