package io.talkline.audit.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.talkline.audit.store.CollectionIndexes;
import io.talkline.audit.store.Documents;
import io.talkline.audit.store.Envelopes;
import io.talkline.audit.store.Retrying;
import io.talkline.audit.trail.Bulk;

/** platform.logs.v1 → {@code logs}: every service's WARN and ERROR records, once each (by their id). */
@ApplicationScoped
public class LogListener {

    private final ObjectMapper json;
    private final Envelopes envelopes;
    private final Retrying retrying;
    private final CollectionIndexes indexes;
    private final Counter stored;

    public LogListener(ObjectMapper json, Envelopes envelopes, Retrying retrying, CollectionIndexes indexes,
            MeterRegistry metrics) {
        this.json = json;
        this.envelopes = envelopes;
        this.retrying = retrying;
        this.indexes = indexes;
        this.stored = Counter.builder("talkline_audit_stored_total").tag("collection", "logs")
                .description("Records written to the collection (new, or replacing a copy)").register(metrics);
    }

    @Incoming("logs")
    @Blocking(ordered = true)
    public void onBatch(ConsumerRecords<String, String> records) throws InterruptedException {
        List<LogEntry> entries = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            LogEntry entry = entry(record);
            if (entry != null) {
                entries.add(entry);
            }
        }
        retrying.run("logs", () -> {
            indexes.ensure();
            int refused = Bulk.insertIgnoringDuplicates(LogEntry.mongoCollection(), entries).size();
            stored.increment(entries.size() - refused);
        });
    }

    private LogEntry entry(ConsumerRecord<String, String> record) {
        try {
            JsonNode node = json.readTree(record.value());
            LogEntry entry = new LogEntry();
            entry.id = node.path("id").asText(null);
            entry.ts = Instant.parse(node.path("ts").asText());
            if (entry.id == null || entry.id.isBlank()) {
                return envelopes.skip(record, new IllegalArgumentException("no id"));
            }
            entry.level = Documents.text(node, "level");
            entry.service = Documents.text(node, "service");
            entry.instance = Documents.text(node, "instance");
            entry.requestId = Documents.text(node, "requestId");
            entry.userId = Documents.text(node, "userId");
            entry.traceId = Documents.text(node, "traceId");
            entry.logger = Documents.text(node, "logger");
            entry.thread = Documents.text(node, "thread");
            entry.message = Documents.text(node, "message");
            entry.error = Documents.text(node, "error");
            return entry;
        } catch (Exception e) {
            return envelopes.skip(record, e);
        }
    }

}
