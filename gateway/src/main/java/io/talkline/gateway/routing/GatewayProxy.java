package io.talkline.gateway.routing;

import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.talkline.commons.problem.Problem;
import io.talkline.commons.problem.Problems;
import io.talkline.commons.requestid.RequestIds;
import io.talkline.gateway.config.GatewayConfig;
import io.talkline.gateway.ratelimit.ClientAddress;
import io.talkline.gateway.ratelimit.RateLimitFilter;
import io.talkline.gateway.ratelimit.SocketAdmission;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;

/**
 * Forwards each public route to its service with vertx-http-proxy: bodies stream through, WebSocket
 * upgrades become tunnels. Instances are taken round-robin; a refused connection fails over to the
 * next instance. Failures are problem+json: 503 when no instance answers, 504 when one is too slow,
 * 502 when one breaks the exchange.
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

    private final Upstreams upstreams;
    private final Problems problems;
    private final GatewayConfig config;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final AtomicInteger openTunnels = new AtomicInteger();

    /** An event loop's upstream client and its proxy per route (only that thread touches them). */
    private record PerLoop(HttpClient client, HttpProxy[] proxies) {
    }

    private final java.util.Map<Thread, PerLoop> perLoop = new java.util.concurrent.ConcurrentHashMap<>();

    private final SocketAdmission admission;
    private final ClientAddress clients;

    public GatewayProxy(Upstreams upstreams, Problems problems, GatewayConfig config, Vertx vertx, MeterRegistry metrics,
            SocketAdmission admission, ClientAddress clients) {
        this.admission = admission;
        this.clients = clients;
        this.upstreams = upstreams;
        this.problems = problems;
        this.config = config;
        this.vertx = vertx;
        this.metrics = metrics;
        metrics.gauge("gateway.websocket.tunnels", openTunnels);
    }

    void routes(@Observes Router router) {
        List<Routes.Route> routes = Routes.ALL;
        for (int i = 0; i < routes.size(); i++) {
            Routes.Route route = routes.get(i);
            int index = i;
            UpstreamPool pool = upstreams.pool(route.service());
            FailureAsProblem failures = new FailureAsProblem(route.service());
            router.routeWithRegex(route.regex()).order(ROUTE_ORDER)
                    .handler(ctx -> forward(ctx, route, pool, proxyOf(index, routes, failures)));
        }
    }

    /**
     * The proxies of the calling event loop, made on first use. Each event loop has an upstream
     * client (and connection pool) of its own, so a request and its upstream connection live on
     * one thread: with one shared pool, a connection made by another loop costs a cross-thread
     * hand-over and a selector wake-up per request (a fifth of the gateway's CPU, measured).
     */
    private HttpProxy proxyOf(int index, List<Routes.Route> routes, FailureAsProblem failures) {
        PerLoop mine = perLoop.computeIfAbsent(Thread.currentThread(), thread -> new PerLoop(vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(100)), new HttpProxy[routes.size()]));
        if (mine.proxies()[index] == null) {
            UpstreamPool pool = upstreams.pool(routes.get(index).service());
            mine.proxies()[index] = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), mine.client())
                    .origin(context -> connect(context, pool)).addInterceptor(failures);
        }
        return mine.proxies()[index];
    }

    private void forward(RoutingContext ctx, Routes.Route route, UpstreamPool pool, HttpProxy proxy) {
        HttpServerRequest request = ctx.request();
        long limit = bodyLimit(route.service(), request.method());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > limit) {
            problems.send(ctx, 413, "The request body is larger than " + limit + " bytes allowed here");
            return;
        }
        if (!pool.anyHealthy()) {
            unavailable(ctx, pool.service());
            return;
        }
        request.pause(); // the body waits until an upstream connection exists
        // the services learn the client from us alone: whatever the client claimed is replaced
        request.headers().set("X-Forwarded-For", clients.of(ctx));
        if (isUpgrade(request)) {
            String lease = ctx.get(RateLimitFilter.SOCKET_LEASE);
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
        proxy.handle(request);
    }

    private void release(String lease) {
        if (lease != null) {
            admission.closed(lease);
        }
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
            return Long.MAX_VALUE; // not a number: the proxy's own check answers 400
        }
    }

    private void unavailable(RoutingContext ctx, String service) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "5");
        problems.send(ctx, 503, "The " + service + " service is unavailable; retry shortly");
    }

    /** Connects to the next healthy instance, failing over on a refused or timed-out connect. */
    private Future<HttpClientRequest> connect(ProxyContext context, UpstreamPool pool) {
        boolean tunnel = isUpgrade(context.request().proxiedRequest());
        return attempt(context, pool.candidates(), 0, tunnel, null, pool.service());
    }

    private Future<HttpClientRequest> attempt(ProxyContext context, List<Upstream> candidates, int index, boolean tunnel,
            Throwable last, String service) {
        if (index >= candidates.size()) {
            return Future.failedFuture(new UpstreamUnavailable(service, last));
        }
        Upstream upstream = candidates.get(index);
        RequestOptions options = new RequestOptions().setServer(upstream.address())
                .setConnectTimeout(config.connectTimeout().toMillis());
        if (!tunnel) {
            options.setIdleTimeout(config.upstreamTimeout().toMillis());
        }
        return context.client().request(options).recover(failure -> {
            upstream.healthy(false);
            Log.warnf("upstream %s unreachable (%s), failing over requestId=%s", upstream, failure.getMessage(),
                    context.request().headers().get(RequestIds.HEADER));
            return attempt(context, candidates, index + 1, tunnel, failure, service);
        });
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** Turns a failed exchange into a problem+json answer instead of the library's empty 502. */
    private final class FailureAsProblem implements ProxyInterceptor {

        private final String service;
        private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

        FailureAsProblem(String service) {
            this.service = service;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            LimitedBody limited = null;
            Body body = context.request().getBody();
            long limit = bodyLimit(service, context.request().getMethod());
            if (body != null && body.length() < 0) {
                // no Content-Length (chunked): count as it streams
                limited = new LimitedBody(body.stream(), limit);
                context.request().setBody(Body.body(limited));
            }
            LimitedBody counted = limited;
            long started = System.nanoTime();
            return context.sendRequest()
                    .onSuccess(response -> record(started, response.getStatusCode(), "answered"))
                    .recover(failure -> {
                        ProxyResponse problem = problem(context, counted != null && counted.exceeded()
                                ? new LimitedBody.TooLarge(limit)
                                : failure);
                        record(started, problem.getStatusCode(), "failed");
                        return Future.succeededFuture(problem);
                    });
        }

        private void record(long started, int status, String outcome) {
            // looked up once per status and outcome: building and registering a meter per request costs CPU
            timers.computeIfAbsent(status + outcome, k -> Timer.builder("gateway.upstream.latency")
                    .description("Time until the upstream's response headers")
                    .tags("service", service, "status", Integer.toString(status), "outcome", outcome)
                    .publishPercentileHistogram().register(metrics))
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }

        private ProxyResponse problem(ProxyContext context, Throwable failure) {
            int status;
            String detail;
            if (failure instanceof LimitedBody.TooLarge tooLarge) {
                status = 413;
                detail = "The request body is larger than the " + tooLarge.limit() + " bytes allowed here";
            } else if (failure instanceof UpstreamUnavailable || failure instanceof ConnectException) {
                status = 503;
                detail = "The " + service + " service is unavailable; retry shortly";
            } else if (failure instanceof TimeoutException) {
                status = 504;
                detail = "The " + service + " service did not answer in time";
            } else {
                status = 502;
                detail = "The " + service + " service failed to answer";
            }
            String requestId = context.request().headers().get(RequestIds.HEADER);
            Log.warnf("%d for %s %s: %s requestId=%s", status, context.request().getMethod(), context.request().getURI(),
                    failure.toString(), requestId);
            String body = problems.toJson(Problems.of(status, detail, context.request().proxiedRequest().path(), requestId));
            ProxyResponse response = context.request().release().response().setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .setBody(Body.body(Buffer.buffer(body)));
            if (status == 503) {
                response.putHeader(HttpHeaders.RETRY_AFTER, "5");
            }
            return response;
        }
    }
}
