package io.talkline.chat.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.events.Topics;
import io.talkline.commons.logs.LogShipping;
import io.talkline.commons.testing.JsonTopicReader;
import io.talkline.commons.testing.Metrics;

/** WARN and ERROR records of a request reach platform.logs.v1 with the request's ids; INFO stays local. */
@QuarkusTest
class LogShippingTest {

    @Test
    void warnAndErrorOfARequestAreShippedWithItsIdsAndInfoIsNot() {
        try (JsonTopicReader topic = new JsonTopicReader(Topics.LOGS)) {
            Users alice = Users.fresh();
            String marker = UUID.randomUUID().toString();
            String requestId = "logs-" + marker;
            alice.call().header("X-Request-Id", requestId).post("/test/log-probe/" + marker).then().statusCode(204);

            List<JsonTopicReader.Received> shipped = topic.await(r -> mentions(r, marker), 2, Duration.ofSeconds(30));
            // the INFO was logged first, on the same thread and key: had it shipped, it would be read before these
            assertEquals(List.of("WARN", "ERROR"), shipped.stream().map(r -> r.value().get("level").asText()).toList());

            JsonTopicReader.Received warn = shipped.get(0);
            assertEquals("chat-service", warn.key());
            assertEquals(requestId, warn.requestIdHeader());
            JsonNode value = warn.value();
            List<String> fields = new ArrayList<>();
            value.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("id", "ts", "level", "service", "instance", "requestId", "userId", "traceId", "logger",
                    "thread", "message", "error"), fields);
            assertEquals("chat-service", value.get("service").asText());
            String instanceId = ConfigProvider.getConfig().getOptionalValue("talkline.instance-id", String.class)
                    .orElse(null);
            assertEquals(LogShipping.instance(Optional.ofNullable(instanceId)), value.get("instance").asText());
            assertEquals(requestId, value.get("requestId").asText());
            assertEquals(alice.id(), value.get("userId").asText(), "the verified caller, from the MDC");
            assertEquals("log probe " + marker + " warn", value.get("message").asText());
            assertEquals(LogProbeResource.class.getName(), value.get("logger").asText());
            assertNotNull(Instant.parse(value.get("ts").asText()));
            assertTrue(value.get("error").isNull());

            JsonNode error = shipped.get(1).value();
            assertEquals(alice.id(), error.get("userId").asText());
            assertTrue(error.get("error").asText().startsWith("java.lang.IllegalStateException: probe failure " + marker
                    + "\n\tat "), error.get("error").asText());

            assertTrue(Metrics.value("talkline_logs_shipped_total") >= 2);
        }
    }

    @Test
    void aRecordOutsideARequestHasNoRequestOrUser() {
        try (JsonTopicReader topic = new JsonTopicReader(Topics.LOGS)) {
            String marker = UUID.randomUUID().toString();
            Log.warnf("outside any request %s", marker);
            List<JsonTopicReader.Received> shipped = topic.await(r -> mentions(r, marker), 1, Duration.ofSeconds(30));
            assertEquals(1, shipped.size());
            assertNull(shipped.get(0).requestIdHeader());
            assertTrue(shipped.get(0).value().get("requestId").isNull());
            assertTrue(shipped.get(0).value().get("userId").isNull());
        }
    }

    private static boolean mentions(JsonTopicReader.Received record, String marker) {
        return record.value().path("message").asText().contains(marker);
    }
}
