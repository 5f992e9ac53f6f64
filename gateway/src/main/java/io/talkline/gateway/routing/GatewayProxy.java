package io.talkline.gateway.routing;

import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.talkline.commons.problem.Problems;
import io.talkline.commons.realtime.Upgrades;
import io.talkline.commons.requestid.RequestIds;
import io.talkline.gateway.config.GatewayConfig;
import io.talkline.gateway.ratelimit.ClientAddress;
import io.talkline.gateway.ratelimit.RateLimitFilter;
import io.talkline.gateway.ratelimit.SocketAdmission;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Forwards each public route to its service, each request as an {@link Exchange} on the event
 * loop's own upstream client (ADR 0011); WebSocket upgrades become tunnels. Instances are taken
 * round-robin; a refused connection fails over to the next instance, and so does a request that is
 * safe to repeat when its instance breaks the exchange or answers 503 ({@link Exchange}). Failures are problem+json:
 * 503 when no instance answers, 504 when one is too slow, 502 when one breaks the exchange, 413
 * when a streamed body passes the route's limit.
 */
@ApplicationScoped
public class GatewayProxy {

    /**
     * After the request-id filter, CORS and rate limits; before Quarkus' own authentication and
     * authorization filters (priorities 200 and 100, i.e. orders -200 and -100): the services check
     * the tokens of proxied calls themselves, and a deferred identity set up per request cost the
     * gateway about a tenth of its CPU (measured). The gateway's own endpoints still pass them.
     */
    static final int ROUTE_ORDER = -210;

    private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
    private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
    private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
    private static final CharSequence X_FORWARDED_PORT = HttpHeaders.createOptimized("X-Forwarded-Port");
    private static final CharSequence FORWARDED = HttpHeaders.createOptimized("Forwarded");
    private static final CharSequence SEC_WEBSOCKET_VERSION = HttpHeaders.createOptimized("Sec-WebSocket-Version");
    private static final CharSequence SEC_WEBSOCKET_KEY = HttpHeaders.createOptimized("Sec-WebSocket-Key");

    private final Upstreams upstreams;
    private final Problems problems;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final AtomicInteger openTunnels = new AtomicInteger();
    private final SocketAdmission admission;
    private final ClientAddress clients;
    private final long connectTimeoutMillis;
    private final long upstreamTimeoutMillis;
    private final Map<String, UpstreamTimers> timers = new ConcurrentHashMap<>();

    /** Each event loop's upstream client (only that thread uses it). */
    private final Map<Thread, HttpClient> loopClients = new ConcurrentHashMap<>();

    public GatewayProxy(Upstreams upstreams, Problems problems, GatewayConfig config, Vertx vertx, MeterRegistry metrics,
            SocketAdmission admission, ClientAddress clients) {
        this.admission = admission;
        this.clients = clients;
        this.upstreams = upstreams;
        this.problems = problems;
        this.config = config;
        this.vertx = vertx;
        this.metrics = metrics;
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.upstreamTimeoutMillis = config.upstreamTimeout().toMillis();
        metrics.gauge("gateway.websocket.tunnels", openTunnels);
    }

    void routes(@Observes Router router) {
        // one route for all of them: a prefix comparison per route instead of a regex each
        router.route().order(ROUTE_ORDER).handler(ctx -> {
            Routes.Route route = Routes.of(RequestPath.of(ctx));
            if (route == null) {
                ctx.next();
            } else {
                forward(ctx, upstreams.pool(route.service()));
            }
        });
    }

    long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    long upstreamTimeoutMillis() {
        return upstreamTimeoutMillis;
    }

    /**
     * The calling event loop's upstream client, made on first use. Each event loop has a client (and
     * connection pool) of its own, so a request and its upstream connection live on one thread: with
     * one shared pool, a connection made by another loop costs a cross-thread hand-over and a
     * selector wake-up per request (a fifth of the gateway's CPU, measured).
     */
    private HttpClient client() {
        return loopClients.computeIfAbsent(Thread.currentThread(), thread -> vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) connectTimeoutMillis).setKeepAlive(true)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(100)));
    }

    private void forward(RoutingContext ctx, UpstreamPool pool) {
        HttpServerRequest request = ctx.request();
        long limit = bodyLimit(pool.service(), request.method());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > limit) {
            problems.send(ctx, 413, "The request body is larger than " + limit + " bytes allowed here");
            return;
        }
        String encoding = request.getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (encoding != null && !encoding.equalsIgnoreCase("chunked")) {
            problems.send(ctx, 400, "Transfer-Encoding " + encoding + " is not supported; send chunked or a Content-Length");
            return;
        }
        if (pool.instances().isEmpty()) {
            unavailable(ctx, pool.service());
            return;
        }
        boolean upgrade = isUpgrade(request);
        if (upgrade && !handshakeable(ctx, request)) {
            return;
        }
        request.pause(); // the body waits until an upstream connection exists
        // the services learn the client from us alone: whatever the client claimed is replaced, and
        // what it said of the original host, scheme and port only counts from a trusted proxy
        request.headers().set(X_FORWARDED_FOR, clients.of(ctx));
        if (!clients.fromTrustedProxy(ctx)) {
            request.headers().remove(X_FORWARDED_HOST).remove(X_FORWARDED_PROTO).remove(X_FORWARDED_PORT)
                    .remove(FORWARDED);
        }
        if (upgrade) {
            watchTunnel(ctx, request);
        }
        new Exchange(ctx, pool, client(), limit, this, upgrade, replayable(pool.service(), request)).start();
    }

    /**
     * A handshake a service would refuse with Vert.x' bare answer (RFC 6455 §4.2.1) is refused here,
     * as a problem: another version than 13 → 426 naming 13, no key → 400.
     */
    private boolean handshakeable(RoutingContext ctx, HttpServerRequest request) {
        if (!"13".equals(request.getHeader(SEC_WEBSOCKET_VERSION))) {
            ctx.response().putHeader(SEC_WEBSOCKET_VERSION, "13");
            problems.send(ctx, 426, "This server speaks WebSocket version 13 only");
            return false;
        }
        String key = request.getHeader(SEC_WEBSOCKET_KEY);
        if (key == null || key.isBlank()) {
            problems.send(ctx, 400, "A WebSocket handshake needs a Sec-WebSocket-Key");
            return false;
        }
        return true;
    }

    /** Counts the tunnel while it lives and gives its socket lease back when it closes. */
    private void watchTunnel(RoutingContext ctx, HttpServerRequest request) {
        String lease = ctx.get(RateLimitFilter.SOCKET_LEASE);
        Upgrades.settleOn101(ctx); // an open tunnel must not hold the gateway's stop up
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 101) {
                openTunnels.incrementAndGet();
                // the tunnel replaces the HTTP connection's handlers: watch the channel itself
                ((ConnectionBase) request.connection()).channel().closeFuture().addListener(closed -> {
                    openTunnels.decrementAndGet();
                    release(lease);
                });
            } else {
                release(lease); // the upgrade failed: no socket holds the lease
            }
        });
    }

    private void release(String lease) {
        if (lease != null) {
            admission.closed(lease);
        }
    }

    /**
     * Whether the request may be held whole and sent again to another instance: a body with a
     * Content-Length within the JSON limit (or none), never a media upload (it streams) nor an upgrade.
     */
    private static boolean replayable(String service, HttpServerRequest request) {
        if (service.equals("media") && request.method() == HttpMethod.POST) {
            return false;
        }
        if (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null) {
            return true; // checked against the limit already
        }
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            return request.isEnded();
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
    }

    /** Media uploads may be large (and stream through); everything else is JSON and small. */
    private long bodyLimit(String service, HttpMethod method) {
        boolean upload = service.equals("media") && method == HttpMethod.POST;
        return (upload ? config.limits().mediaBody() : config.limits().jsonBody()).asLongValue();
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a number: Vert.x' own check answers 400 before us
        }
    }

    private void unavailable(RoutingContext ctx, String service) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
        problems.send(ctx, 503, "The " + service + " service is unavailable; retry shortly");
    }

    /** Whether the request asks for a WebSocket: "websocket" among the Upgrade header's protocols. */
    public static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        if (upgrade == null) {
            return false;
        }
        if (upgrade.equalsIgnoreCase("websocket")) {
            return true; // the usual case: no list to split
        }
        for (String protocol : upgrade.split(",")) {
            if (protocol.trim().equalsIgnoreCase("websocket")) {
                return true;
            }
        }
        return false;
    }

    /** An upstream's response headers arrived. */
    void answered(String service, long started, int status) {
        timers(service).record(status, true, System.nanoTime() - started);
    }

    /** An exchange failed: a problem+json answer if nothing was sent yet, else a broken connection. */
    void failed(RoutingContext ctx, String service, long started, Throwable failure) {
        Failure answer = Failure.of(service, failure);
        timers(service).record(answer.status(), false, System.nanoTime() - started);
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            Log.debugf("the client left before %s answered: %s", service, failure);
            return;
        }
        // the path only: a query may carry an access token (?access_token= on socket upgrades)
        Log.warnf("%d for %s %s: %s requestId=%s", answer.status(), request.method(), RequestPath.of(ctx),
                withoutQueries(failure), request.getHeader(RequestIds.HEADER));
        if (response.headWritten()) {
            response.reset();
            return;
        }
        if (answer.status() == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "5");
        }
        problems.send(ctx, answer.status(), answer.detail());
        // what is left of the body is read and dropped, so the connection stays usable
        request.handler(null).fetch(Long.MAX_VALUE);
    }

    /** A failure as logged: Vert.x names the request URI in some messages, and a query may hold a token. */
    static String withoutQueries(Throwable failure) {
        String text = String.valueOf(failure);
        return text.indexOf('?') < 0 ? text : QUERY.matcher(text).replaceAll("?…");
    }

    private static final java.util.regex.Pattern QUERY = java.util.regex.Pattern.compile("\\?\\S*");

    private UpstreamTimers timers(String service) {
        return timers.computeIfAbsent(service, s -> new UpstreamTimers(s, metrics));
    }

    /** What a failed exchange is answered with. */
    private record Failure(int status, String detail) {

        static Failure of(String service, Throwable failure) {
            if (failure instanceof LimitedBody.TooLarge tooLarge) {
                return new Failure(413, "The request body is larger than the " + tooLarge.limit() + " bytes allowed here");
            }
            if (failure instanceof UpstreamUnavailable || failure instanceof ConnectException) {
                return new Failure(503, "The " + service + " service is unavailable; retry shortly");
            }
            if (failure instanceof TimeoutException) {
                return new Failure(504, "The " + service + " service did not answer in time");
            }
            return new Failure(502, "The " + service + " service failed to answer");
        }
    }
}
