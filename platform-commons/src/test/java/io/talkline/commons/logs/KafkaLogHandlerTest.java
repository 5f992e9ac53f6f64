package io.talkline.commons.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.talkline.commons.requestid.RequestIdFilter;
import io.talkline.commons.testing.FreePorts;

class KafkaLogHandlerTest {

    private static final int RECORDS = 10_000;
    private static final int QUEUE = 2000;

    @Test
    void withKafkaUnreachableEveryRecordIsDroppedAndCountedWithoutHoldingTheLogger() {
        KafkaLogHandler handler = new KafkaLogHandler(new KafkaLogHandler.Settings("127.0.0.1:" + FreePorts.any(),
                "platform.logs.v1", "test-service", "test-instance", Level.WARN, QUEUE));
        LogContext context = LogContext.create();
        Logger root = context.getLogger("");
        root.addHandler(handler);
        try {
            Logger logger = context.getLogger("io.talkline.test.flood");
            for (int i = 0; i < RECORDS; i++) {
                logger.log(Level.WARN, "flood " + i); // returns: the assertion is that the loop ends
            }
            // neither counted as shipped nor as dropped: below the level, or Kafka's own (no recursion)
            logger.log(Level.INFO, "not shipped");
            context.getLogger("org.apache.kafka.clients.NetworkClient").log(Level.ERROR, "not shipped either");

            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> handler.shipped() + handler.dropped() == RECORDS);
            assertEquals(0, handler.shipped());
            assertTrue(handler.dropped() >= RECORDS - QUEUE, "dropped " + handler.dropped());
        } finally {
            root.removeHandler(handler);
            // bounded: two seconds of budget plus at most one metadata wait
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> handler.close(Duration.ofSeconds(2)));
        }
        assertEquals(RECORDS, handler.shipped() + handler.dropped());
    }

    @Test
    void theAccessLinesOfFailedRequestsShipBelowTheLevelAndNoOtherInfoDoes() {
        KafkaLogHandler handler = new KafkaLogHandler(new KafkaLogHandler.Settings("127.0.0.1:" + FreePorts.any(),
                "platform.logs.v1", "test-service", "test-instance", Level.WARN, QUEUE, true));
        LogContext context = LogContext.create();
        Logger root = context.getLogger("");
        root.addHandler(handler);
        try {
            context.getLogger(RequestIdFilter.FAILED_ACCESS).log(Level.INFO, "POST /api/auth/login 401 3.1ms");
            context.getLogger(RequestIdFilter.ACCESS).log(Level.INFO, "GET /api/rooms 200 1.2ms");
            context.getLogger("io.talkline.test").log(Level.INFO, "an ordinary INFO");
            context.getLogger("io.talkline.test").log(Level.WARN, "a WARN");
            // counted (shipped, or dropped with Kafka unreachable) once taken: the failed request and the WARN
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> handler.shipped() + handler.dropped() == 2);
        } finally {
            root.removeHandler(handler);
            handler.close(Duration.ofSeconds(2));
        }
        assertEquals(2, handler.shipped() + handler.dropped());
    }

    @Test
    void failedRequestsAreShippedAtMostAtTheirRateAndTheRestCountedAsThrottled() {
        KafkaLogHandler handler = new KafkaLogHandler(new KafkaLogHandler.Settings("127.0.0.1:" + FreePorts.any(),
                "platform.logs.v1", "test-service", "test-instance", Level.WARN, QUEUE, true, 5));
        LogContext context = LogContext.create();
        Logger root = context.getLogger("");
        root.addHandler(handler);
        long started = System.nanoTime();
        try {
            Logger failed = context.getLogger(RequestIdFilter.FAILED_ACCESS);
            for (int i = 0; i < 100; i++) {
                failed.log(Level.INFO, "GET /api/rooms 401 0.3ms");
            }
        } finally {
            root.removeHandler(handler);
            handler.close(Duration.ofSeconds(2));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long taken = handler.shipped() + handler.dropped();
        // a full bucket of 5, plus what refilled while the loop (and the close) ran
        assertTrue(taken >= 5 && taken <= 5 + Math.ceil(seconds * 5), "taken " + taken + " in " + seconds + " s");
        assertEquals(100, taken + handler.throttled());
    }

    @Test
    void aRecordCarriesExactlyTheContractFieldsWithMdcAndCutText() throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "x".repeat(10_000), ExtLogRecord.FormatStyle.NO_FORMAT,
                KafkaLogHandlerTest.class.getName());
        record.setLoggerName("io.talkline.chat.Probe");
        record.setMdc(Map.of("requestId", "req-1", "userId", "user-1", "traceId", "trace-1"));
        record.setThrown(new IllegalStateException("boom", deepCause(2000)));

        ShippedLog log = ShippedLog.of(record, "chat-service", "chat-1");
        JsonNode json = JsonMapper.builder().build().readTree(JsonMapper.builder().build().writeValueAsString(log));

        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("id", "ts", "level", "service", "instance", "requestId", "userId", "traceId", "logger",
                "thread", "message", "error"), fields);
        assertEquals(36, json.get("id").asText().length());
        assertEquals(record.getInstant(), Instant.parse(json.get("ts").asText()));
        assertTrue(json.get("ts").asText().endsWith("Z"));
        assertEquals("ERROR", json.get("level").asText());
        assertEquals("chat-service", json.get("service").asText());
        assertEquals("chat-1", json.get("instance").asText());
        assertEquals("req-1", json.get("requestId").asText());
        assertEquals("user-1", json.get("userId").asText());
        assertEquals("trace-1", json.get("traceId").asText());
        assertEquals("io.talkline.chat.Probe", json.get("logger").asText());
        assertEquals(Thread.currentThread().getName(), json.get("thread").asText());
        assertEquals(ShippedLog.MESSAGE_LIMIT, json.get("message").asText().length());
        String error = json.get("error").asText();
        assertTrue(error.startsWith("java.lang.IllegalStateException: boom\n\tat "), error.substring(0, 80));
        assertTrue(error.length() <= ShippedLog.ERROR_LIMIT, "error of " + error.length());
    }

    @Test
    void withoutMdcOrThrowableThoseFieldsAreNull() {
        ExtLogRecord record = new ExtLogRecord(java.util.logging.Level.WARNING, "plain",
                KafkaLogHandlerTest.class.getName());
        record.setMdc(Map.of());
        ShippedLog log = ShippedLog.of(record, "gateway", "gw-1");
        assertEquals("WARN", log.level());
        assertNull(log.requestId());
        assertNull(log.userId());
        assertNull(log.traceId());
        assertNull(log.error());
        assertEquals("plain", log.message());
    }

    private static Throwable deepCause(int depth) {
        Throwable cause = new RuntimeException("root");
        for (int i = 0; i < depth; i++) {
            cause = new RuntimeException("level " + i, cause);
        }
        return cause;
    }
}
