package io.talkline.chat.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.Outages;
import io.talkline.commons.testing.TopicReader;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;

/** Sends never wait for Kafka; what they wrote to the outbox reaches chat.messages.v1 once it is back. */
@QuarkusTest
class KafkaOutageTest {

    private static final int SENDS = 40;

    @Test
    void everyEventOfSendsDuringAKafkaOutageArrivesInOrderAfterIt() {
        try (TopicReader topic = new TopicReader(Topics.CHAT_MESSAGES)) {
            Users alice = Users.fresh();
            String room = alice.group();
            alice.send(room, "before", "before the outage").statusCode(201);
            // skipped with the reason printed where devstack did not start this Kafka; fails under CI=true
            Outages.stop(Component.KAFKA);
            try {
                for (int i = 2; i <= SENDS; i++) {
                    alice.send(room, "during-" + i, "while Kafka is down " + i).statusCode(201);
                }
            } finally {
                Devstack.shared().up(EnumSet.of(Component.KAFKA));
            }
            List<Long> seqs = topic.await(r -> room.equals(r.key()), SENDS, Duration.ofSeconds(90)).stream()
                    .peek(r -> assertEquals("message.created", r.event().type()))
                    .map(r -> r.event().payload().get("seq").asLong()).toList();
            // at least once: a retry after the outage may repeat one; none is missing, order holds
            assertEquals(LongStream.rangeClosed(1, SENDS).boxed().toList(), seqs.stream().distinct().toList());
        }
    }
}
