package io.talkline.audit.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "audit")
public interface AuditConfig {

    /** Audit events and log records expire this long after their time (a TTL index on {@code ts}). */
    @WithDefault("10d")
    Duration retention();

    /** The message archive keeps messages this long after they were sent; unset: for ever. */
    Optional<Duration> archiveRetention();

    /** A page of a list when the caller names no limit; and the most one may ask for. */
    @WithDefault("50")
    int pageSize();

    /** Largest page of the query API (limit). */
    @WithDefault("200")
    int maxPageSize();

    /** The most entries {@code /api/audit/requests/{id}} returns (a request is a handful). */
    @WithDefault("1000")
    int requestEntries();
}
