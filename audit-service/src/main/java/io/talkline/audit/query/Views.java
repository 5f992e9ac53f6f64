package io.talkline.audit.query;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.talkline.audit.archive.ArchivedMessage;
import io.talkline.audit.logs.LogEntry;
import io.talkline.audit.trail.AuditEvent;

/** What the query API answers (api.md: Audit); {@code kind} tells events and log records apart in one list. */
public final class Views {

    private Views() {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EventView(String kind, String id, Instant ts, String service, String type, String actorId,
            String requestId, String ip, Map<String, Object> data, String traceId) {

        static EventView of(AuditEvent e) {
            return new EventView("event", e.id, e.ts, e.service, e.type, e.actorId, e.requestId, e.ip,
                    e.data == null ? Map.of() : e.data, e.traceId);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LogView(String kind, String id, Instant ts, String service, String instance, String level,
            String logger, String thread, String message, String error, String requestId, String userId,
            String traceId) {

        static LogView of(LogEntry l) {
            return new LogView("log", l.id, l.ts, l.service, l.instance, l.level, l.logger, l.thread, l.message,
                    l.error, l.requestId, l.userId, l.traceId);
        }
    }

    public record Edit(Instant at, String body) {
    }

    public record MessageView(String id, String roomId, long seq, String senderId, String clientMsgId, String type,
            String body, String originalBody, String mediaId, String replyTo, Map<String, Object> reactions,
            Instant createdAt, Instant editedAt, Instant deletedAt, String deletedBy, String deletedReason,
            List<Edit> edits) {

        static MessageView of(ArchivedMessage m) {
            return new MessageView(m.id, m.roomId, m.seq, m.senderId, m.clientMsgId, m.type, m.body, m.originalBody,
                    m.mediaId, m.replyTo, m.reactions == null ? Map.of() : m.reactions, m.createdAt, m.editedAt,
                    m.deletedAt, m.deletedBy, m.deletedReason,
                    m.edits == null ? List.of() : m.edits.stream().map(e -> new Edit(e.at, e.body)).toList());
        }
    }

    /** A page, newest first; {@code nextCursor} is null on the last one. */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record Items<T>(List<T> items) {
    }

    public record MessagePage(List<MessageView> items, boolean hasMore) {
    }
}
