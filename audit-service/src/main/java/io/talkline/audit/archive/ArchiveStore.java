package io.talkline.audit.archive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.audit.archive.ArchiveFold.MessageEvent;
import io.talkline.audit.store.CollectionIndexes;

/**
 * Folds a batch of message events into the archive: one read of the messages concerned, the fold,
 * one bulk write. Each write names the revision it read, so when two consumers meet on a message
 * (while partitions move between instances) the loser reads again and folds again: no event's
 * effect is lost.
 */
@ApplicationScoped
public class ArchiveStore {

    private static final int DUPLICATE_KEY = 11000;
    private static final int ROUNDS = 10;

    private final CollectionIndexes indexes;
    private final Counter stored;

    public ArchiveStore(CollectionIndexes indexes, MeterRegistry metrics) {
        this.indexes = indexes;
        this.stored = Counter.builder("talkline_audit_stored_total").tag("collection", "message_archive")
                .description("Records written to the collection (new, or replacing a copy)").register(metrics);
    }

    public void store(List<MessageEvent> events) {
        indexes.ensure();
        Map<String, List<MessageEvent>> pending = new LinkedHashMap<>();
        for (MessageEvent event : events) {
            pending.computeIfAbsent(event.messageId(), id -> new ArrayList<>()).add(event);
        }
        for (int round = 1; !pending.isEmpty(); round++) {
            if (round > ROUNDS) {
                throw new IllegalStateException("messages kept changing under the archive: " + pending.keySet());
            }
            pending = write(pending);
        }
    }

    /** One round: returns the messages whose write met another writer's (to fold again). */
    private Map<String, List<MessageEvent>> write(Map<String, List<MessageEvent>> pending) {
        Map<String, ArchivedMessage> held = new HashMap<>();
        for (ArchivedMessage message : ArchivedMessage.<ArchivedMessage> mongoCollection()
                .find(Filters.in("_id", pending.keySet()))) {
            held.put(message.id, message);
        }
        List<String> ids = new ArrayList<>();
        List<WriteModel<ArchivedMessage>> writes = new ArrayList<>();
        Map<String, Long> written = new HashMap<>();
        for (Map.Entry<String, List<MessageEvent>> entry : pending.entrySet()) {
            ArchivedMessage current = held.get(entry.getKey());
            long read = current == null ? -1 : current.rev;
            ArchivedMessage folded = current;
            for (MessageEvent event : entry.getValue()) {
                folded = ArchiveFold.apply(folded, event);
            }
            folded.rev = read + 1;
            ids.add(entry.getKey());
            written.put(entry.getKey(), folded.rev);
            writes.add(current == null ? new InsertOneModel<>(folded)
                    : new ReplaceOneModel<>(Filters.and(Filters.eq("_id", folded.id), Filters.eq("rev", read)), folded));
        }
        Map<String, List<MessageEvent>> again = new LinkedHashMap<>();
        long replaces = writes.stream().filter(w -> w instanceof ReplaceOneModel).count();
        BulkWriteResult result;
        int conflicts = 0;
        try {
            result = ArchivedMessage.mongoCollection().bulkWrite(writes, new BulkWriteOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            if (e.getWriteConcernError() != null || e.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
                throw e;
            }
            result = e.getWriteResult();
            conflicts = e.getWriteErrors().size(); // inserted meanwhile by another writer
        }
        // a replace that matched nothing lost to another writer: find those by the revision now held
        if (conflicts > 0 || result.getMatchedCount() < replaces) {
            for (ArchivedMessage now : ArchivedMessage.<ArchivedMessage> mongoCollection().find(Filters.in("_id", ids))) {
                if (now.rev != written.get(now.id)) {
                    again.put(now.id, pending.get(now.id));
                }
            }
        }
        stored.increment(ids.size() - again.size());
        return again;
    }
}
