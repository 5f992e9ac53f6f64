package io.talkline.commons.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Stands in for auth-service in a service's tests: a JWKS endpoint with a key generated for the
 * run, and access tokens signed the way auth-service signs them. The service under test verifies
 * them with the real verifier (signature, claims, Redis revocation keys).
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    private static final KeyPair KEY = ecKey();
    private static final String KID = "test-" + UUID.randomUUID();
    private static Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(KEY.getPublic());
            jwk.setKeyId(KID);
            String jwks = new JsonWebKeySet(jwk).toJson();
            int port = vertx.createHttpServer()
                    .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(jwks))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join().actualPort();
            return Map.of("platform.auth.jwks-url", "http://127.0.0.1:" + port + "/.well-known/jwks.json");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A user's access token of a session of its own. */
    public static String token(String userId, String... roles) {
        return sessionToken(userId, UUID.randomUUID().toString(), roles);
    }

    /** A token of the given session (sid), as a test of revocation needs. */
    public static String sessionToken(String userId, String sessionId, String... roles) {
        return token(userId, sessionId, Duration.ofMinutes(15), roles);
    }

    /** A token that expires after the given time (a socket that outlives its token). */
    public static String shortLived(String userId, Duration lifetime, String... roles) {
        return token(userId, UUID.randomUUID().toString(), lifetime, roles);
    }

    /** A user's token with its claims changed after the usual ones are set: what a verifier must refuse. */
    public static String tokenWith(String userId, java.util.function.Consumer<JwtClaims> change) {
        return token(userId, UUID.randomUUID().toString(), Duration.ofMinutes(15), change);
    }

    private static String token(String userId, String sessionId, Duration lifetime, String... roles) {
        return token(userId, sessionId, lifetime, claims -> claims.setStringListClaim("groups",
                roles.length == 0 ? List.of("user") : List.of(roles)));
    }

    private static String token(String userId, String sessionId, Duration lifetime,
            java.util.function.Consumer<JwtClaims> change) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("talkline");
        claims.setAudience("talkline");
        claims.setSubject(userId);
        claims.setClaim("upn", "user-" + userId);
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromMilliseconds(System.currentTimeMillis() + lifetime.toMillis()));
        claims.setStringListClaim("groups", List.of("user"));
        claims.setClaim("sid", sessionId);
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(KEY.getPrivate());
        jws.setKeyIdHeaderValue(KID);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The user an Authorization header's bearer token names (its {@code sub}), unverified: for
     * stand-ins of other services, behind a service that has verified the token already.
     */
    public static String subject(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        return parts.length < 2 ? null
                : new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).getString("sub");
    }
}
