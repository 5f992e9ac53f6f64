package io.talkline.commons.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Ships outbox rows to Kafka, oldest first, and deletes them once Kafka acknowledged them (acks=all,
 * idempotent producer): at least once, in commit order per key. While Kafka or the database is away
 * the rows simply wait, and the relay retries with a growing pause.
 * <p>
 * Several instances of a service share one table: a batch is claimed with {@code FOR UPDATE NOWAIT},
 * so one relay works at a time and the others back off instead of shipping out of order. The relay
 * reads in READ COMMITTED, which takes no gap locks, so writers are never held up by it.
 */
public final class OutboxRelay implements AutoCloseable {

    /** "Locked by someone else" under NOWAIT: MariaDB says 1205, MySQL 8 says 3572. */
    private static final int MARIADB_LOCK_WAIT = 1205;
    private static final int MYSQL_LOCK_NOWAIT = 3572;

    private final DataSource dataSource;
    private final Producer<String, String> producer;
    private final OutboxSettings settings;
    private final String select;
    private final Semaphore wake = new Semaphore(0);
    private final Counter shipped;
    private final Counter failures;
    private final AtomicLong lagMillis = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private int failingSince;

    OutboxRelay(DataSource dataSource, Producer<String, String> producer, OutboxSettings settings, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.settings = settings;
        this.select = "select id, topic, record_key, event_id, event_type, request_id, envelope, created_at from "
                + Outbox.TABLE + " order by id limit " + settings.batchSize() + " for update nowait";
        this.shipped = Counter.builder("talkline.outbox.shipped").description("Outbox events acknowledged by Kafka")
                .register(metrics);
        this.failures = Counter.builder("talkline.outbox.failures")
                .description("Outbox batches that failed (Kafka or database unavailable) and will be retried")
                .register(metrics);
        Gauge.builder("talkline.outbox.lag.seconds", lagMillis, lag -> lag.get() / 1000.0)
                .description("Age of the oldest event waiting in the outbox when last looked at").register(metrics);
        this.thread = Thread.ofPlatform().name("outbox-relay").daemon().unstarted(this::run);
    }

    /** A relay with its own idempotent producer, running until {@link #close()}. */
    public static OutboxRelay start(DataSource dataSource, String bootstrapServers, String clientId,
            OutboxSettings settings, MeterRegistry metrics) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        int timeout = (int) settings.deliveryTimeout().toMillis();
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(Math.min(5000, timeout - 5)));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(timeout));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        OutboxRelay relay = new OutboxRelay(dataSource, new KafkaProducer<>(config), settings, metrics);
        relay.thread.start();
        return relay;
    }

    /** Look now rather than at the next poll: a transaction with events just committed. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Finishes the batch in hand, then stops; what is left waits in the table for the next start. */
    @Override
    public void close() {
        running = false;
        wake.release();
        try {
            thread.join(settings.deliveryTimeout().plusSeconds(1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                int count = shipBatch();
                if (failingSince > 0) {
                    Log.infof("outbox relay recovered after %d failed attempts", failingSince);
                    failingSince = 0;
                }
                backoff = 0;
                if (count < settings.batchSize()) {
                    pause(settings.pollInterval().toMillis());
                }
            } catch (ClaimedElsewhere e) {
                pause(settings.pollInterval().toMillis());
            } catch (Exception e) {
                failures.increment();
                if (failingSince++ == 0) {
                    Log.warnf("outbox relay: events wait in the table and will be retried: %s", e.toString());
                }
                backoff = Math.min(settings.maxBackoff().toMillis(),
                        backoff == 0 ? settings.pollInterval().toMillis() : backoff * 2);
                pause(backoff);
            }
        }
    }

    private void pause(long millis) {
        try {
            if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** One transaction: claim the oldest rows, ship them, delete them when Kafka has them all. */
    private int shipBatch() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            connection.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement(select); ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        if (ids.isEmpty()) {
                            Timestamp oldest = rows.getTimestamp("created_at");
                            lagMillis.set(Math.max(0, System.currentTimeMillis() - oldest.getTime()));
                        }
                        ids.add(rows.getLong("id"));
                        acks.add(producer.send(record(rows)));
                    }
                }
                if (ids.isEmpty()) {
                    lagMillis.set(0);
                    connection.commit();
                    return 0;
                }
                long deadline = System.nanoTime() + settings.deliveryTimeout().plusSeconds(1).toNanos();
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                delete(connection, ids);
                connection.commit();
                shipped.increment(ids.size());
                return ids.size();
            } catch (SQLException e) {
                connection.rollback();
                if (e.getErrorCode() == MARIADB_LOCK_WAIT || e.getErrorCode() == MYSQL_LOCK_NOWAIT) {
                    throw new ClaimedElsewhere();
                }
                throw e;
            } catch (RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static ProducerRecord<String, String> record(ResultSet row) throws SQLException {
        return EventRecords.toRecord(row.getString("topic"), row.getString("record_key"), row.getString("envelope"),
                row.getString("event_id"), row.getString("event_type"), row.getString("request_id"));
    }

    private static void delete(Connection connection, List<Long> ids) throws SQLException {
        StringBuilder sql = new StringBuilder("delete from ").append(Outbox.TABLE).append(" where id in (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ",?");
        }
        try (PreparedStatement delete = connection.prepareStatement(sql.append(')').toString())) {
            for (int i = 0; i < ids.size(); i++) {
                delete.setLong(i + 1, ids.get(i));
            }
            delete.executeUpdate();
        }
    }

    /** Another instance's relay holds the oldest rows: it ships them, this one waits its turn. */
    private static final class ClaimedElsewhere extends RuntimeException {
        ClaimedElsewhere() {
            super(null, null, false, false);
        }
    }
}
