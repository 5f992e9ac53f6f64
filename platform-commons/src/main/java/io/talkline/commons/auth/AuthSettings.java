package io.talkline.commons.auth;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How every service finds the keys of access tokens and checks revocations; the token's own checks
 * (iss, aud, skew, required claims) are smallrye-jwt's mp.jwt.* settings (ADR 0029).
 */
@ConfigMapping(prefix = "platform.auth")
public interface AuthSettings {

    /** auth-service's key set. */
    @WithDefault("http://127.0.0.1:8081/.well-known/jwks.json")
    String jwksUrl();

    /** An unknown kid refetches the key set at most this often (a flood of forged kids cannot hammer auth-service). */
    @WithDefault("30s")
    Duration jwksRefetchInterval();

    /**
     * Tokens whose signature and claims were checked are remembered until they expire (a signature
     * check costs ~1 ms of CPU, a client reuses its token for many requests); revocation is still
     * checked on every use. 0 turns the cache off.
     */
    @WithDefault("10000")
    int verifiedCacheSize();

    /** Known keys are refreshed in the background this often. */
    @WithDefault("10m")
    Duration jwksMaxAge();

    /**
     * While Redis is unreachable, revocations are checked against this instance's copy as it was
     * when last known complete, for at most this long after that; then token checks fail closed
     * (503). Revocations cannot be written during an outage either (ADR 0023). 0 fails closed at once.
     */
    @WithDefault("30s")
    Duration revocationGrace();
}
