package io.talkline.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>
 * A busy key does not cost a Redis call per request: the replica takes a small lease of cells at
 * once and spends it locally for up to {@code gateway.rate-limit.lease}. A lease starts at one
 * cell and doubles while the previous one was used up in time (at most a tenth of the limit, so
 * small limits stay exact); cells left when it expires are lost to the caller, which keeps the
 * shared limit an upper bound across replicas (ADR 0005).
 */
@ApplicationScoped
public class RateLimiter {

    private static final String SCRIPT = load();
    private static final int MAX_LEASE = 64;
    private static final int CLEAN_ABOVE = 10_000;

    /** Cells of one key this replica may still spend, until {@code expiresAt}. */
    private static final class Lease {
        final long expiresAt;
        final int size;
        final AtomicInteger left;
        final long remainingInRedis;
        final long resetAt;
        /** Refused by Redis until then: Redis would refuse again, so it is not asked. */
        final long refusedUntil;

        Lease(long now, long ttl, int size, int left, long remainingInRedis, long resetMillis, long retryAfterMillis) {
            this.expiresAt = now + ttl;
            this.size = size;
            this.left = new AtomicInteger(left);
            this.remainingInRedis = remainingInRedis;
            this.resetAt = now + resetMillis;
            this.refusedUntil = now + retryAfterMillis;
        }

        boolean take(long now) {
            return now < expiresAt && left.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
        }

        /** How big the next lease of this key should be. */
        int nextSize(long now, int max) {
            return left.get() <= 0 && now < expiresAt ? Math.min(max, size * 2) : Math.max(1, size / 2);
        }
    }

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final long leaseMillis;
    private final Gcra local = new Gcra();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    /** Keys with a Redis call on its way, completed when its answer (and lease) is in. */
    private final Map<String, CompletableFuture<Void>> asking = new ConcurrentHashMap<>();
    private final Counter fallbacks;
    private final Counter redisChecks;
    private final AtomicBoolean redisUp = new AtomicBoolean(true);
    private volatile String sha;

    public RateLimiter(ReactiveRedisDataSource redis, GatewayConfig config, MeterRegistry metrics) {
        this.redis = redis;
        this.timeout = config.rateLimit().redisTimeout();
        this.leaseMillis = config.rateLimit().lease().toMillis();
        this.fallbacks = Counter.builder("gateway.ratelimit.fallback")
                .description("Rate-limit decisions taken locally because Redis did not answer").register(metrics);
        this.redisChecks = Counter.builder("gateway.ratelimit.redis.checks")
                .description("Rate-limit checks that went to Redis (the others spent a local lease)").register(metrics);
        metrics.gauge("gateway.ratelimit.redis.up", redisUp, up -> up.get() ? 1 : 0);
    }

    public Uni<Decision> check(String key, int limit, Duration period) {
        Decision local = decideNow(key, limit);
        return local != null ? Uni.createFrom().item(local) : ask(key, limit, period);
    }

    /**
     * The decision this replica's lease of the key gives without Redis, or null (then
     * {@link #check}): a busy key is decided on the spot, without building a Uni.
     */
    public Decision decideNow(String key, int limit) {
        Lease lease = leases.get(key);
        if (lease == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        if (now < lease.refusedUntil) {
            return new Decision(false, limit, 0, lease.refusedUntil - now, lease.resetAt - now);
        }
        if (lease.take(now)) {
            return new Decision(true, limit, lease.remainingInRedis + lease.left.get(), 0, Math.max(0, lease.resetAt - now));
        }
        return null;
    }

    /**
     * Asks Redis (for a lease of cells when the key is busy); {@link #decideNow} had no answer. One
     * call per key at a time: requests that miss while it is on its way wait for the lease it
     * brings (a call each would cost Redis round trips, and each answer's lease would replace the
     * one before, its cells spent in Redis but never used here).
     */
    Uni<Decision> ask(String key, int limit, Duration period) {
        CompletableFuture<Void> call = new CompletableFuture<>();
        CompletableFuture<Void> running = asking.putIfAbsent(key, call);
        if (running != null) {
            return Uni.createFrom().completionStage(running).onItem().transformToUni(done -> check(key, limit, period));
        }
        return askRedis(key, limit, period).onTermination().invoke(() -> {
            asking.remove(key, call);
            call.complete(null);
        });
    }

    private Uni<Decision> askRedis(String key, int limit, Duration period) {
        long now = System.currentTimeMillis();
        Lease lease = leases.get(key);
        int maxLease = leaseMillis <= 0 ? 1 : Math.max(1, Math.min(MAX_LEASE, limit / 10));
        int size = lease == null ? 1 : lease.nextSize(now, maxLease);
        long interval = Math.max(1, period.toMillis() / limit);
        redisChecks.increment();
        return eval(key, interval, limit, size)
                .map(reply -> {
                    markRedis(true);
                    int granted = reply.get(0).toInteger();
                    long remaining = reply.get(1).toLong();
                    long reset = reply.get(3).toLong();
                    long retryAfter = reply.get(2).toLong();
                    if (leaseMillis > 0 && (granted == 0 || maxLease > 1)) {
                        forgetExpired(now);
                        // one cell is spent by this request, the rest wait here; a key seen again
                        // before the lease expires gets a bigger one next time; a refusal holds
                        // until Retry-After without asking Redis again
                        leases.put(key, new Lease(now, leaseMillis, Math.max(1, granted), Math.max(0, granted - 1),
                                remaining, reset, granted == 0 ? retryAfter : 0));
                    }
                    return new Decision(granted > 0, limit, remaining + Math.max(0, granted - 1), retryAfter, reset);
                })
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> {
                    markRedis(false);
                    fallbacks.increment();
                    return local.check(key, limit, period.toMillis(), System.currentTimeMillis());
                });
    }

    /** Leases live a second or so: past a few thousand keys, the expired ones go. */
    private void forgetExpired(long now) {
        if (leases.size() > CLEAN_ABOVE) {
            leases.values().removeIf(l -> l.expiresAt <= now && l.refusedUntil <= now);
        }
    }

    private Uni<Response> eval(String key, long interval, int limit, int wanted) {
        String known = sha;
        String[] args = { key, Long.toString(interval), Integer.toString(limit), Integer.toString(wanted) };
        if (known == null) {
            return redis.execute("EVAL", SCRIPT, "1", args[0], args[1], args[2], args[3])
                    .call(() -> redis.execute("SCRIPT", "LOAD", SCRIPT).invoke(r -> sha = r.toString()));
        }
        return redis.execute("EVALSHA", known, "1", args[0], args[1], args[2], args[3])
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT")).recoverWithUni(() -> {
                    sha = null; // Redis restarted and forgot the script
                    return eval(key, interval, limit, wanted);
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
