package io.talkline.gateway.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.auth.TokenRejected;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.Problems;
import io.talkline.gateway.config.GatewayConfig;
import io.talkline.gateway.routing.GatewayProxy;
import io.talkline.gateway.routing.RequestPath;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every API call and WebSocket upgrade is counted against one policy: the route's own (login,
 * register, refresh), new sockets, authenticated calls, or anonymous calls — keyed by client
 * address. Answers carry RateLimit-Limit/-Remaining/-Reset; a refusal is 429 problem+json with
 * Retry-After, decided before any upstream is touched.
 */
@ApplicationScoped
public class RateLimitFilter {

    /** After CORS (-300: a refused origin is not counted), before proxying (-210). */
    static final int ROUTE_ORDER = -250;

    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final GatewayConfig.RateLimit config;
    private final Problems problems;
    private final MeterRegistry metrics;
    private final TokenVerifier verifier;
    private final SocketAdmission admission;
    /** Tokens refused lately, by fingerprint: sent again, they are anonymous without another check. */
    private final Cache<String, Boolean> refused = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();
    private final Counter checks;

    /** Routing-context key of an admitted socket's lease; the proxy releases it when the tunnel closes. */
    public static final String SOCKET_LEASE = "socket-lease";

    // header names made once: Vert.x validates and hashes a String name on every put
    private static final CharSequence LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
    private static final CharSequence REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
    private static final CharSequence RESET = HttpHeaders.createOptimized("RateLimit-Reset");

    public RateLimitFilter(RateLimiter limiter, ClientAddress clients, GatewayConfig config, Problems problems,
            MeterRegistry metrics, TokenVerifier verifier, SocketAdmission admission) {
        this.verifier = verifier;
        this.admission = admission;
        this.limiter = limiter;
        this.clients = clients;
        this.config = config.rateLimit();
        this.problems = problems;
        this.metrics = metrics;
        this.checks = metrics.counter("gateway.tokens.checked");
    }

    void routes(@Observes Router router) {
        if (config.enabled()) {
            router.route().order(ROUTE_ORDER).handler(ctx -> {
                String path = RequestPath.of(ctx);
                // API calls, sockets and the JWKS (known routes or not); the web client and /docs are not counted
                if (path.startsWith("/api/") || path.startsWith("/ws/") || path.startsWith("/.well-known/")) {
                    handle(ctx);
                } else {
                    ctx.next();
                }
            });
        }
    }

    void handle(RoutingContext ctx) {
        String bearer = BearerAuthMechanism.token(ctx.request());
        if (bearer == null) {
            limit(ctx, null, false, null);
            return;
        }
        VerifiedToken known = verifier.verifiedNow(bearer);
        if (known != null) {
            limit(ctx, known.userId(), false, null);
            return;
        }
        String fingerprint = fingerprint(bearer);
        if (refused.getIfPresent(fingerprint) != null) {
            limit(ctx, null, false, null); // refused moments ago: anonymous at once, no signature check
            return;
        }
        // a token not seen yet: the client's address pays first, so a flood of forged tokens is
        // limited like anonymous calls before any signature is checked
        limit(ctx, null, false, () -> verifyThenLimit(ctx, bearer, fingerprint));
    }

    /** After the address was charged: a valid token is counted as its user, an invalid one stays anonymous. */
    private void verifyThenLimit(RoutingContext ctx, String bearer, String fingerprint) {
        checks.increment();
        Context context = Vertx.currentContext();
        verifier.verify(bearer).subscribe().with(token -> onRequestContext(context, () -> {
            if (config.routes().containsKey(RequestPath.of(ctx))) {
                proceed(ctx, true); // a route's own policy counts per address: charged already
            } else {
                limit(ctx, token.userId(), true, null);
            }
        }), failure -> onRequestContext(context, () -> {
            if (failure instanceof TokenRejected) {
                refused.put(fingerprint, Boolean.TRUE);
            }
            // the service answers it (401, or 503 while tokens cannot be checked)
            proceed(ctx, true);
        }));
    }

    /** A token's SHA-256: what is remembered of a refused one (not the token, which may be large). */
    private static String fingerprint(String token) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decides on the spot when this replica holds a lease of the key (the common case for a busy
     * caller), else asks Redis; {@code paused} says whether the request waits for an answer. When
     * {@code thenAllowed} is given, an allowed request runs it (paused) instead of going on.
     */
    private void limit(RoutingContext ctx, String userId, boolean paused, Runnable thenAllowed) {
        HttpServerRequest request = ctx.request();
        String policyName = policy(ctx, userId != null);
        GatewayConfig.Policy policy = config.policies().get(policyName);
        if (policy == null) {
            if (thenAllowed != null) {
                pauseAndRun(ctx, paused, thenAllowed);
            } else {
                proceed(ctx, paused);
            }
            return;
        }
        // a route's own policy counts per route; a verified caller is counted as themself
        String path = RequestPath.of(ctx);
        String scope = config.routes().containsKey(path) ? path : "";
        String who = userId != null && !policyName.equals("auth") ? "user:" + userId : clients.of(ctx);
        String key = config.keyPrefix() + ":" + policyName + ":" + scope + ":" + who;
        Decision now = limiter.decideNow(key, policy.limit());
        if (now != null) {
            decided(ctx, userId, policyName, now, paused, thenAllowed);
            return;
        }
        if (!paused) {
            request.pause();
        }
        Context context = Vertx.currentContext();
        limiter.ask(key, policy.limit(), policy.period()).subscribe().with(decision -> onRequestContext(context,
                () -> decided(ctx, userId, policyName, decision, true, thenAllowed)), ctx::fail);
    }

    private static void pauseAndRun(RoutingContext ctx, boolean paused, Runnable action) {
        if (!paused) {
            ctx.request().pause(); // the body waits for the verdict
        }
        action.run();
    }

    private void decided(RoutingContext ctx, String userId, String policyName, Decision decision, boolean paused,
            Runnable thenAllowed) {
        HttpServerResponse response = ctx.response();
        response.putHeader(LIMIT, Integer.toString(decision.limit()));
        response.putHeader(REMAINING, Long.toString(decision.remaining()));
        response.putHeader(RESET, Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            metrics.counter("gateway.ratelimit.rejected", "policy", policyName).increment();
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            problems.send(ctx, 429, "Too many requests; retry in " + decision.retryAfterSeconds() + " s");
        } else if (thenAllowed != null) {
            pauseAndRun(ctx, paused, thenAllowed);
        } else if (policyName.equals("websocket") && userId != null) {
            if (!paused) {
                ctx.request().pause();
            }
            admitSocket(ctx, userId);
        } else {
            proceed(ctx, paused);
        }
    }

    private static void proceed(RoutingContext ctx, boolean paused) {
        if (paused) {
            ctx.request().resume();
        }
        ctx.next();
    }

    /** The per-user cap on open sockets, answered before the upgrade. */
    private void admitSocket(RoutingContext ctx, String userId) {
        Context context = Vertx.currentContext();
        admission.admit(userId).subscribe().with(socket -> onRequestContext(context, () -> {
            if (socket == null) {
                metrics.counter("gateway.ratelimit.rejected", "policy", "websocket-open").increment();
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "30");
                problems.send(ctx, 429, "Too many open sockets for this user; close one first");
                return;
            }
            ctx.put(SOCKET_LEASE, socket);
            ctx.request().resume();
            ctx.next();
        }), ctx::fail);
    }

    /**
     * Answers arrive on whichever event loop Redis (or a coalesced call) answered on: the request
     * goes on on its own, so its upstream connection is taken from its own event loop's pool.
     */
    private static void onRequestContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    /** Decided on the canonical path, the very one forwarded: another spelling of a path is the same path. */
    private String policy(RoutingContext ctx, boolean authenticated) {
        String route = config.routes().get(RequestPath.of(ctx));
        if (route != null) {
            return route;
        }
        if (GatewayProxy.isUpgrade(ctx.request())) {
            return "websocket";
        }
        return authenticated ? "authenticated" : "anonymous";
    }
}
