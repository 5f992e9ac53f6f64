package io.talkline.auth.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.talkline.auth.config.AuthConfig;
import io.talkline.commons.problem.ProblemException;

/**
 * Failed logins per account name and per client address, in Redis (every auth-service instance
 * sees the same counts). Past the free attempts each further failure doubles a lock-out, up to a
 * ceiling. Account names are counted whether the account exists or not: the answer never tells.
 */
@ApplicationScoped
public class LoginThrottle {

    private final ValueCommands<String, Long> counters;
    private final KeyCommands<String> keys;
    private final AuthConfig.Throttle config;

    public LoginThrottle(RedisDataSource redis, AuthConfig config) {
        this.counters = redis.value(Long.class);
        this.keys = redis.key();
        this.config = config.throttle();
    }

    /** 429 with Retry-After while the account name or the address is locked out. */
    public void check(String account, String address) {
        long wait = Math.max(remaining(lockKey("acct", account)), remaining(lockKey("ip", address)));
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999) / 1000);
            throw new ProblemException(429, "Too many failed logins; retry in " + seconds + " s")
                    .withHeader("Retry-After", Long.toString(seconds));
        }
    }

    public void failed(String account, String address) {
        count("acct", account, config.freeAttemptsPerAccount());
        count("ip", address, config.freeAttemptsPerAddress());
    }

    public void succeeded(String account) {
        keys.del(countKey("acct", account), lockKey("acct", account));
    }

    private void count(String kind, String who, int free) {
        String key = countKey(kind, who);
        long failures = counters.incr(key);
        keys.pexpire(key, config.window().toMillis());
        if (failures >= free) {
            long lock = Math.min(config.maxLockout().toMillis(), 1000L << Math.min(20, failures - free));
            counters.set(lockKey(kind, who), failures, new SetArgs().px(lock));
        }
    }

    private long remaining(String key) {
        try {
            return Math.max(0, keys.pttl(key));
        } catch (io.quarkus.redis.datasource.keys.RedisKeyNotFoundException notLocked) {
            return 0; // the usual case: no lock-out
        }
    }

    private static String countKey(String kind, String who) {
        return "auth:login-failures:" + kind + ":" + who;
    }

    private static String lockKey(String kind, String who) {
        return "auth:login-lock:" + kind + ":" + who;
    }
}
