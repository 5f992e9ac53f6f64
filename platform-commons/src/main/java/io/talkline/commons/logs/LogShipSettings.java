package io.talkline.commons.logs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which log records every service ships to {@code platform.logs.v1} (bootstrap: {@code kafka.bootstrap.servers}). */
@ConfigMapping(prefix = "platform.logs.ship")
public interface LogShipSettings {

    @WithDefault("true")
    boolean enabled();

    /** The lowest level shipped (JBoss names: TRACE, DEBUG, INFO, WARN, ERROR). */
    @WithDefault("WARN")
    String level();

    /** Records waiting for the sender at most; a record over this is dropped and counted. */
    @WithDefault("2000")
    int queue();
}
