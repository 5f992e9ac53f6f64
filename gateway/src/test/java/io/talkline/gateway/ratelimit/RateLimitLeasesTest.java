package io.talkline.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.talkline.gateway.config.GatewayConfig;

/**
 * Two replicas (two limiters on one Redis) spending leases: together they never let more through
 * than the limit, and a busy key costs a fraction of a Redis call per request; a small limit is
 * exact, one Redis call per request.
 */
@QuarkusTest
class RateLimitLeasesTest {

    @Inject
    RateLimiter replicaA;
    @Inject
    ReactiveRedisDataSource redis;
    @Inject
    GatewayConfig config;
    @Inject
    MeterRegistry metrics;

    private double redisChecks() {
        return metrics.counter("gateway.ratelimit.redis.checks").count();
    }

    @Test
    void twoReplicasSpendingLeasesNeverExceedTheSharedLimit() {
        RateLimiter replicaB = new RateLimiter(redis, config, metrics);
        String key = "lease-test:" + UUID.randomUUID();
        double before = redisChecks();
        int allowed = 0;
        for (int i = 0; i < 400; i++) {
            RateLimiter replica = i % 2 == 0 ? replicaA : replicaB;
            if (replica.check(key, 300, Duration.ofHours(1)).await().atMost(Duration.ofSeconds(5)).allowed()) {
                allowed++;
            }
        }
        double asked = redisChecks() - before;
        // 300 an hour: a cell comes back every 12 s, and leases outlive the test (gateway.rate-limit.lease
        // is 1m here), so no cell refills or is lost however slow the run: exactly the limit passes
        assertEquals(300, allowed, "allowed of a limit of 300");
        assertTrue(asked < 100, "Redis asked " + asked + " times for 400 requests");
    }

    @Test
    void aSmallLimitIsExactWithOneRedisCallPerRequest() {
        RateLimiter replicaB = new RateLimiter(redis, config, metrics);
        String key = "lease-test:" + UUID.randomUUID();
        double before = redisChecks();
        assertTrue(replicaA.check(key, 3, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(10)).allowed());
        assertTrue(replicaB.check(key, 3, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(10)).allowed());
        assertTrue(replicaA.check(key, 3, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(10)).allowed());
        Decision refused = replicaB.check(key, 3, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(10));
        assertFalse(refused.allowed());
        assertTrue(refused.retryAfterSeconds() >= 1);
        assertEquals(4, redisChecks() - before, 0.001);
    }

    @Test
    void concurrentMissesOfOneKeyShareOneRedisCallAtATime() {
        String key = "lease-test:" + UUID.randomUUID();
        double before = redisChecks();
        List<Uni<Decision>> requests = IntStream.range(0, 50)
                .mapToObj(i -> replicaA.check(key, 100_000, Duration.ofMinutes(1))).toList();
        List<Decision> decisions = Uni.join().all(requests).andFailFast().await().atMost(Duration.ofSeconds(10));
        assertTrue(decisions.stream().allMatch(Decision::allowed));
        // leases of 1, 2, 4, ... cells one after another instead of 50 calls of one cell each
        double asked = redisChecks() - before;
        assertTrue(asked <= 10, "Redis asked " + asked + " times for 50 concurrent requests");
    }
}
