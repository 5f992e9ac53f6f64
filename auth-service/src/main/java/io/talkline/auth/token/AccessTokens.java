package io.talkline.auth.token;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.talkline.auth.account.User;
import io.talkline.auth.config.AuthConfig;

/** Signs access tokens: ES256 with the current key's kid; the claims of api.md. */
@ApplicationScoped
public class AccessTokens {

    private final SigningKeys keys;
    private final AuthConfig.Token config;
    private final Clock clock;

    public AccessTokens(SigningKeys keys, AuthConfig config, Clock clock) {
        this.keys = keys;
        this.config = config.token();
        this.clock = clock;
    }

    public String issue(User user, String sessionId) {
        Instant now = clock.instant();
        Set<String> groups = user.roles.stream().map(Enum::name).collect(Collectors.toCollection(java.util.TreeSet::new));
        return Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(user.id)
                .upn(user.username)
                .groups(groups)
                .claim("sid", sessionId)
                .claim("jti", UUID.randomUUID().toString())
                .issuedAt(now)
                .expiresAt(now.plus(config.accessTtl()))
                .jws().keyId(keys.current().kid()).algorithm(SignatureAlgorithm.ES256)
                .sign(keys.current().privateKey());
    }

    public long ttlSeconds() {
        return config.accessTtl().toSeconds();
    }
}
