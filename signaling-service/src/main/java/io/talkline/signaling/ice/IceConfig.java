package io.talkline.signaling.ice;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** STUN and TURN servers handed to clients, and the TURN REST API secret shared with coturn. */
@ConfigMapping(prefix = "signaling.ice")
public interface IceConfig {

    /** e.g. stun:turn.example.org:3478 */
    List<String> stunUrls();

    /** e.g. turn:turn.example.org:3478?transport=udp, turn:turn.example.org:3478?transport=tcp */
    List<String> turnUrls();

    /** coturn's static-auth-secret (use-auth-secret); from the environment in any real deployment. */
    String turnSecret();

    /** How long handed-out TURN credentials stay valid. */
    @WithDefault("1h")
    Duration ttl();
}
