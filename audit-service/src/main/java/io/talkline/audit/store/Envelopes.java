package io.talkline.audit.store;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.talkline.commons.events.EventEnvelope;

/** Records → event envelopes; one that is not an envelope is skipped (logged, counted), never stalls a topic. */
@ApplicationScoped
public class Envelopes {

    private final ObjectMapper json;
    private final Counter skipped;

    public Envelopes(ObjectMapper json, MeterRegistry metrics) {
        this.json = json;
        this.skipped = Counter.builder("talkline_audit_skipped_total")
                .description("Records that were not readable events and were skipped").register(metrics);
    }

    /** The envelope, or null when the record is none (skipped). */
    public EventEnvelope parse(ConsumerRecord<String, String> record) {
        try {
            return json.readValue(record.value(), EventEnvelope.class);
        } catch (Exception | Error e) {
            return skip(record, e);
        }
    }

    public <T> T skip(ConsumerRecord<String, String> record, Throwable why) {
        skipped.increment();
        Log.warnf("%s-%d@%d: skipping a record that is not a readable event: %s", record.topic(), record.partition(),
                record.offset(), why.getMessage());
        return null;
    }
}
