package io.talkline.audit.store;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.talkline.audit.config.AuditConfig;

/**
 * The indexes every query and the retention need, made at start (or, with Mongo away then, before
 * the first write). A TTL index whose retention changed in the configuration is made again.
 */
@ApplicationScoped
public class CollectionIndexes {

    static final String TTL = "ts_ttl";

    private final AuditDatabase database;
    private final AuditConfig config;
    private volatile boolean made;

    public CollectionIndexes(AuditDatabase database, AuditConfig config) {
        this.database = database;
        this.config = config;
    }

    void atStart(@Observes StartupEvent start) {
        try {
            ensure();
        } catch (MongoException e) {
            Log.warnf("indexes not made yet (Mongo: %s); they are made before the first write", e.getMessage());
        }
    }

    public void ensure() {
        if (made) {
            return;
        }
        synchronized (this) {
            if (made) {
                return;
            }
            MongoDatabase db = database.get();
            long retention = config.retention().toSeconds();

            MongoCollection<Document> events = db.getCollection("audit_events");
            ttl(events, "ts", Optional.of(retention));
            // each filter of /api/audit/events, newest first, with the id as tie-break for the cursor
            for (String field : List.of("actorId", "type", "service")) {
                events.createIndex(Indexes.compoundIndex(Indexes.ascending(field), Indexes.descending("ts", "_id")),
                        new IndexOptions().name(field + "_ts"));
            }
            events.createIndex(Indexes.ascending("requestId", "ts"), new IndexOptions().name("requestId_ts"));

            MongoCollection<Document> logs = db.getCollection("logs");
            ttl(logs, "ts", Optional.of(retention));
            for (String field : List.of("service", "level")) {
                logs.createIndex(Indexes.compoundIndex(Indexes.ascending(field), Indexes.descending("ts", "_id")),
                        new IndexOptions().name(field + "_ts"));
            }
            logs.createIndex(Indexes.ascending("requestId", "ts"), new IndexOptions().name("requestId_ts"));

            MongoCollection<Document> archive = db.getCollection("message_archive");
            archive.createIndex(Indexes.ascending("roomId", "seq"), new IndexOptions().name("roomId_seq"));
            ttl(archive, "createdAt", config.archiveRetention().map(d -> d.toSeconds()));
            made = true;
        }
    }

    /** The TTL index on {@code field} with this expiry, or none when there is no expiry. */
    private static void ttl(MongoCollection<Document> collection, String field, Optional<Long> seconds) {
        String name = field.equals("ts") ? TTL : field + "_ttl";
        Optional<Document> existing = find(collection, name);
        Long current = existing.map(index -> index.get("expireAfterSeconds") instanceof Number n ? n.longValue() : null)
                .orElse(null);
        if (existing.isPresent() && (seconds.isEmpty() || !seconds.get().equals(current))) {
            collection.dropIndex(name);
            existing = Optional.empty();
        }
        if (existing.isEmpty() && seconds.isPresent()) {
            Bson keys = Indexes.ascending(field);
            collection.createIndex(keys, new IndexOptions().name(name).expireAfter(seconds.get(), TimeUnit.SECONDS));
        }
    }

    private static Optional<Document> find(MongoCollection<Document> collection, String name) {
        for (Document index : collection.listIndexes()) {
            if (name.equals(index.getString("name"))) {
                return Optional.of(index);
            }
        }
        return Optional.empty();
    }
}
