package io.talkline.commons.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
 * <p>
 * What waits is counted by the relay itself, at most once a second between its attempts (ADR 0018):
 * the {@code talkline_outbox_backlog} and {@code talkline_outbox_oldest_age_seconds} gauges and
 * {@link #status()} read that count, so a scrape or a readiness probe never queries the table.
 */
public final class OutboxRelay implements AutoCloseable {

    /** "Locked by someone else" under NOWAIT: MariaDB says 1205, MySQL 8 says 3572. */
    private static final int MARIADB_LOCK_WAIT = 1205;
    private static final int MYSQL_LOCK_NOWAIT = 3572;
    /** The backlog is counted at most this often: cheap on an idle table, bounded while draining a big one. */
    private static final long COUNT_EVERY_MILLIS = 1000;

    private final DataSource dataSource;
    private final Producer<String, String> producer;
    private final OutboxSettings settings;
    private final String select;
    private final Semaphore wake = new Semaphore(0);
    private final Counter published;
    private final Counter failures;
    private final LongSupplier clock = System::currentTimeMillis;
    private final AtomicLong backlog = new AtomicLong();
    /** When the oldest waiting event was written, on this JVM's clock (0: none waits). */
    private final AtomicLong oldestSince = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean failing;
    private int failingSince;
    private long countedAt;
    /** The relay's own connection, kept between batches (READ COMMITTED, autocommit off); null after a failure. */
    private Connection connection;

    OutboxRelay(DataSource dataSource, Producer<String, String> producer, OutboxSettings settings, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.settings = settings;
        this.select = "select id, topic, record_key, event_id, event_type, request_id, traceparent, envelope from "
                + Outbox.TABLE + " order by id limit " + settings.batchSize() + " for update nowait";
        this.published = Counter.builder("talkline.outbox.published").description("Outbox events acknowledged by Kafka")
                .register(metrics);
        this.failures = Counter.builder("talkline.outbox.failures")
                .description("Outbox batches that failed (Kafka or database unavailable) and will be retried")
                .register(metrics);
        Gauge.builder("talkline.outbox.backlog", backlog, AtomicLong::get)
                .description("Events waiting in the outbox table, as the relay last counted them").register(metrics);
        Gauge.builder("talkline.outbox.oldest.age.seconds", this, relay -> relay.oldestAgeMillis() / 1000.0)
                .description("How long the oldest event waiting in the outbox has waited").register(metrics);
        this.thread = Thread.ofPlatform().name("outbox-relay").daemon().unstarted(this::run);
    }

    /**
     * A relay with its own idempotent producer, running until {@link #close()}; {@code client} is
     * the deployment's Kafka client settings ({@link KafkaClients}: servers, TLS, SASL).
     */
    public static OutboxRelay start(DataSource dataSource, Map<String, Object> client, String clientId,
            OutboxSettings settings, MeterRegistry metrics) {
        OutboxRelay relay = new OutboxRelay(dataSource, new KafkaProducer<>(producerConfig(client, clientId, settings)),
                settings, metrics);
        relay.thread.start();
        return relay;
    }

    /** The deployment's settings, then what at-least-once in commit order needs (these win). */
    static Properties producerConfig(Map<String, Object> client, String clientId, OutboxSettings settings) {
        Properties config = new Properties();
        config.putAll(client);
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
        return config;
    }

    /** Look now rather than at the next poll: a transaction with events just committed. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** What waits and whether delivery fails, as last seen (no query). */
    public OutboxStatus status() {
        return new OutboxStatus(backlog.get(), Duration.ofMillis(oldestAgeMillis()), failing);
    }

    /** Grows between counts: a stuck outbox shows as stuck without anyone querying it. */
    private long oldestAgeMillis() {
        long since = oldestSince.get();
        return since == 0 ? 0 : Math.max(0, clock.getAsLong() - since);
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
        if (!thread.isAlive()) {
            release();
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            countIfDue();
            try {
                int count = shipBatch();
                failing = false;
                if (count < settings.batchSize()) {
                    // all this relay claimed is delivered: what was written meanwhile is young, the next count sees it
                    backlog.set(0);
                    oldestSince.set(0);
                }
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
                failing = true;
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

    /** Counts what waits (one aggregate query, no locks), at most once a second. */
    private void countIfDue() {
        long now = clock.getAsLong();
        if (now - countedAt < COUNT_EVERY_MILLIS) {
            return;
        }
        countedAt = now;
        // the age comes from the database's own clock, which wrote created_at
        try {
            Connection connection = connection();
            try (PreparedStatement query = connection.prepareStatement("select count(*),"
                    + " timestampdiff(microsecond, min(created_at), current_timestamp(3)) from " + Outbox.TABLE);
                    ResultSet row = query.executeQuery()) {
                row.next();
                long count = row.getLong(1);
                long ageMicros = row.getLong(2);
                boolean none = row.wasNull() || count == 0;
                backlog.set(count);
                oldestSince.set(none ? 0 : now - Math.max(0, ageMicros / 1000));
            } finally {
                connection.commit();
            }
        } catch (SQLException e) {
            // the database is away: the delivery attempt that follows fails and says so
            release();
        }
    }

    /**
     * The relay's connection: taken once and kept, so a batch costs no pool checkout and no
     * isolation or autocommit switching; given back after any failure and taken anew.
     */
    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = dataSource.getConnection();
            try {
                fresh.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                fresh.setAutoCommit(false);
            } catch (SQLException e) {
                fresh.close();
                throw e;
            }
            connection = fresh;
        }
        return connection;
    }

    private void release() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // broken already: the pool drops it
            }
            connection = null;
        }
    }

    private void pause(long millis) {
        try {
            if (wake.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
                // commits come in bursts: those of the next moment go with this batch
                long linger = settings.linger().toMillis();
                if (linger > 0) {
                    Thread.sleep(linger);
                }
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** One transaction: claim the oldest rows, ship them, delete them when Kafka has them all. */
    private int shipBatch() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        Connection connection = connection();
        try {
            List<Long> ids = new ArrayList<>();
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(select); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong("id"));
                    records.add(record(rows));
                }
            }
            if (ids.isEmpty()) {
                connection.commit();
                return 0;
            }
            // Nothing is sent until every topic's brokers are known: a send that blocks for
            // metadata and fails, followed by one that gets through once the broker is back,
            // put a later event ahead of an earlier one (and the earlier one after it on retry).
            records.stream().map(ProducerRecord::topic).distinct().forEach(producer::partitionsFor);
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (ProducerRecord<String, String> record : records) {
                Future<RecordMetadata> ack = producer.send(record);
                acks.add(ack);
                if (ack.isDone() && failed(ack)) {
                    break; // the rest stays behind it, in order, for the next attempt
                }
            }
            long deadline = System.nanoTime() + settings.deliveryTimeout().plusSeconds(1).toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            delete(connection, ids);
            connection.commit();
            published.increment(ids.size());
            return ids.size();
        } catch (SQLException e) {
            rollback(connection);
            if (e.getErrorCode() == MARIADB_LOCK_WAIT || e.getErrorCode() == MYSQL_LOCK_NOWAIT) {
                throw new ClaimedElsewhere();
            }
            release();
            throw e;
        } catch (RuntimeException | InterruptedException | ExecutionException | TimeoutException e) {
            rollback(connection);
            throw e;
        }
    }

    /** Rolls back; a connection that cannot even do that is given back for a new one. */
    private void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            release();
        }
    }

    private static boolean failed(Future<RecordMetadata> done) {
        try {
            done.get();
            return false;
        } catch (ExecutionException | RuntimeException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static ProducerRecord<String, String> record(ResultSet row) throws SQLException {
        return EventRecords.toRecord(row.getString("topic"), row.getString("record_key"), row.getString("envelope"),
                row.getString("event_id"), row.getString("event_type"), row.getString("request_id"),
                row.getString("traceparent"));
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
