package io.talkline.commons.auth;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * The one access-token check of every service (ADR 0029). The key: the one of auth-service's JWKS
 * that the token's kid names (cached; fetched without blocking an event loop; an unknown kid
 * refetches at most every 30 s; keys named by jku/x5u/jwk headers are never used). The signature
 * and claims (iss, aud, exp/iat with skew, sub and jti required): smallrye-jwt's parser, as its
 * mp.jwt.* settings say, which makes the {@link AccessToken} principal. Then the revocation keys:
 * from this instance's {@link RevocationMirror} while it is coherent, else in one Redis MGET. A
 * token that passed the signature and claim checks is remembered until it expires.
 */
@ApplicationScoped
public class TokenVerifier {

    /** How long a revocation check may wait for Redis before the request is answered 503. */
    private static final Duration REVOCATION_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final AuthSettings settings;
    /** smallrye-jwt's, given the JWKS key (a public key: "none" and HS256 key confusion cannot pass). */
    private final JWTParser parser;
    private final HttpClient http;
    private final ReactiveRedisDataSource redis;
    private final RevocationMirror mirror;
    /** Token → its checked claims, each until its exp (plus skew); revocation is checked on every use. */
    private final Cache<String, VerifiedToken> verified;
    /** Replaced whole on every fetch: a key removed from the set stops being trusted. */
    private volatile Map<String, PublicKey> keys = Map.of();
    private final AtomicLong lastFetch = new AtomicLong();
    private final AtomicReference<CompletableFuture<Void>> fetching = new AtomicReference<>();
    private volatile long fetchedAt;
    /** When a revocation read last failed: for a second after, a recent copy answers without asking. */
    private volatile long redisFailedAt;
    /** platform.auth.revocation-grace, read once: the check runs on every request. */
    private final long graceMillis;

    public TokenVerifier(AuthSettings settings, JWTParser parser, JWTAuthContextInfo tokenRules, Vertx vertx,
            ReactiveRedisDataSource redis, RevocationMirror mirror) {
        this.settings = settings;
        this.parser = parser;
        this.mirror = mirror;
        this.http = vertx.createHttpClient();
        this.redis = redis;
        this.graceMillis = settings.revocationGrace().toMillis();
        long skew = Duration.ofSeconds(tokenRules.getClockSkew()).toNanos();
        this.verified = Caffeine.newBuilder().maximumSize(settings.verifiedCacheSize())
                .expireAfter(Expiry.<String, VerifiedToken> creating((token, claims) -> Duration.ofNanos(Math.max(0,
                        Duration.between(Instant.now(), claims.expiresAt()).toNanos() + skew))))
                .build();
    }

    /**
     * The first ES256 check of a JVM builds the curve's precomputed tables: seconds on a cold JVM
     * on a busy box (measured: an event loop blocked 2.7 s by the first socket after a start). A
     * throwaway token is signed and checked at start-up in the background instead.
     */
    void warmUp(@Observes StartupEvent event) {
        Thread.ofPlatform().name("token-verifier-warm-up").daemon(true).start(() -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = generator.generateKeyPair();
                JsonWebSignature jws = new JsonWebSignature();
                jws.setPayload("{\"sub\":\"warm-up\"}");
                jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
                jws.setKey(pair.getPrivate());
                JsonWebSignature check = new JsonWebSignature();
                check.setCompactSerialization(jws.getCompactSerialization());
                check.setKey(pair.getPublic());
                check.verifySignature();
            } catch (GeneralSecurityException | JoseException e) {
                Log.debugf("token verifier warm-up skipped: %s", e.toString());
            }
        });
    }

    public Uni<VerifiedToken> verify(String token) {
        VerifiedToken known = verified.getIfPresent(token);
        if (known != null) {
            return notRevoked(known);
        }
        String kid;
        try {
            JsonWebStructure jws = JsonWebStructure.fromCompactSerialization(token);
            kid = jws.getKeyIdHeaderValue();
        } catch (JoseException e) {
            return Uni.createFrom().failure(new TokenRejected("not a JWS"));
        }
        if (kid == null) {
            return Uni.createFrom().failure(new TokenRejected("no kid"));
        }
        return key(kid).map(key -> {
            VerifiedToken claims = claims(token, key);
            verified.put(token, claims);
            return claims;
        }).chain(this::notRevoked);
    }

    private VerifiedToken claims(String token, PublicKey key) {
        try {
            AccessToken jwt = (AccessToken) parser.verify(token, key);
            return new VerifiedToken(jwt.getSubject(), jwt.getClaim("upn"), Set.copyOf(jwt.getGroups()),
                    jwt.getClaim("sid"), jwt.getTokenID(), issuedAt(jwt), Instant.ofEpochSecond(jwt.getExpirationTime()),
                    jwt);
        } catch (ParseException e) {
            throw new TokenRejected(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    /**
     * The issue time to the millisecond: {@code iat} has whole seconds, so auth-service adds
     * {@value Revocations#ISSUED_AT_MILLIS_CLAIM}; a not-before set in the same second as a fresh
     * login must not refuse it. Without that claim (or with one that disagrees with iat) the start
     * of iat's second is taken, which refuses rather than admits.
     */
    static Instant issuedAt(AccessToken jwt) {
        long seconds = jwt.getIssuedAtTime();
        Object claim = jwt.getClaim(Revocations.ISSUED_AT_MILLIS_CLAIM);
        Long millis = claim instanceof jakarta.json.JsonNumber number ? Long.valueOf(number.longValue())
                : claim instanceof Number number ? Long.valueOf(number.longValue()) : null;
        if (millis != null && millis / 1000 == seconds) {
            return Instant.ofEpochMilli(millis);
        }
        return Instant.ofEpochSecond(seconds);
    }

    /**
     * Whether a token accepted earlier (an open socket's) has been revoked since: logout, session
     * end, logout-all, disable. Expiry is not checked: a socket lives on past its token's exp.
     */
    public Uni<VerifiedToken> stillValid(VerifiedToken token) {
        return notRevoked(token);
    }

    /** True while revocation checks are answered from this instance's copy, without Redis. */
    public boolean checksLocally() {
        return mirror.coherent();
    }

    /**
     * The same answer as {@link #verify} when it can be given at once (the token was verified
     * before and the revocation mirror is coherent), else null: hot paths skip building a Uni.
     */
    public VerifiedToken verifiedNow(String token) {
        VerifiedToken known = verified.getIfPresent(token);
        if (known == null || !mirrorAnswers()) {
            return null;
        }
        return mirrorRefusal(known) == null ? known : null;
    }

    /**
     * The mirror answers when it is coherent, or while Redis is failing and the mirror was complete
     * within the grace (ADR 0023); a read failed a moment ago, so no request waits on Redis again.
     */
    private boolean mirrorAnswers() {
        return mirror.coherent() || System.currentTimeMillis() - redisFailedAt < 1_000
                && mirror.completeWithin(graceMillis);
    }

    private String mirrorRefusal(VerifiedToken token) {
        return refusal(token, mirror.get(Revocations.tokenKey(token.tokenId())),
                mirror.get(Revocations.sessionKey(token.sessionId() == null ? "-" : token.sessionId())),
                mirror.get(Revocations.notBeforeKey(token.userId())));
    }

    /**
     * From the local mirror when it is coherent (no round trip), else one MGET. When Redis cannot
     * answer, a mirror that was complete within {@code platform.auth.revocation-grace} answers
     * instead (ADR 0023); after that the check fails closed: 503, never 401.
     */
    private Uni<VerifiedToken> notRevoked(VerifiedToken token) {
        if (mirrorAnswers()) {
            return fromMirror(token);
        }
        String tokenKey = Revocations.tokenKey(token.tokenId());
        String sessionKey = Revocations.sessionKey(token.sessionId() == null ? "-" : token.sessionId());
        String notBeforeKey = Revocations.notBeforeKey(token.userId());
        return redis.value(String.class).mget(tokenKey, sessionKey, notBeforeKey)
                // a silent Redis must not hold the caller for ever: it gets a 503 and retries
                .ifNoItem().after(REVOCATION_CHECK_TIMEOUT).fail()
                .map(values -> {
                    String refusal = refusal(token, values.get(tokenKey), values.get(sessionKey), values.get(notBeforeKey));
                    if (refusal != null) {
                        throw new TokenRejected(refusal);
                    }
                    return token;
                })
                .onFailure(failure -> !(failure instanceof TokenRejected)).recoverWithUni(failure -> {
                    redisFailedAt = System.currentTimeMillis();
                    if (mirror.completeWithin(graceMillis)) {
                        return fromMirror(token);
                    }
                    return Uni.createFrom().failure(new TokenUncheckable("revocations unreadable: " + failure, failure));
                });
    }

    private Uni<VerifiedToken> fromMirror(VerifiedToken token) {
        String refusal = mirrorRefusal(token);
        return refusal == null ? Uni.createFrom().item(token) : Uni.createFrom().failure(new TokenRejected(refusal));
    }

    private static String refusal(VerifiedToken token, String revokedToken, String revokedSession, String notBefore) {
        if (revokedToken != null) {
            return "token revoked";
        }
        if (revokedSession != null) {
            return "session revoked";
        }
        if (notBefore != null && token.issuedAt().toEpochMilli() < Long.parseLong(notBefore)) {
            return "issued before the user's not-before";
        }
        return null;
    }

    /**
     * The key of a kid: known and fresh → at once; otherwise after a JWKS fetch, shared by every
     * caller that arrives while it is in flight (a burst of first requests must not be refused
     * because another request started the fetch). An unknown kid starts at most one fetch per
     * refetch interval.
     */
    private Uni<PublicKey> key(String kid) {
        PublicKey known = keys.get(kid);
        long now = System.currentTimeMillis();
        boolean stale = now - fetchedAt > settings.jwksMaxAge().toMillis();
        if (known != null && !stale) {
            return Uni.createFrom().item(known);
        }
        CompletableFuture<Void> inflight = fetching.get();
        if (inflight == null) {
            if (known == null && now - lastFetch.get() < settings.jwksRefetchInterval().toMillis()) {
                return Uni.createFrom().failure(new TokenRejected("unknown kid"));
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            inflight = fetching.compareAndExchange(null, mine);
            if (inflight == null) {
                inflight = mine;
                lastFetch.set(now);
                fetchKeys().subscribe().with(ignored -> {
                    fetching.set(null);
                    mine.complete(null);
                }, failure -> {
                    fetching.set(null);
                    mine.completeExceptionally(failure);
                });
            }
        }
        return Uni.createFrom().completionStage(inflight).map(ignored -> {
            PublicKey key = keys.get(kid);
            if (key == null) {
                throw new TokenRejected("unknown kid");
            }
            return key;
        }).onFailure(f -> !(f instanceof TokenRejected)).recoverWithItem(failure -> {
            Log.warnf("JWKS from %s unavailable: %s", settings.jwksUrl(), failure.toString());
            if (known != null) {
                return known; // keep serving with the keys we have
            }
            throw new TokenUncheckable("key set unavailable", failure);
        });
    }

    private Uni<Void> fetchKeys() {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(settings.jwksUrl())
                .setTimeout(5000);
        return http.request(request).chain(req -> req.send())
                .chain(resp -> resp.statusCode() == 200 ? resp.body()
                        : Uni.createFrom().failure(new IllegalStateException("JWKS status " + resp.statusCode())))
                .map(Buffer::toString)
                .map(json -> {
                    try {
                        Map<String, PublicKey> fresh = new ConcurrentHashMap<>();
                        for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
                            if (jwk.getKeyId() != null && jwk instanceof PublicJsonWebKey publicKey) {
                                fresh.put(jwk.getKeyId(), publicKey.getPublicKey());
                            }
                        }
                        if (!fresh.keySet().containsAll(keys.keySet())) {
                            verified.invalidateAll(); // a withdrawn key: what it signed is no longer trusted
                        }
                        keys = fresh;
                        fetchedAt = System.currentTimeMillis();
                        return null;
                    } catch (JoseException e) {
                        throw new IllegalStateException("JWKS unreadable", e);
                    }
                });
    }
}
