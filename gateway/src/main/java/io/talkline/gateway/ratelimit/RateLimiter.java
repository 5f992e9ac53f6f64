package io.talkline.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.mutiny.redis.client.Response;

/**
 * GCRA limits kept in Redis, so every gateway replica enforces one limit together. When Redis does
 * not answer within {@code gateway.rate-limit.redis-timeout}, the local limiter decides and a
 * metric counts it: never an error for the caller.
 */
@ApplicationScoped
public class RateLimiter {

    private static final String SCRIPT = load();

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final Gcra local = new Gcra();
    private final Counter fallbacks;
    private final AtomicBoolean redisUp = new AtomicBoolean(true);
    private volatile String sha;

    public RateLimiter(ReactiveRedisDataSource redis, GatewayConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.timeout = config.rateLimit().redisTimeout();
        this.fallbacks = Counter.builder("gateway.ratelimit.fallback")
                .description("Rate-limit decisions taken locally because Redis did not answer").register(metrics);
        metrics.gauge("gateway.ratelimit.redis.up", redisUp, up -> up.get() ? 1 : 0);
    }

    public Uni<Decision> check(String key, int limit, Duration period) {
        long interval = Math.max(1, period.toMillis() / limit);
        return eval(key, interval, limit)
                .map(reply -> {
                    markRedis(true);
                    return new Decision(reply.get(0).toInteger() == 1, limit, reply.get(1).toLong(), reply.get(2).toLong(),
                            reply.get(3).toLong());
                })
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> {
                    markRedis(false);
                    fallbacks.increment();
                    return local.check(key, limit, period.toMillis(), System.currentTimeMillis());
                });
    }

    private Uni<Response> eval(String key, long interval, int limit) {
        String known = sha;
        if (known == null) {
            return redis.execute("EVAL", SCRIPT, "1", key, Long.toString(interval), Integer.toString(limit))
                    .call(() -> redis.execute("SCRIPT", "LOAD", SCRIPT).invoke(r -> sha = r.toString()));
        }
        return redis.execute("EVALSHA", known, "1", key, Long.toString(interval), Integer.toString(limit))
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT")).recoverWithUni(() -> {
                    sha = null; // Redis restarted and forgot the script
                    return eval(key, interval, limit);
                });
    }

    private void markRedis(boolean up) {
        if (redisUp.getAndSet(up) != up) {
            if (up) {
                Log.info("Redis answers again: rate limits are shared across replicas");
            } else {
                Log.warn("Redis unreachable: rate limits fall back to this replica's local limiter");
            }
        }
    }

    private static String load() {
        try (InputStream in = RateLimiter.class.getResourceAsStream("/ratelimit/gcra.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
