package io.talkline.audit.logs;

import java.time.Instant;

import org.bson.codecs.pojo.annotations.BsonId;

import io.quarkus.mongodb.panache.PanacheMongoEntityBase;
import io.quarkus.mongodb.panache.common.MongoEntity;

/** A WARN or ERROR record some service shipped to platform.logs.v1 (platform-commons' log shipping). */
@MongoEntity(collection = "logs")
public class LogEntry extends PanacheMongoEntityBase {

    @BsonId
    public String id;
    public Instant ts;
    public String level;
    public String service;
    public String instance;
    public String requestId;
    public String userId;
    public String traceId;
    public String logger;
    public String thread;
    public String message;
    public String error;
}
