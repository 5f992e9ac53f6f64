package io.talkline.audit.trail;

import java.time.Instant;

import org.bson.Document;
import org.bson.codecs.pojo.annotations.BsonId;

import io.quarkus.mongodb.panache.PanacheMongoEntityBase;
import io.quarkus.mongodb.panache.common.MongoEntity;

/**
 * One audit event, stored under the id it was published with (so redelivery stores it once).
 * {@code source} is the topic it came from: audit.events.v1 carries the request's address and
 * user agent, a domain topic (calls, media) only the event.
 */
@MongoEntity(collection = "audit_events")
public class AuditEvent extends PanacheMongoEntityBase {

    @BsonId
    public String id;
    public Instant ts;
    public String service;
    public String type;
    public String actorId;
    public String requestId;
    public String ip;
    public String userAgent;
    public Document data;
    public String source;
    /** The trace of the work that made the event (its record's traceparent), when there was one. */
    public String traceId;
}
