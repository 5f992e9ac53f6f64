package io.talkline.commons.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.talkline.commons.requestid.RequestIds;
import io.talkline.commons.tracing.TraceContext;

/**
 * Envelope ⇄ Kafka record. The request id travels as a record header too, so a consumer can put it
 * in its MDC before it parses anything; the W3C {@code traceparent} of the work that made the event
 * travels as a header as well, where Kafka tracing looks for it. Not a CDI bean: services without
 * Kafka never load it.
 */
public final class EventRecords {

    /** Headers besides X-Request-Id: the event type and id, for routing and dedup without parsing. */
    public static final String TYPE_HEADER = "event-type";
    public static final String ID_HEADER = "event-id";

    private EventRecords() {
    }

    public static ProducerRecord<String, String> toRecord(String topic, String key, EventEnvelope event, ObjectMapper json) {
        String value;
        try {
            value = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " is not serialisable", e);
        }
        return toRecord(topic, key, value, event.id(), event.type(), event.requestId(), TraceContext.traceparent());
    }

    /** An envelope already serialised (an outbox row): the same record and headers. */
    public static ProducerRecord<String, String> toRecord(String topic, String key, String envelope, String eventId,
            String eventType, String requestId, String traceparent) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, envelope);
        put(record.headers(), ID_HEADER, eventId);
        put(record.headers(), TYPE_HEADER, eventType);
        put(record.headers(), RequestIds.HEADER, requestId);
        put(record.headers(), TraceContext.TRACEPARENT, traceparent);
        return record;
    }

    public static EventEnvelope fromRecord(ConsumerRecord<String, String> record, ObjectMapper json) {
        try {
            return json.readValue(record.value(), EventEnvelope.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("record at " + record.topic() + "/" + record.partition() + "@"
                    + record.offset() + " is not an event envelope", e);
        }
    }

    /** The request id header of a record, or null. */
    public static String requestId(Headers headers) {
        Header header = headers.lastHeader(RequestIds.HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The trace id of the record's {@code traceparent} header, or null. */
    public static String traceId(Headers headers) {
        Header header = headers.lastHeader(TraceContext.TRACEPARENT);
        return header == null ? null : TraceContext.traceId(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static void put(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
