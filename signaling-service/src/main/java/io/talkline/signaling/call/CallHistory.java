package io.talkline.signaling.call;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.commons.events.AuditLog;
import io.talkline.commons.events.EventEnvelope;
import io.talkline.commons.events.OutboxWriter;
import io.talkline.commons.events.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Calls in MySQL, from the started/ended records of {@link CallStore}: each record is written once
 * (by call id) with its {@code calls.events.v1} and audit events in the same transaction, so a
 * record persisted twice by racing instances yields one row and one event.
 */
@ApplicationScoped
public class CallHistory {

    /** One call as {@code GET /api/calls} lists it. */
    public record CallRecord(String id, String roomId, String media, String initiatorId, List<String> participants,
            List<String> missed, Instant createdAt, Instant startedAt, Instant endedAt, Long durationSeconds,
            String outcome, String reason) {
    }

    private final DataSource db;
    private final MeterRegistry metrics;
    private final OutboxWriter outbox;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    public CallHistory(DataSource db, OutboxWriter outbox, AuditLog audit, ObjectMapper json, MeterRegistry metrics) {
        this.db = db;
        this.metrics = metrics;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
    }

    @Transactional
    public void persist(String text) {
        JsonObject record = new JsonObject(text);
        try (Connection c = db.getConnection()) {
            if ("started".equals(record.getString("event"))) {
                started(c, record);
            } else {
                ended(c, record);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("call record not persisted: " + e.getMessage(), e);
        }
    }

    private void started(Connection c, JsonObject r) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT IGNORE INTO calls (id, room_id, media, created_by,"
                + " created_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, r.getString("callId"));
            insert.setString(2, r.getString("roomId"));
            insert.setString(3, r.getString("media"));
            insert.setString(4, r.getString("from"));
            insert.setTimestamp(5, Timestamp.from(instant(r, "createdAt")));
            if (insert.executeUpdate() == 0) {
                return;
            }
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("callId", r.getString("callId"));
        payload.put("roomId", r.getString("roomId"));
        payload.put("media", r.getString("media"));
        payload.put("initiatorId", r.getString("from"));
        payload.put("invited", strings(r.getValue("invited")));
        payload.put("createdAt", instant(r, "createdAt").toString());
        emit("call.started", r.getString("from"), r.getString("roomId"), payload);
    }

    private void ended(Connection c, JsonObject r) throws SQLException {
        String callId = r.getString("callId");
        Instant startedAt = r.containsKey("startedAt") ? instant(r, "startedAt") : null;
        Instant endedAt = instant(r, "endedAt");
        String outcome = outcome(startedAt != null, r.getString("reason"));
        try (PreparedStatement update = c.prepareStatement("UPDATE calls SET started_at = ?, ended_at = ?, outcome = ?,"
                + " end_reason = ? WHERE id = ? AND ended_at IS NULL")) {
            update.setTimestamp(1, startedAt == null ? null : Timestamp.from(startedAt));
            update.setTimestamp(2, Timestamp.from(endedAt));
            update.setString(3, outcome);
            update.setString(4, r.getString("reason"));
            update.setString(5, callId);
            if (update.executeUpdate() == 0) {
                return;
            }
        }
        List<String> joined = strings(r.getValue("joined"));
        List<String> missed = new ArrayList<>(strings(r.getValue("invited")));
        missed.removeAll(joined);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT IGNORE INTO call_participants (call_id, user_id, joined) VALUES (?, ?, ?)")) {
            for (String userId : joined) {
                add(insert, callId, userId, true);
            }
            for (String userId : missed) {
                add(insert, callId, userId, false);
            }
            insert.executeBatch();
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("callId", callId);
        payload.put("roomId", r.getString("roomId"));
        payload.put("media", r.getString("media"));
        payload.put("initiatorId", r.getString("from"));
        payload.put("participants", joined);
        payload.put("missed", missed);
        payload.put("createdAt", instant(r, "createdAt").toString());
        payload.put("startedAt", startedAt == null ? null : startedAt.toString());
        payload.put("endedAt", endedAt.toString());
        payload.put("durationSeconds", startedAt == null ? 0 : Duration.between(startedAt, endedAt).toSeconds());
        payload.put("outcome", outcome);
        payload.put("reason", r.getString("reason"));
        emit("call.ended", null, r.getString("roomId"), payload);
    }

    private void emit(String type, String actorId, String roomId, Map<String, Object> payload) {
        // calls.started minus calls.ended, summed over instances, is the calls in progress
        metrics.counter("talkline_signaling_calls_total", "event", type).increment();
        EventEnvelope event = EventEnvelope.of(type, actorId, json.valueToTree(payload), clock);
        outbox.append(Topics.CALLS, roomId, event);
        audit.record(event.id(), type, actorId, roomId, payload); // one id: audit-service keeps the fact once
    }

    /** The calls of a room, newest first, created before {@code before}. */
    public List<CallRecord> ofRoom(String roomId, Instant before, int limit) {
        String sql = "SELECT c.id, c.media, c.created_by, c.created_at, c.started_at, c.ended_at, c.outcome, c.end_reason,"
                + " (SELECT GROUP_CONCAT(IF(p.joined, p.user_id, NULL)) FROM call_participants p WHERE p.call_id = c.id),"
                + " (SELECT GROUP_CONCAT(IF(p.joined, NULL, p.user_id)) FROM call_participants p WHERE p.call_id = c.id)"
                + " FROM calls c WHERE c.room_id = ? AND c.created_at < ? ORDER BY c.created_at DESC, c.id LIMIT ?";
        List<CallRecord> calls = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, roomId);
            query.setTimestamp(2, Timestamp.from(before));
            query.setInt(3, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Instant created = rows.getTimestamp(4).toInstant();
                    Instant started = instantOrNull(rows.getTimestamp(5));
                    Instant ended = instantOrNull(rows.getTimestamp(6));
                    Long duration = ended == null ? null
                            : started == null ? 0L : Duration.between(started, ended).toSeconds();
                    List<String> joined = split(rows.getString(9));
                    if (ended == null && !joined.contains(rows.getString(3))) {
                        joined.add(rows.getString(3));
                    }
                    calls.add(new CallRecord(rows.getString(1), roomId, rows.getString(2), rows.getString(3), joined,
                            split(rows.getString(10)), created, started, ended, duration,
                            ended == null ? "ongoing" : rows.getString(7), rows.getString(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("call history not read: " + e.getMessage(), e);
        }
        return calls;
    }

    /** completed (someone answered), else why nobody did. */
    static String outcome(boolean answered, String reason) {
        if (answered) {
            return "completed";
        }
        return switch (reason) {
            case "timeout" -> "missed";
            case "rejected" -> "rejected";
            case "busy" -> "busy";
            case "hangup" -> "cancelled";
            default -> "failed";
        };
    }

    private static void add(PreparedStatement insert, String callId, String userId, boolean joined) throws SQLException {
        insert.setString(1, callId);
        insert.setString(2, userId);
        insert.setBoolean(3, joined);
        insert.addBatch();
    }

    private static Instant instant(JsonObject record, String field) {
        return Instant.ofEpochMilli(record.getLong(field));
    }

    private static Instant instantOrNull(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A list the script wrote (an empty one may come as {}). */
    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray array) {
            array.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }

    private static List<String> split(String concatenated) {
        List<String> out = new ArrayList<>();
        if (concatenated != null && !concatenated.isEmpty()) {
            out.addAll(List.of(concatenated.split(",")));
        }
        return out;
    }
}
