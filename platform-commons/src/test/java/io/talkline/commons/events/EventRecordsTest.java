package io.talkline.commons.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.talkline.commons.requestid.RequestIds;
import io.talkline.commons.tracing.TraceContext;
import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Infra;

class EventRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void envelopeTakesTheRequestIdFromTheMdc() {
        MDC.put(RequestIds.MDC_KEY, "req-7");
        try {
            EventEnvelope event = EventEnvelope.of("chat.message.deleted", "user-1",
                    JSON.valueToTree(Map.of("roomId", "r1")), CLOCK);
            assertEquals("req-7", event.requestId());
            assertEquals(1, event.version());
            assertEquals(CLOCK.instant(), event.occurredAt());
            assertEquals(UUID.fromString(event.id()).toString(), event.id());
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
        assertNull(EventEnvelope.of("t", null, JSON.createObjectNode(), CLOCK).requestId());
    }

    @Test
    void envelopeRejectsWhatConsumersCannotHandle() {
        assertThrows(NullPointerException.class,
                () -> new EventEnvelope("id", null, 1, CLOCK.instant(), null, null, JSON.createObjectNode()));
        assertThrows(IllegalArgumentException.class,
                () -> new EventEnvelope("id", "t", 0, CLOCK.instant(), null, null, JSON.createObjectNode()));
    }

    @Test
    void recordHasTheArchitectureShapeAndHeaders() throws Exception {
        EventEnvelope event = new EventEnvelope("e-1", "auth.logout", 1, CLOCK.instant(), "req-1", "u-1",
                JSON.valueToTree(Map.of("sessionId", "s-1")));
        ProducerRecord<String, String> record = EventRecords.toRecord("audit.events.v1", "u-1", event, JSON);
        assertEquals("u-1", record.key());
        var body = JSON.readTree(record.value());
        assertEquals("e-1", body.get("id").asText());
        assertEquals("auth.logout", body.get("type").asText());
        assertEquals(1, body.get("version").asInt());
        assertEquals("2026-11-28T10:00:00Z", body.get("occurredAt").asText());
        assertEquals("req-1", body.get("requestId").asText());
        assertEquals("u-1", body.get("actorId").asText());
        assertEquals("s-1", body.get("payload").get("sessionId").asText());
        assertEquals("req-1", EventRecords.requestId(record.headers()));
        assertEquals("auth.logout", header(record, EventRecords.TYPE_HEADER));
        assertEquals("e-1", header(record, EventRecords.ID_HEADER));
    }

    /** The work that made an event continues its trace on the record: Kafka tracing reads this header. */
    @Test
    void recordCarriesTheTraceparentOfTheWorkThatMadeIt() {
        EventEnvelope event = new EventEnvelope("e-2", "auth.logout", 1, CLOCK.instant(), null, "u-1",
                JSON.createObjectNode());
        assertNull(EventRecords.toRecord("audit.events.v1", "u-1", event, JSON).headers()
                .lastHeader(TraceContext.TRACEPARENT), "outside a trace there is no header");
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().build()) {
            Span span = tracing.get("test").spanBuilder("work").startSpan();
            ProducerRecord<String, String> record;
            try (Scope ignored = span.makeCurrent()) {
                record = EventRecords.toRecord("audit.events.v1", "u-1", event, JSON);
            } finally {
                span.end();
            }
            String traceparent = header(record, TraceContext.TRACEPARENT);
            assertEquals("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01",
                    traceparent);
            assertEquals(span.getSpanContext().getTraceId(), EventRecords.traceId(record.headers()));
        }
        assertNull(TraceContext.traceId("not-a-traceparent"));
        assertNull(TraceContext.traceId(null));
    }

    /** Through a real broker: the envelope and its request-id header come back as sent. */
    @Test
    void roundTripThroughKafka() throws Exception {
        Devstack.shared().up(java.util.EnumSet.of(Component.KAFKA));
        String requestId = "kafka-" + UUID.randomUUID();
        EventEnvelope sent = new EventEnvelope(UUID.randomUUID().toString(), "test.ping", 1, CLOCK.instant(), requestId,
                "tester", JSON.valueToTree(Map.of("n", 1)));
        String topic = "audit.events.v1";
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        RecordMetadata written;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new StringSerializer())) {
            written = producer.send(EventRecords.toRecord(topic, "tester", sent, JSON)).get(30, TimeUnit.SECONDS);
        }
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new StringDeserializer())) {
            // read from where the record was written, not from the start of a topic that only grows
            TopicPartition partition = new TopicPartition(topic, written.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (requestId.equals(EventRecords.requestId(record.headers()))) {
                        assertEquals(sent, EventRecords.fromRecord(record, JSON));
                        return;
                    }
                }
            }
        }
        throw new AssertionError("event with request id " + requestId + " never came back from Kafka");
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
