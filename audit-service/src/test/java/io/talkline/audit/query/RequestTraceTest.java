package io.talkline.audit.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.talkline.audit.Publish;
import io.talkline.audit.logs.LogEntry;
import io.talkline.commons.events.AuditPayload;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TestTokens;

/** One request followed across services: its audit events and log records, in time order. */
@QuarkusTest
class RequestTraceTest {

    @Test
    void aRequestsEventsAndLogRecordsFromEveryServiceComeBackInTimeOrder() throws Exception {
        String requestId = "trace-" + Publish.id().substring(0, 8);
        Instant t0 = Instant.parse("2026-12-05T07:00:00Z");
        String logId = Publish.id();
        String marker = Publish.id();
        try (Publish publish = new Publish()) {
            publish.raw(Topics.LOGS, "gateway", Publish.JSON.writeValueAsString(Map.of("id", Publish.id(), "ts",
                    t0.plusMillis(9).toString(), "level", "WARN", "service", "gateway", "instance", "gateway-1",
                    "requestId", requestId, "logger", "io.talkline.gateway", "message", "upstream slow")));
            publish.raw(Topics.LOGS, "auth-service", Publish.JSON.writeValueAsString(Map.of("id", logId, "ts",
                    t0.toString(), "level", "ERROR", "service", "auth-service", "instance", "auth-1", "requestId", requestId,
                    "userId", "u-7", "logger", "io.talkline.auth", "message", "boom", "error",
                    "java.lang.IllegalStateException: boom")));
            publish.envelope(Topics.AUDIT, "u-7", Publish.event(Publish.id(), "auth.login.failed", "u-7", requestId,
                    t0.plusMillis(5), Publish.JSON.valueToTree(new AuditPayload("auth-service", "198.51.100.1", "ua",
                            Publish.JSON.valueToTree(Map.of("reason", "password"))))));
            publish.raw(Topics.LOGS, "gateway", "not json at all"); // skipped, never stalls the topic
            // the same log record again (redelivered, here with fewer fields): the first copy stays
            publish.raw(Topics.LOGS, "auth-service", Publish.JSON.writeValueAsString(Map.of("id", logId, "ts",
                    t0.toString(), "level", "ERROR", "service", "auth-service", "requestId", requestId, "message", "boom")));
            // behind it on the same partition (same key): once this is stored, the copy was handled
            publish.raw(Topics.LOGS, "auth-service", Publish.JSON.writeValueAsString(Map.of("id", marker, "ts",
                    t0.toString(), "level", "WARN", "service", "auth-service", "message", "marker")));
        }
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> LogEntry.mongoCollection().countDocuments(Filters.eq("_id", marker)) == 1);
        String admin = TestTokens.token(Publish.id(), "admin");
        JsonPath trace = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> given().header("Authorization", "Bearer " + admin).get("/api/audit/requests/" + requestId).then()
                        .statusCode(200).extract().jsonPath(),
                found -> found.getList("items").size() == 3);
        assertEquals(List.of("log", "event", "log"), trace.getList("items.kind"));
        assertEquals(List.of("auth-service", "auth-service", "gateway"), trace.getList("items.service"));
        assertEquals("java.lang.IllegalStateException: boom", trace.getString("items[0].error"));
        assertEquals("auth.login.failed", trace.getString("items[1].type"));
        assertEquals(3, trace.getList("items").size());
        assertEquals("auth-1", trace.getString("items[0].instance"), "a redelivered record never replaces the first");
        assertEquals("u-7", trace.getString("items[0].userId"));
        JsonPath logs = given().header("Authorization", "Bearer " + admin)
                .get("/api/audit/logs?service=gateway&requestId=" + requestId).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("upstream slow"), logs.getList("items.message"));
        given().header("Authorization", "Bearer " + admin).get("/api/audit/logs?level=warn&requestId=" + requestId).then()
                .statusCode(200).body("items.size()", org.hamcrest.Matchers.equalTo(1));
    }
}
