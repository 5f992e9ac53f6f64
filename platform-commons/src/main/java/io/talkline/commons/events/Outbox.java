package io.talkline.commons.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

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

    /**
     * Appends an event. Call it inside the caller's transaction: a connection taken from the
     * service's (JTA-enlisted) data source then is the transaction's own.
     */
    public static void append(DataSource dataSource, String topic, String key, EventEnvelope event, ObjectMapper json) {
        String envelope;
        try {
            envelope = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " is not serialisable", e);
        }
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
