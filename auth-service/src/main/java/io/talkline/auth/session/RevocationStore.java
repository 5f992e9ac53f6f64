package io.talkline.auth.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.talkline.auth.config.AuthConfig;
import io.talkline.commons.auth.RevocationMirror;
import io.talkline.commons.auth.Revocations;

/** Writes what every verifier reads: each key lives exactly as long as a token it could refuse. */
@ApplicationScoped
public class RevocationStore {

    private final ValueCommands<String, String> values;
    private final PubSubCommands<String> pubsub;
    private final Duration accessTtl;
    private final Clock clock;

    private final RevocationMirror mirror;

    public RevocationStore(RedisDataSource redis, AuthConfig config, Clock clock, RevocationMirror mirror) {
        this.mirror = mirror;
        this.values = redis.value(String.class);
        this.pubsub = redis.pubsub(String.class);
        this.accessTtl = config.token().accessTtl();
        this.clock = clock;
    }

    /** This one access token, until it would have expired anyway. */
    public void token(String jti, Instant expiresAt) {
        long ms = Duration.between(clock.instant(), expiresAt).toMillis();
        if (ms > 0) {
            write(Revocations.tokenKey(jti), "1", ms);
        }
    }

    /** Every access token of a session (they all carry its sid). */
    public void session(String sessionId) {
        write(Revocations.sessionKey(sessionId), "1", accessTtl.toMillis() + 60_000);
    }

    /**
     * Every access token of the user issued before now, to the millisecond (tokens carry their issue
     * time in ms): a login right after a role change or logout-all works at once.
     */
    public void userNotBefore(String userId) {
        write(Revocations.notBeforeKey(userId), Long.toString(clock.millis()), accessTtl.toMillis() + 60_000);
    }

    /** The key for verifiers that ask Redis, the message for those that keep a mirror (every service). */
    private void write(String key, String value, long ttlMillis) {
        values.set(key, value, new SetArgs().px(ttlMillis));
        mirror.record(key, value, ttlMillis);
        pubsub.publish(Revocations.CHANNEL, Revocations.message(key, value, ttlMillis));
    }
}
