package io.talkline.audit.archive;

import java.time.Instant;
import java.util.Comparator;

import com.fasterxml.jackson.databind.JsonNode;

import io.talkline.audit.store.Documents;

/**
 * Folds one chat.messages.v1 event (its payload is the whole message as chat-service saw it) into
 * the archived message. Every rule is idempotent and independent of order, so redelivery and
 * events overtaking each other end in the same document: the body is the one of the latest
 * version (by edit time), edits are a set keyed by their time, the deletion is the earliest one
 * seen and never undone, reactions come from the latest event.
 */
public final class ArchiveFold {

    private ArchiveFold() {
    }

    /** A message event: the envelope's type, actor and time, and its payload. */
    public record MessageEvent(String type, String actorId, Instant occurredAt, JsonNode message) {

        public String messageId() {
            return message.path("id").asText(null);
        }
    }

    public static ArchivedMessage apply(ArchivedMessage current, MessageEvent event) {
        JsonNode m = event.message();
        ArchivedMessage a = current != null ? current : new ArchivedMessage();
        if (a.id == null) {
            a.id = m.path("id").asText();
        }
        a.roomId = first(a.roomId, text(m, "roomId"));
        if (a.seq == 0) {
            a.seq = m.path("seq").asLong();
        }
        a.senderId = first(a.senderId, text(m, "senderId"));
        a.clientMsgId = first(a.clientMsgId, text(m, "clientMsgId"));
        a.type = first(a.type, text(m, "type"));
        a.replyTo = first(a.replyTo, text(m, "replyTo"));
        a.createdAt = first(a.createdAt, instant(m, "createdAt"));

        String body = text(m, "body");
        Instant editedAt = instant(m, "editedAt");
        if (body != null) {
            if (editedAt == null) {
                a.originalBody = body;
            } else if (a.edits.stream().noneMatch(e -> e.at.equals(editedAt))) {
                a.edits.add(new ArchivedMessage.Edit(editedAt, body));
                a.edits.sort(Comparator.comparing(e -> e.at));
            }
            Instant version = editedAt != null ? editedAt : a.createdAt;
            Instant held = a.editedAt != null ? a.editedAt : a.createdAt;
            if (a.body == null || version == null || held == null || !version.isBefore(held)) {
                a.body = body;
            }
        }
        if (text(m, "mediaId") != null) {
            a.mediaId = text(m, "mediaId");
        }
        if (editedAt != null && (a.editedAt == null || editedAt.isAfter(a.editedAt))) {
            a.editedAt = editedAt;
        }
        Instant deletedAt = instant(m, "deletedAt");
        if (deletedAt != null && (a.deletedAt == null || deletedAt.isBefore(a.deletedAt))) {
            a.deletedAt = deletedAt;
            a.deletedBy = event.actorId();
            a.deletedReason = text(m, "deletedReason");
        }
        if (a.stateAt == null || !event.occurredAt().isBefore(a.stateAt)) {
            a.stateAt = event.occurredAt();
            JsonNode reactions = m.path("reactions");
            a.reactions = reactions.isObject() && !reactions.isEmpty() ? Documents.of(reactions) : null;
        }
        return a;
    }

    private static <T> T first(T held, T offered) {
        return held != null ? held : offered;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }
}
