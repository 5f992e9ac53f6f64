package io.talkline.gateway.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.talkline.gateway.routing.RequestPath;
import io.talkline.gateway.routing.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * http.server.requests per route, method and status for every response the gateway sends:
 * proxied, its own, and refusals (413, 429, 431, 503). It replaces Micrometer's HTTP server binder,
 * which matched every request's path against the route patterns with regexes (about 6 % of the
 * gateway's CPU under load, measured); here a route is a few prefix comparisons. Paths are folded
 * so ids never become series: {@code /api/rooms/*}, {@code /assets/*}, {@code NOT_FOUND}.
 */
@ApplicationScoped
public class RequestMetrics {

    /** Before everything that may answer (header limit -400, CORS -300, rate limit -250, proxy -210). */
    static final int ROUTE_ORDER = -500;

    private static final Set<HttpMethod> KNOWN_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

    /** The gateway's own operations endpoints, each a series of its own. */
    private static final Set<String> OPERATIONS = Set.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started", "/q/metrics", "/q/openapi");

    private record Series(String uri, String method, int status, String outcome) {
    }

    private final MeterRegistry registry;
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void routes(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::observe);
    }

    private void observe(RoutingContext ctx) {
        long started = System.nanoTime();
        ctx.addEndHandler(ended -> {
            int status = ctx.response().getStatusCode();
            String outcome = ended.succeeded() ? outcome(status) : "CLIENT_CLOSED";
            HttpMethod method = ctx.request().method();
            Series series = new Series(uri(RequestPath.of(ctx), status),
                    KNOWN_METHODS.contains(method) ? method.name() : "OTHER", status, outcome);
            timers.computeIfAbsent(series, this::timer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }

    /** The series a path belongs to: its route's template, or a fixed name for the gateway's own files. */
    static String uri(String path, int status) {
        Routes.Route route = Routes.of(path);
        if (route != null) {
            return route.template(path);
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (path.startsWith("/docs/openapi/")) {
            return "/docs/openapi/*";
        }
        if (path.startsWith("/assets/")) {
            return "/assets/*";
        }
        if (path.startsWith("/q/")) {
            // a fixed set: whatever else a client asks for under /q/ (any status) is one series
            return OPERATIONS.contains(path) ? path : "/q/*";
        }
        if (path.equals("/docs") || path.startsWith("/docs/")) {
            return "/docs/*";
        }
        return "/*"; // the web client and its client-side routes
    }

    private static String outcome(int status) {
        return switch (status / 100) {
            case 1 -> "INFORMATIONAL";
            case 2 -> "SUCCESS";
            case 3 -> "REDIRECTION";
            case 4 -> "CLIENT_ERROR";
            case 5 -> "SERVER_ERROR";
            default -> "UNKNOWN";
        };
    }

    private Timer timer(Series series) {
        return Timer.builder("http.server.requests").description("Requests the gateway answered, per route")
                .tags("uri", series.uri(), "method", series.method(), "status", Integer.toString(series.status()),
                        "outcome", series.outcome())
                .register(registry);
    }
}
