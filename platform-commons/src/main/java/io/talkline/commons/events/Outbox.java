package io.talkline.commons.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.talkline.commons.tracing.TraceContext;

/**
 * The transactional outbox: an event is a row written in the same database transaction as the
 * change it reports, so it exists exactly when the change does; {@link OutboxRelay} ships it to
 * Kafka afterwards. Each service's schema has the table (its Flyway migration):
 *
 * <pre>
 * create table outbox (
 *   id bigint not null auto_increment primary key,
 *   topic varchar(100) not null, record_key varchar(255), event_id char(36) not null,
 *   event_type varchar(100) not null, request_id varchar(128), envelope mediumtext not null,
 *   created_at timestamp(3) not null default current_timestamp(3),
 *   traceparent varchar(55));
 * </pre>
 *
 * The row keeps the W3C {@code traceparent} of the work that wrote it, so the Kafka record the
 * relay sends later continues that trace (ADR 0020).
 */
public final class Outbox {

    static final String TABLE = "outbox";

    private Outbox() {
    }

    /** An event to write: its topic, record key, envelope and the {@code traceparent} of the work that made it. */
    public record Row(String topic, String key, EventEnvelope event, String traceparent) {
    }

    /**
     * Appends events in one multi-row INSERT on a connection whose transaction the caller commits
     * (a group commit: chat-service's MessageWriter); wake the relay after the commit
     * ({@link OutboxWriter#committed()}).
     */
    public static void insert(Connection connection, List<Row> rows, ObjectMapper json) throws SQLException {
        StringBuilder sql = new StringBuilder("insert into ").append(TABLE)
                .append(" (topic, record_key, event_id, event_type, request_id, envelope, traceparent) values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?)");
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int i = 1;
            for (Row row : rows) {
                insert.setString(i++, row.topic());
                insert.setString(i++, row.key());
                insert.setString(i++, row.event().id());
                insert.setString(i++, row.event().type());
                insert.setString(i++, row.event().requestId());
                insert.setString(i++, envelope(row.event(), json));
                insert.setString(i++, row.traceparent());
            }
            insert.executeUpdate();
        }
    }

    private static String envelope(EventEnvelope event, ObjectMapper json) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " is not serialisable", e);
        }
    }

    /**
     * Appends an event. Call it inside the caller's transaction: a connection taken from the
     * service's (JTA-enlisted) data source then is the transaction's own.
     */
    public static void append(DataSource dataSource, String topic, String key, EventEnvelope event, ObjectMapper json) {
        String envelope = envelope(event, json);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into " + TABLE
                        + " (topic, record_key, event_id, event_type, request_id, envelope, traceparent) values (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, topic);
            insert.setString(2, key);
            insert.setString(3, event.id());
            insert.setString(4, event.type());
            insert.setString(5, event.requestId());
            insert.setString(6, envelope);
            insert.setString(7, TraceContext.traceparent());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("outbox insert failed for event " + event.type(), e);
        }
    }
}
