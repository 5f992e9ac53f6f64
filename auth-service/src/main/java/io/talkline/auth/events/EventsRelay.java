package io.talkline.auth.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.talkline.commons.events.OutboxRelay;
import io.talkline.commons.events.OutboxSettings;

/** Runs this instance's outbox relay from start to shutdown. */
@ApplicationScoped
public class EventsRelay {

    private final AgroalDataSource dataSource;
    private final String bootstrapServers;
    private final OutboxSettings settings;
    private final MeterRegistry metrics;
    private volatile OutboxRelay relay;

    public EventsRelay(AgroalDataSource dataSource, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            OutboxSettings settings, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.bootstrapServers = bootstrapServers;
        this.settings = settings;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        relay = OutboxRelay.start(dataSource, bootstrapServers, "auth-service-outbox", settings, metrics);
    }

    void stop(@Observes ShutdownEvent event) {
        if (relay != null) {
            relay.close();
        }
    }

    /** Called after a commit that wrote events. */
    void wake() {
        OutboxRelay current = relay;
        if (current != null) {
            current.wake();
        }
    }
}
