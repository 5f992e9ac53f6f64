package io.talkline.commons.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which log records every service ships to {@code platform.logs.v1} (bootstrap: {@code kafka.bootstrap.servers}). */
@ConfigMapping(prefix = "platform.logs.ship")
public interface LogShipSettings {

    /** Whether WARN and ERROR records (and failed requests) go to platform.logs.v1 at all. */
    @WithDefault("true")
    boolean enabled();

    /** The lowest level shipped (JBoss names: TRACE, DEBUG, INFO, WARN, ERROR). */
    @WithDefault("WARN")
    String level();

    /**
     * Also ship the access line of every request answered 4xx or 5xx (category
     * io.talkline.access.failed, INFO), whatever {@code level} says: with them, a failed request
     * can be followed through the gateway and every service it reached (audit-service's
     * /api/audit/requests/{id}).
     */
    @WithDefault("true")
    boolean failedRequests();

    /** The most failed requests' access lines shipped per second by one instance; more are counted as throttled. */
    @WithDefault("50")
    int failedRequestsRate();

    /** Records waiting for the sender at most; a record over this is dropped and counted. */
    @WithDefault("2000")
    int queue();
}
