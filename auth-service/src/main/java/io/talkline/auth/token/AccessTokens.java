package io.talkline.auth.token;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.talkline.auth.account.User;
import io.talkline.auth.config.AuthConfig;
import io.talkline.commons.auth.Revocations;

/**
 * Signs access tokens: ES256 with the current key's kid; the claims of api.md. jose4j directly (the
 * library the verifiers use): the smallrye-jwt builder reads a dozen config properties per token,
 * which showed up in the refresh benchmark.
 */
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
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.issuer());
        claims.setAudience(config.audience());
        claims.setSubject(user.id);
        claims.setClaim("upn", user.username);
        claims.setStringListClaim("groups", user.roles.stream().map(Enum::name).sorted().toList());
        claims.setClaim("sid", sessionId);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        // to the millisecond: a not-before written in this same second must not refuse a new login
        claims.setClaim(Revocations.ISSUED_AT_MILLIS_CLAIM, now.toEpochMilli());
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(config.accessTtl()).getEpochSecond()));
        SigningKeys.Key key = keys.current();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.privateKey());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
    }

    public long ttlSeconds() {
        return config.accessTtl().toSeconds();
    }
}
