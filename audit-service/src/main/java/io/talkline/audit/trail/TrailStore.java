package io.talkline.audit.trail;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.WriteModel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.audit.store.CollectionIndexes;

/**
 * Writes audit events under their event id. An event published on audit.events.v1 replaces a copy
 * of the same event from a domain topic (it adds the request's address and user agent); a domain
 * copy never replaces anything. Either way an event is stored once, however often it arrives.
 */
@ApplicationScoped
public class TrailStore {

    private final CollectionIndexes indexes;
    private final Counter stored;
    private final Counter duplicates;

    public TrailStore(CollectionIndexes indexes, MeterRegistry metrics) {
        this.indexes = indexes;
        this.stored = Counter.builder("talkline_audit_stored_total").tag("collection", "audit_events")
                .description("Records written to the collection (new, or replacing a copy)").register(metrics);
        this.duplicates = Counter.builder("talkline_audit_duplicates_total").tag("collection", "audit_events")
                .description("Audit events that were stored already (redelivered)").register(metrics);
    }

    public void store(List<AuditEvent> audited, List<AuditEvent> fromDomainTopics) {
        indexes.ensure();
        // inserts first (nearly every event is new; an insert is the cheapest write), then the audit
        // copies that met a stored event replace it: that one may be the domain copy
        List<AuditEvent> all = new ArrayList<>(audited.size() + fromDomainTopics.size());
        all.addAll(audited);
        all.addAll(fromDomainTopics);
        List<Integer> refused = Bulk.insertIgnoringDuplicates(AuditEvent.mongoCollection(), all);
        List<WriteModel<AuditEvent>> replaces = new ArrayList<>();
        ReplaceOptions upsert = new ReplaceOptions().upsert(true);
        for (int index : refused) {
            if (index < audited.size()) {
                AuditEvent event = audited.get(index);
                replaces.add(new ReplaceOneModel<>(Filters.eq("_id", event.id), event, upsert));
            }
        }
        if (!replaces.isEmpty()) {
            AuditEvent.<AuditEvent> mongoCollection().bulkWrite(replaces, new BulkWriteOptions().ordered(false));
        }
        duplicates.increment(refused.size());
        stored.increment(all.size() - refused.size());
    }
}
