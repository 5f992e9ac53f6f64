package io.talkline.commons.events;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jboss.logging.MDC;

import com.fasterxml.jackson.databind.JsonNode;

import io.talkline.commons.requestid.RequestIds;

/**
 * Every Kafka event of the platform (architecture.md): consumers are idempotent by {@code id},
 * and records are keyed by the aggregate id so order holds per room or user.
 */
public record EventEnvelope(String id, String type, int version, Instant occurredAt, String requestId, String actorId,
        JsonNode payload) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
    }

    /** A version-1 event of the current request (its id taken from the logging MDC, if any). */
    public static EventEnvelope of(String type, String actorId, JsonNode payload, Clock clock) {
        return of(UUID.randomUUID().toString(), type, actorId, payload, clock);
    }

    /** The same, under a given id: an audit event that mirrors a domain event carries that event's id. */
    public static EventEnvelope of(String id, String type, String actorId, JsonNode payload, Clock clock) {
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        return new EventEnvelope(id, type, 1, clock.instant(), requestId == null ? null : requestId.toString(), actorId,
                payload);
    }
}
