package io.talkline.commons.events;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Audit events (api.md types: auth.login.succeeded, chat.message.deleted, …) on
 * {@code audit.events.v1}, with the request id, client address and user agent of the request that
 * caused them, through the outbox: an event exists exactly when the change does, even with Kafka
 * down.
 */
@ApplicationScoped
@IfBuildProperty(name = "platform.outbox.enabled", stringValue = "true")
public class AuditLog {

    private final OutboxWriter outbox;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final String service;

    public AuditLog(OutboxWriter outbox, ObjectMapper json, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.outbox = outbox;
        this.json = json;
        this.service = service;
    }

    /**
     * Records an event in the current transaction, or in one of its own when there is none (a
     * refused login changes nothing else but must still be recorded).
     *
     * @param key the Kafka key: the user or room the event is about, so its events stay in order
     */
    @Transactional
    public void record(String type, String actorId, String key, Map<String, ?> data) {
        record(java.util.UUID.randomUUID().toString(), type, actorId, key, data);
    }

    /**
     * The audit side of a domain event (calls.events.v1, media.events.v1) under that event's id:
     * audit-service reads both topics and stores the fact once, with this copy's request details.
     */
    @Transactional
    public void record(String eventId, String type, String actorId, String key, Map<String, ?> data) {
        HttpServerRequest request = currentRequest();
        String ip = request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String userAgent = request == null ? null : request.getHeader("User-Agent");
        AuditPayload payload = new AuditPayload(service, ip, userAgent, json.valueToTree(data));
        outbox.append(Topics.AUDIT, key, EventEnvelope.of(eventId, type, actorId, json.valueToTree(payload), clock));
    }

    private static HttpServerRequest currentRequest() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext context = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return context == null ? null : context.request();
    }
}
