package io.talkline.gateway.ratelimit;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
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

    public RateLimitFilter(RateLimiter limiter, ClientAddress clients, GatewayConfig config, Problems problems,
            MeterRegistry metrics) {
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
        String policyName = policy(request);
        GatewayConfig.Policy policy = config.policies().get(policyName);
        if (policy == null) {
            ctx.next();
            return;
        }
        // a route's own policy counts per route; until the token verifier exists, an authenticated
        // caller is keyed by address as well (an unverified "sub" would let anyone pick a key)
        String scope = config.routes().containsKey(request.path()) ? request.path() : "";
        String key = config.keyPrefix() + ":" + policyName + ":" + scope + ":" + clients.of(request);
        request.pause();
        limiter.check(key, policy.limit(), policy.period()).subscribe().with(decision -> {
            HttpServerResponse response = ctx.response();
            response.putHeader("RateLimit-Limit", Integer.toString(decision.limit()));
            response.putHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
            response.putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
            if (decision.allowed()) {
                request.resume();
                ctx.next();
            } else {
                metrics.counter("gateway.ratelimit.rejected", "policy", policyName).increment();
                response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
                problems.send(ctx, 429, "Too many requests; retry in " + decision.retryAfterSeconds() + " s");
            }
        }, ctx::fail);
    }

    private String policy(HttpServerRequest request) {
        for (Map.Entry<String, String> route : config.routes().entrySet()) {
            if (request.path().equals(route.getKey())) {
                return route.getValue();
            }
        }
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            return "websocket";
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? "authenticated" : "anonymous";
    }
}
