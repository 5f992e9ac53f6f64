package io.talkline.commons.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service's outbox relay works (every service with an outbox table). */
@ConfigMapping(prefix = "platform.outbox")
public interface OutboxSettings {

    /**
     * Build time: whether the service has an outbox table (OutboxWriter and AuditLog exist only
     * then). Listed here so the key maps to this root.
     */
    @WithDefault("false")
    boolean enabled();

    /** Rows shipped per transaction. */
    @WithDefault("200")
    int batchSize();

    /** How often an idle relay looks for new rows (a commit in this process wakes it at once). */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * Once woken by a commit, the relay waits this long before it claims: the commits of that
     * moment go to Kafka as one batch (one claim, one delete, one commit) instead of one each.
     */
    @WithDefault("20ms")
    Duration linger();

    /** Longest pause between attempts while Kafka or the database fails (it doubles up to this). */
    @WithDefault("5s")
    Duration maxBackoff();

    /** Longest wait for Kafka's acknowledgement of a batch before it is retried. */
    @WithDefault("15s")
    Duration deliveryTimeout();

    /**
     * The Kafka readiness check reports {@code degraded} (still UP: the outbox buffers, ADR 0018)
     * once delivery fails or the oldest waiting event is older than this.
     */
    @WithDefault("30s")
    Duration degradedAfter();
}
