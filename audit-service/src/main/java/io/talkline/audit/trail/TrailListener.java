package io.talkline.audit.trail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.talkline.audit.store.Documents;
import io.talkline.audit.store.Envelopes;
import io.talkline.audit.store.Retrying;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.EventRecords;
import io.talkline.commons.events.Topics;

/**
 * audit.events.v1, calls.events.v1 and media.events.v1 → the audit trail. A batch is stored whole
 * or retried (Mongo away) holding its partitions; a record that is no event is skipped and counted.
 */
@ApplicationScoped
public class TrailListener {

    /** Who publishes each domain topic: its events are that service's. */
    private static final Map<String, String> OWNERS = Map.of(Topics.CALLS, "signaling-service", Topics.MEDIA,
            "media-service");

    private final TrailStore store;
    private final Envelopes envelopes;
    private final Retrying retrying;

    public TrailListener(TrailStore store, Envelopes envelopes, Retrying retrying) {
        this.store = store;
        this.envelopes = envelopes;
        this.retrying = retrying;
    }

    @Incoming("trail")
    @Blocking(ordered = true)
    public void onBatch(ConsumerRecords<String, String> records) throws InterruptedException {
        List<AuditEvent> audited = new ArrayList<>();
        List<AuditEvent> domain = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            EventEnvelope event = envelopes.parse(record);
            if (event == null) {
                continue;
            }
            AuditEvent entry = new AuditEvent();
            entry.id = event.id();
            entry.ts = event.occurredAt();
            entry.type = event.type();
            entry.actorId = event.actorId();
            entry.requestId = event.requestId();
            entry.source = record.topic();
            entry.traceId = EventRecords.traceId(record.headers());
            JsonNode payload = event.payload();
            if (Topics.AUDIT.equals(record.topic())) {
                entry.service = Documents.text(payload, "service");
                entry.ip = Documents.text(payload, "ip");
                entry.userAgent = Documents.text(payload, "userAgent");
                entry.data = Documents.of(payload.path("data"));
                audited.add(entry);
            } else {
                entry.service = OWNERS.getOrDefault(record.topic(), record.topic());
                entry.data = Documents.of(payload);
                domain.add(entry);
            }
        }
        retrying.run("audit trail", () -> store.store(audited, domain));
    }

}
