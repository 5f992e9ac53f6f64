package io.talkline.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;

/**
 * The cap on concurrent WebSockets per user, shared by every gateway replica: each open tunnel holds
 * a lease in a Redis sorted set, renewed while it lives and removed when it closes. A replica that
 * dies stops renewing; its leases run out. When Redis cannot be reached, sockets are admitted (the
 * new-socket rate limit still applies).
 */
@ApplicationScoped
public class SocketAdmission {

    private static final String SCRIPT = load();

    private final ReactiveRedisDataSource redis;
    private final GatewayConfig.WebSocket config;
    private final Vertx vertx;
    /** Open tunnels of this replica: socket id → the user's key. */
    private final Map<String, String> open = new ConcurrentHashMap<>();

    public SocketAdmission(ReactiveRedisDataSource redis, GatewayConfig config, Vertx vertx) {
        this.redis = redis;
        this.config = config.websocket();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        long every = Math.max(1_000, config.lease().toMillis() / 3);
        vertx.setPeriodic(every, id -> renew());
    }

    /** A socket id when admitted, null when the user is at the cap. */
    public Uni<String> admit(String userId) {
        String key = key(userId);
        String socket = UUID.randomUUID().toString();
        return redis.execute("EVAL", SCRIPT, "1", key, Integer.toString(config.maxPerUser()),
                Long.toString(config.lease().toMillis()), socket)
                .map(reply -> {
                    if (reply.toInteger() == 1) {
                        open.put(socket, key);
                        return socket;
                    }
                    return null;
                })
                .ifNoItem().after(Duration.ofMillis(500)).fail()
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("socket admission without Redis (%s): admitted", failure.toString());
                    return socket;
                });
    }

    public void closed(String socket) {
        String key = open.remove(socket);
        if (key != null) {
            redis.execute("ZREM", key, socket).subscribe().with(ok -> {
            }, failure -> Log.debugf("lease %s left to expire: %s", socket, failure.toString()));
        }
    }

    private void renew() {
        long expiry = System.currentTimeMillis() + config.lease().toMillis();
        open.forEach((socket, key) -> redis.execute("ZADD", key, "XX", Long.toString(expiry), socket)
                .chain(() -> redis.execute("PEXPIRE", key, Long.toString(config.lease().toMillis())))
                .subscribe().with(ok -> {
                }, failure -> Log.debugf("lease renewal failed: %s", failure.toString())));
    }

    static String key(String userId) {
        return "ws:open:" + userId;
    }

    private static String load() {
        try (InputStream in = SocketAdmission.class.getResourceAsStream("/websocket/admit.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
