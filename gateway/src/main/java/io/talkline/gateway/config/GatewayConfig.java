package io.talkline.gateway.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where each service runs and how patient the gateway is with it. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Instances per service name (auth, chat, signaling, media, audit). */
    Map<String, Service> services();

    /** Connecting to an instance; a refused or timed-out connect fails over to the next instance. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** An upstream silent this long while we wait for its answer → 504. Not applied to WebSocket tunnels. */
    @WithDefault("30s")
    Duration upstreamTimeout();

    /** How often each instance's /q/health/ready is polled. */
    @WithDefault("2s")
    Duration healthInterval();

    interface Service {
        /** Base URLs, e.g. http://127.0.0.1:8082. */
        List<String> instances();
    }
}
