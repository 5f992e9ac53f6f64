package io.talkline.gateway.ratelimit;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.talkline.commons.auth.BearerAuthMechanism;
import io.talkline.commons.auth.TokenVerifier;
import io.talkline.commons.auth.VerifiedToken;
import io.talkline.commons.problem.Problems;
import io.talkline.gateway.config.GatewayConfig;
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

    /** After CORS (a refused origin is not counted), before proxying. */
    static final int ROUTE_ORDER = -200;

    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final GatewayConfig.RateLimit config;
    private final Problems problems;
    private final MeterRegistry metrics;
    private final TokenVerifier verifier;
    private final SocketAdmission admission;

    /** Routing-context key of an admitted socket's lease; the proxy releases it when the tunnel closes. */
    public static final String SOCKET_LEASE = "socket-lease";

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
            router.routeWithRegex("^/(api/|ws/|\\.well-known/).*").order(ROUTE_ORDER).handler(this::handle);
        }
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();
        String bearer = BearerAuthMechanism.token(request);
        Uni<String> caller = bearer == null ? Uni.createFrom().nullItem()
                // an invalid token counts as anonymous here; the service answers it with 401
                : verifier.verify(bearer).map(VerifiedToken::userId).onFailure().recoverWithNull();
        caller.subscribe().with(userId -> limit(ctx, userId), ctx::fail);
    }

    private void limit(RoutingContext ctx, String userId) {
        HttpServerRequest request = ctx.request();
        String policyName = policy(request, userId != null);
        GatewayConfig.Policy policy = config.policies().get(policyName);
        if (policy == null) {
            request.resume();
            ctx.next();
            return;
        }
        // a route's own policy counts per route; a verified caller is counted as themself
        String scope = config.routes().containsKey(request.path()) ? request.path() : "";
        String who = userId != null && !policyName.equals("auth") ? "user:" + userId : clients.of(request);
        String key = config.keyPrefix() + ":" + policyName + ":" + scope + ":" + who;
        // a busy key is decided from this replica's lease at once, without a Redis round trip
        limiter.check(key, policy.limit(), policy.period()).subscribe()
                .with(decision -> decided(ctx, request, userId, policyName, decision), ctx::fail);
    }

    private void decided(RoutingContext ctx, HttpServerRequest request, String userId, String policyName,
            Decision decision) {
        HttpServerResponse response = ctx.response();
        response.putHeader("RateLimit-Limit", Integer.toString(decision.limit()));
        response.putHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
        response.putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            metrics.counter("gateway.ratelimit.rejected", "policy", policyName).increment();
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
            problems.send(ctx, 429, "Too many requests; retry in " + decision.retryAfterSeconds() + " s");
        } else if (policyName.equals("websocket") && userId != null) {
            admitSocket(ctx, userId);
        } else {
            request.resume();
            ctx.next();
        }
    }

    /** The per-user cap on open sockets, answered before the upgrade. */
    private void admitSocket(RoutingContext ctx, String userId) {
        admission.admit(userId).subscribe().with(socket -> {
            if (socket == null) {
                metrics.counter("gateway.ratelimit.rejected", "policy", "websocket-open").increment();
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "30");
                problems.send(ctx, 429, "Too many open sockets for this user; close one first");
                return;
            }
            ctx.put(SOCKET_LEASE, socket);
            ctx.request().resume();
            ctx.next();
        }, ctx::fail);
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
