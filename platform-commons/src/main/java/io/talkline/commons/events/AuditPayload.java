package io.talkline.commons.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The payload of every event on {@code audit.events.v1}: who emitted it and from where, plus the
 * event's own data. audit-service stores it as {@code {service, ip, data}} of api.md.
 */
public record AuditPayload(String service, String ip, String userAgent, JsonNode data) {
}
