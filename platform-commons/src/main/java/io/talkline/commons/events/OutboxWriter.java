package io.talkline.commons.events;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A service's outbox (ADR 0007): {@link #append} in the caller's transaction, and this instance's
 * {@link OutboxRelay} from start to shutdown. Present in services built with
 * {@code platform.outbox.enabled=true} (those with a database and an {@code outbox} table).
 */
@ApplicationScoped
@IfBuildProperty(name = "platform.outbox.enabled", stringValue = "true")
public class OutboxWriter {

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final java.util.Map<String, Object> kafka;
    private final String service;
    private final OutboxSettings settings;
    private final MeterRegistry metrics;
    private volatile OutboxRelay relay;

    public OutboxWriter(DataSource dataSource, ObjectMapper json, TransactionSynchronizationRegistry transactions,
            Config config, @ConfigProperty(name = "quarkus.application.name") String service,
            OutboxSettings settings, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.json = json;
        this.transactions = transactions;
        this.kafka = KafkaClients.settings(config);
        this.service = service;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Writes the event in the caller's transaction (there must be one); the relay is woken when it commits. */
    public void append(String topic, String key, EventEnvelope event) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("an outbox event is written inside the transaction of its change");
        }
        Outbox.append(dataSource, topic, key, event, json);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                OutboxRelay current = relay;
                if (status == Status.STATUS_COMMITTED && current != null) {
                    current.wake();
                }
            }
        });
    }

    /** Events were committed outside a JTA transaction ({@link Outbox#insert}): the relay looks now. */
    public void committed() {
        OutboxRelay current = relay;
        if (current != null) {
            current.wake();
        }
    }

    /** What waits for Kafka and whether delivery fails, as the relay last saw it (no query). */
    public OutboxStatus status() {
        OutboxRelay current = relay;
        return current == null ? OutboxStatus.NOT_STARTED : current.status();
    }

    void start(@Observes StartupEvent event) {
        relay = OutboxRelay.start(dataSource, kafka, service + "-outbox", settings, metrics);
    }

    void stop(@Observes ShutdownEvent event) {
        OutboxRelay current = relay;
        if (current != null) {
            current.close();
        }
    }
}
