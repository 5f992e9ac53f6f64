package io.talkline.commons.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;

import io.quarkus.redis.runtime.datasource.ReactiveRedisDataSourceImpl;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.talkline.commons.auth.AccessTokenFactory;
import io.talkline.commons.auth.AuthSettings;
import io.talkline.commons.auth.RevocationMirror;
import io.talkline.commons.auth.TokenVerifier;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisAPI;

/**
 * Verifications per second of the real {@link TokenVerifier} against the real Redis: signature,
 * claims and the revocation check. Run by {@code bench/token-verifier.sh} (pinned to one core).
 * Not a test: it asserts nothing and its figures depend on the machine.
 */
public final class VerifierBenchmark {

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("users", 1000);
        Duration duration = Duration.ofSeconds(Integer.getInteger("seconds", 20));
        int inFlight = Integer.getInteger("inFlight", 64);

        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId("bench");
        String jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        Vertx vertx = Vertx.vertx();
        var server = vertx.createHttpServer().requestHandler(req -> req.response().putHeader("Content-Type", "application/json")
                .endAndForget(jwks)).listenAndAwait(0);
        Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");
        var redisSource = new ReactiveRedisDataSourceImpl(vertx, redis, RedisAPI.api(redis));
        RevocationMirror mirror = new RevocationMirror(redisSource,
                new io.talkline.commons.realtime.RedisChannels(vertx.getDelegate(), "redis://127.0.0.1:6379",
                        "verifier-benchmark"),
                vertx);
        // smallrye-jwt's parser as the services configure it (microprofile-config.properties)
        JWTAuthContextInfo rules = new JWTAuthContextInfo();
        rules.setIssuedBy("talkline");
        rules.setExpectedAudience(java.util.Set.of("talkline"));
        rules.setSignatureAlgorithm(java.util.Set.of(SignatureAlgorithm.ES256));
        rules.setClockSkew(30);
        rules.setRequiredClaims(java.util.Set.of("sub", "jti"));
        var verifier = new TokenVerifier(settings("http://127.0.0.1:" + server.actualPort() + "/"),
                new DefaultJWTParser(rules, new AccessTokenFactory()), rules, vertx, redisSource, mirror);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!mirror.coherent()) { // measure the path services take: the mirror, not the fallback
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the revocation mirror did not become coherent");
            }
            Thread.onSpinWait();
        }

        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            tokens.add(sign(key, "user-" + i));
        }
        verifier.verify(tokens.getFirst()).await().atMost(Duration.ofSeconds(10));

        System.out.printf("warm-up %ds, then %ds, %d users' tokens reused (a token lives 15 min), %d in flight%n",
                duration.toSeconds(), duration.toSeconds(), users, inFlight);
        run(verifier, tokens, duration, inFlight, false);
        long reused = run(verifier, tokens, duration, inFlight, false);
        System.out.printf("tokens seen before:       %,d verifications/s%n", reused / duration.toSeconds());

        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            fresh.add(sign(key, "fresh-" + i));
        }
        long cold = run(verifier, fresh, duration, inFlight, true);
        System.out.printf("every token new (cold):   %,d verifications/s%n", cold / duration.toSeconds());
        vertx.closeAndAwait();
    }

    private static long run(TokenVerifier verifier, List<String> tokens, Duration duration, int inFlight, boolean once)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        int i = 0;
        while (System.nanoTime() < end && (!once || i < tokens.size())) {
            permits.acquire();
            String token = tokens.get(i++ % tokens.size());
            verifier.verify(token).subscribe().with(ok -> {
                done.incrementAndGet();
                permits.release();
            }, failure -> {
                if (failed.incrementAndGet() == 1) {
                    System.out.println("  first failure: " + failure);
                }
                permits.release();
            });
        }
        permits.acquire(inFlight);
        if (failed.get() > 0) {
            System.out.printf("  (%d verifications failed)%n", failed.get());
        }
        return done.get();
    }

    private static String sign(EllipticCurveJsonWebKey key, String user) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("talkline");
        claims.setAudience("talkline");
        claims.setSubject(user);
        claims.setClaim("upn", user);
        claims.setStringListClaim("groups", "user");
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plusSeconds(900).getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        return jws.getCompactSerialization();
    }

    private static AuthSettings settings(String jwksUrl) {
        return new AuthSettings() {
            public String jwksUrl() {
                return jwksUrl;
            }

            public Duration jwksRefetchInterval() {
                return Duration.ofSeconds(30);
            }

            public int verifiedCacheSize() {
                return Integer.getInteger("cacheSize", 10_000);
            }

            public Duration jwksMaxAge() {
                return Duration.ofMinutes(10);
            }

            public Duration revocationGrace() {
                return Duration.ofSeconds(30);
            }
        };
    }

}
