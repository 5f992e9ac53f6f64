package io.talkline.commons.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.arc.properties.IfBuildProperty;
import io.talkline.commons.events.OutboxSettings;
import io.talkline.commons.events.OutboxStatus;
import io.talkline.commons.events.OutboxWriter;

/**
 * Kafka as a service that writes through the outbox sees it (ADR 0018): requests never wait for
 * Kafka, so its absence must not take the instance out of rotation. The check is always UP and says
 * {@code state: degraded} while delivery fails or events wait longer than
 * {@code platform.outbox.degraded-after}, with the backlog the relay last counted (no query here).
 * It keeps the name of Quarkus' own Kafka check, which these services switch off
 * ({@code quarkus.kafka.health.enabled=false}), so probes and dashboards that look for it still find it.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "platform.outbox.enabled", stringValue = "true")
public class KafkaDeliveryHealth implements HealthCheck {

    public static final String NAME = "Kafka connection health check";

    private final OutboxWriter outbox;
    private final OutboxSettings settings;

    public KafkaDeliveryHealth(OutboxWriter outbox, OutboxSettings settings) {
        this.outbox = outbox;
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        OutboxStatus status = outbox.status();
        return HealthCheckResponse.named(NAME).up()
                .withData("state", status.degraded(settings.degradedAfter()) ? "degraded" : "ok")
                .withData("outboxBacklog", status.backlog())
                .withData("oldestUnsentAgeSeconds", status.oldestAge().toSeconds())
                .build();
    }
}
