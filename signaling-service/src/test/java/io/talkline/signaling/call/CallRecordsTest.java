package io.talkline.signaling.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TopicReader;

/**
 * Call records reach MySQL and calls.events.v1 once each, even when two instances write the same
 * record; one that cannot be written is set aside instead of holding up the ones after it.
 */
@QuarkusTest
class CallRecordsTest {

    @Inject
    RedisDataSource redis;
    @Inject
    DataSource db;
    @Inject
    CallHistory history;
    @Inject
    CallStore store;

    private static String started(String callId, String roomId) {
        return "{\"event\":\"started\",\"callId\":\"" + callId + "\",\"roomId\":\"" + roomId + "\",\"media\":\"audio\","
                + "\"from\":\"u1\",\"createdAt\":" + System.currentTimeMillis() + ",\"invited\":[\"u2\"]}";
    }

    private static String ended(String callId, String roomId) {
        long now = System.currentTimeMillis();
        return "{\"event\":\"ended\",\"callId\":\"" + callId + "\",\"roomId\":\"" + roomId + "\",\"media\":\"audio\","
                + "\"from\":\"u1\",\"createdAt\":" + (now - 5000) + ",\"endedAt\":" + now + ",\"reason\":\"timeout\","
                + "\"joined\":[\"u1\"],\"invited\":{}}";
    }

    private String outcome(String callId) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement q = c.prepareStatement("SELECT COALESCE(outcome, 'ongoing') FROM calls WHERE id = ?")) {
            q.setString(1, callId);
            try (ResultSet rows = q.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    @Test
    void aRecordThatCannotBeWrittenIsSetAsideAndTheNextOnesAreWritten() throws Exception {
        String callId = UUID.randomUUID().toString();
        String room = "room-" + callId;
        String poison = "{\"event\":\"started\",\"callId\":null}";
        try (TopicReader calls = new TopicReader(Topics.CALLS); TopicReader audit = new TopicReader(Topics.AUDIT)) {
            redis.execute("RPUSH", store.events(), poison, started(callId, room), ended(callId, room));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "missed".equals(outcome(callId)));
            List<String> failed = new java.util.ArrayList<>();
            redis.execute("LRANGE", store.failedEvents(), "0", "-1").forEach(r -> failed.add(r.toString()));
            assertTrue(failed.contains(poison), failed.toString());
            List<TopicReader.Received> events = calls.await(r -> callId.equals(r.event().payload().path("callId").asText()),
                    2, Duration.ofSeconds(20));
            assertEquals(List.of("call.started", "call.ended"), events.stream().map(r -> r.event().type()).toList());
            assertEquals(room, events.getFirst().key());
            // an empty list written by the script as {} reads as no one missed
            assertEquals(0, events.get(1).event().payload().path("missed").size());
            List<TopicReader.Received> audited = audit.await(
                    r -> callId.equals(r.event().payload().path("data").path("callId").asText()), 2, Duration.ofSeconds(20));
            assertEquals(List.of("call.started", "call.ended"), audited.stream().map(r -> r.event().type()).toList());
            assertEquals("signaling-service", audited.getFirst().event().payload().path("service").asText());
        }
    }

    @Test
    void aRecordWrittenTwiceMakesOneRowAndOneEvent() throws Exception {
        String callId = UUID.randomUUID().toString();
        String room = "room-" + callId;
        double startedBefore = Metrics.value("talkline_signaling_calls_total", "event=call.started");
        double endedBefore = Metrics.value("talkline_signaling_calls_total", "event=call.ended");
        try (TopicReader calls = new TopicReader(Topics.CALLS)) {
            history.persist(started(callId, room));
            history.persist(started(callId, room));
            String end = ended(callId, room);
            history.persist(end);
            history.persist(end);
            assertEquals("missed", outcome(callId));
            // a later call of the same room: same key, same partition, shipped after whatever the
            // four writes above put in the outbox, so once it is read every event of callId is too
            String later = UUID.randomUUID().toString();
            history.persist(started(later, room));
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                    () -> calls.find(r -> later.equals(r.event().payload().path("callId").asText())).isPresent());
            List<String> types = calls.poll().stream()
                    .filter(r -> callId.equals(r.event().payload().path("callId").asText()))
                    .map(r -> r.event().type()).toList();
            assertEquals(List.of("call.started", "call.ended"), types);
        }
        // counted where the events are emitted (once each, as asserted above); calls of earlier tests
        // may still be ending in the background, so at least these
        assertTrue(Metrics.value("talkline_signaling_calls_total", "event=call.started") >= startedBefore + 2);
        assertTrue(Metrics.value("talkline_signaling_calls_total", "event=call.ended") >= endedBefore + 1);
    }
}
