package io.talkline.gateway.ratelimit;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.Problems;
import io.talkline.gateway.config.GatewayConfig;
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
    }

    void routes(@Observes Router router) {
        if (config.enabled()) {
            router.route().order(ROUTE_ORDER).handler(ctx -> {
                String path = ctx.normalizedPath();
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
        VerifiedToken known = bearer == null ? null : verifier.verifiedNow(bearer);
        if (bearer == null || known != null) {
            limit(ctx, known == null ? null : known.userId(), false);
            return;
        }
        ctx.request().pause(); // the body waits for the verdict
        // an invalid token counts as anonymous here; the service answers it with 401
        Context context = Vertx.currentContext();
        verifier.verify(bearer).map(VerifiedToken::userId).onFailure().recoverWithNull().subscribe()
                .with(userId -> onRequestContext(context, () -> limit(ctx, userId, true)), ctx::fail);
    }

    /**
     * Decides on the spot when this replica holds a lease of the key (the common case for a busy
     * caller), else asks Redis; {@code paused} says whether the request waits for an answer.
     */
    private void limit(RoutingContext ctx, String userId, boolean paused) {
        HttpServerRequest request = ctx.request();
        String policyName = policy(request, userId != null);
        GatewayConfig.Policy policy = config.policies().get(policyName);
        if (policy == null) {
            proceed(ctx, paused);
            return;
        }
        // a route's own policy counts per route; a verified caller is counted as themself
        String scope = config.routes().containsKey(request.path()) ? request.path() : "";
        String who = userId != null && !policyName.equals("auth") ? "user:" + userId : clients.of(ctx);
        String key = config.keyPrefix() + ":" + policyName + ":" + scope + ":" + who;
        Decision now = limiter.decideNow(key, policy.limit());
        if (now != null) {
            decided(ctx, userId, policyName, now, paused);
            return;
        }
        if (!paused) {
            request.pause();
        }
        Context context = Vertx.currentContext();
        limiter.ask(key, policy.limit(), policy.period()).subscribe().with(
                decision -> onRequestContext(context, () -> decided(ctx, userId, policyName, decision, true)), ctx::fail);
    }

    private void decided(RoutingContext ctx, String userId, String policyName, Decision decision, boolean paused) {
        HttpServerResponse response = ctx.response();
        response.putHeader(LIMIT, Integer.toString(decision.limit()));
        response.putHeader(REMAINING, Long.toString(decision.remaining()));
        response.putHeader(RESET, Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            metrics.counter("gateway.ratelimit.rejected", "policy", policyName).increment();
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            problems.send(ctx, 429, "Too many requests; retry in " + decision.retryAfterSeconds() + " s");
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

    private String policy(HttpServerRequest request, boolean authenticated) {
        for (Map.Entry<String, String> route : config.routes().entrySet()) {
            if (request.path().equals(route.getKey())) {
                return route.getValue();
            }
        }
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            return "websocket";
        }
        return authenticated ? "authenticated" : "anonymous";
    }
}
