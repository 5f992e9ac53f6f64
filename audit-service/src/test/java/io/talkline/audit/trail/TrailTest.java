package io.talkline.audit.trail;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.talkline.audit.Publish;
import io.talkline.commons.events.AuditPayload;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TestTokens;

/** audit.events.v1 and the domain topics into the trail, once per event, and read back by admins. */
@QuarkusTest
class TrailTest {

    static final String ADMIN = TestTokens.token(Publish.id(), "admin");

    static JsonPath events(String query) {
        return given().header("Authorization", "Bearer " + ADMIN).get("/api/audit/events?" + query).then()
                .statusCode(200).extract().jsonPath();
    }

    static AuditPayload audited(String service, Map<String, ?> data) {
        return new AuditPayload(service, "203.0.113.7", "test-agent", Publish.JSON.valueToTree(data));
    }

    @Test
    void anEventRedeliveredAndMirroredOnItsDomainTopicIsStoredOnceWithTheRequestDetails() {
        String id = Publish.id();
        String requestId = "req-" + Publish.id();
        Instant at = Instant.parse("2026-12-05T08:00:00.123Z");
        try (Publish publish = new Publish()) {
            // the domain copy (calls.events.v1) first, then the audit copy three times: redelivery
            publish.envelope(Topics.CALLS, "room-1", Publish.event(id, "call.ended", null, requestId, at,
                    Publish.JSON.valueToTree(Map.of("callId", "c-1", "outcome", "completed"))));
            publish.flush();
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> AuditEvent.mongoCollection().countDocuments(Filters.eq("_id", id)) == 1);
            for (int i = 0; i < 3; i++) {
                publish.envelope(Topics.AUDIT, "room-1", Publish.event(id, "call.ended", null, requestId, at,
                        Publish.JSON.valueToTree(audited("signaling-service", Map.of("callId", "c-1")))));
            }
            // and the domain copy once more, after the audit copy: it must not replace it
            publish.envelope(Topics.CALLS, "room-1", Publish.event(id, "call.ended", null, requestId, at,
                    Publish.JSON.valueToTree(Map.of("callId", "c-1", "outcome", "completed"))));
            String marker = Publish.id();
            publish.envelope(Topics.CALLS, "room-1", Publish.event(marker, "call.started", null, requestId,
                    at.plusSeconds(1), Publish.JSON.valueToTree(Map.of("callId", "c-2"))));
            publish.flush();
            // the marker is behind every copy on the same partition (same key)
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> AuditEvent.mongoCollection().countDocuments(Filters.eq("_id", marker)) == 1);
        }
        assertEquals(1, AuditEvent.mongoCollection().countDocuments(Filters.eq("_id", id)));
        JsonPath found = events("requestId=" + requestId);
        assertEquals(id, found.getString("items[1].id"));
        assertEquals("203.0.113.7", found.getString("items[1].ip"));
        assertEquals("signaling-service", found.getString("items[1].service"));
        assertEquals("call.ended", found.getString("items[1].type"));
        assertEquals("2026-12-05T08:00:00.123Z", found.getString("items[1].ts"));
        assertEquals("c-1", found.getString("items[1].data.callId"));
        assertEquals("call.started", found.getString("items[0].type"), "newest first");
        assertEquals("signaling-service", found.getString("items[0].service"), "a domain topic's events are its owner's");
        assertNull(found.getString("nextCursor"));
    }

    @Test
    void filtersCombineAndCursorsPageNewestFirstWithoutGapsOrRepeats() {
        String user = Publish.id();
        Instant base = Instant.parse("2026-12-01T10:00:00Z");
        try (Publish publish = new Publish()) {
            for (int i = 0; i < 7; i++) {
                // two events share each millisecond: the id breaks the tie
                publish.envelope(Topics.AUDIT, user,
                        Publish.event(Publish.id(), i % 2 == 0 ? "auth.login.failed" : "auth.logout",
                                user, "r" + i, base.plusMillis(i / 2),
                                Publish.JSON.valueToTree(audited("auth-service", Map.of("n", i)))));
            }
            publish.envelope(Topics.AUDIT, "other", Publish.event(Publish.id(), "auth.login.failed", Publish.id(), "x",
                    base, Publish.JSON.valueToTree(audited("auth-service", Map.of()))));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> AuditEvent.mongoCollection().countDocuments(Filters.eq("actorId", user)) == 7);

        JsonPath first = events("userId=" + user + "&limit=3");
        JsonPath second = events("userId=" + user + "&limit=3&cursor=" + first.getString("nextCursor"));
        JsonPath third = events("userId=" + user + "&limit=3&cursor=" + second.getString("nextCursor"));
        List<Integer> order = new java.util.ArrayList<>();
        for (JsonPath page : List.of(first, second, third)) {
            order.addAll(page.getList("items.data.n", Integer.class));
        }
        assertEquals(7, order.size());
        assertEquals(7, new java.util.HashSet<>(order).size(), "no entry twice across pages");
        assertNull(third.getString("nextCursor"));
        List<Instant> times = new java.util.ArrayList<>();
        for (JsonPath page : List.of(first, second, third)) {
            page.getList("items.ts", String.class).forEach(ts -> times.add(Instant.parse(ts)));
        }
        List<Instant> sorted = new java.util.ArrayList<>(times);
        sorted.sort(java.util.Comparator.reverseOrder());
        assertEquals(sorted, times, "newest first");

        assertEquals(4, events("userId=" + user + "&type=auth.login.failed").getList("items").size());
        assertEquals(3, events("userId=" + user + "&type=auth.logout&service=auth-service").getList("items").size());
        assertEquals(0, events("userId=" + user + "&service=chat-service").getList("items").size());
        // from and to are inclusive: the first two milliseconds hold four events
        assertEquals(4, events("userId=" + user + "&from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00.001Z")
                .getList("items").size());
    }

    @Test
    void onlyAdminsAndModeratorsReadAndBadParametersAre400sNamingThem() {
        given().get("/api/audit/events").then().statusCode(401);
        given().header("Authorization", "Bearer " + TestTokens.token(Publish.id())).get("/api/audit/events").then()
                .statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestTokens.token(Publish.id(), "moderator")).get("/api/audit/events")
                .then().statusCode(200).body("items", org.hamcrest.Matchers.notNullValue());
        given().header("Authorization", "Bearer " + TestTokens.token(Publish.id(), "moderator"))
                .get("/api/audit/requests/abc").then().statusCode(200).body("items", hasSize(0));
        for (String[] bad : new String[][] { { "limit=0", "limit" }, { "limit=201", "limit" },
                { "from=yesterday", "from" }, { "to=2026-13-01T00:00:00Z", "to" },
                { "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "to" }, { "cursor=%25%25", "cursor" },
                { "requestId=has%20space", "requestId" } }) {
            given().header("Authorization", "Bearer " + ADMIN).get("/api/audit/events?" + bad[0]).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo(bad[1]));
        }
        given().header("Authorization", "Bearer " + ADMIN).get("/api/audit/requests/" + "x".repeat(65)).then()
                .statusCode(400).body("errors[0].field", equalTo("requestId"));
    }

    @Test
    void eventsAndLogsExpireAfterTenDaysOfTheirTimeByTtlIndexesAndEveryFilterHasAnIndex() {
        Map<String, Document> events = indexes("audit_events");
        assertEquals(864000L, ((Number) events.get("ts_ttl").get("expireAfterSeconds")).longValue());
        assertEquals(new Document("ts", 1), events.get("ts_ttl").get("key"));
        for (String filter : List.of("actorId_ts", "type_ts", "service_ts", "requestId_ts")) {
            assertEquals(true, events.containsKey(filter), filter);
        }
        Map<String, Document> logs = indexes("logs");
        assertEquals(864000L, ((Number) logs.get("ts_ttl").get("expireAfterSeconds")).longValue());
        assertEquals(true, logs.containsKey("requestId_ts"));
        Map<String, Document> archive = indexes("message_archive");
        assertEquals(true, archive.containsKey("roomId_seq"));
        assertEquals(false, archive.containsKey("createdAt_ttl"), "the archive keeps everything by default");
    }

    static Map<String, Document> indexes(String collection) {
        Map<String, Document> byName = new java.util.HashMap<>();
        for (Document index : AuditEvent.mongoDatabase().getCollection(collection).listIndexes()) {
            byName.put(index.getString("name"), index);
        }
        return byName;
    }
}
