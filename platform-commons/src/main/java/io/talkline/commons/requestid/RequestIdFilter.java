package io.talkline.commons.requestid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.talkline.commons.realtime.LogSafe;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every HTTP request and WebSocket upgrade: fixes the request id, makes it the
 * request's own header (so resources, mappers and a proxy see one canonical value), echoes it,
 * puts it in the logging MDC and writes one access line per request (category {@value #ACCESS}, or
 * {@value #FAILED_ACCESS} for a 4xx or 5xx answer).
 */
@ApplicationScoped
public class RequestIdFilter {

    /** The access line of each request; those answered 4xx/5xx under a category of their own. */
    public static final String ACCESS = "io.talkline.access";
    /** Log shipping sends these to the audit trail's logs, so a failed request can be followed across services. */
    public static final String FAILED_ACCESS = ACCESS + ".failed";
    private static final Logger ANSWERED = Logger.getLogger(ACCESS);
    private static final Logger FAILED = Logger.getLogger(FAILED_ACCESS);

    /** Runs before every other filter (CORS, auth, proxying). */
    static final int PRIORITY = 10_000;

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String id = RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
        request.headers().set(RequestIds.HEADER, id);
        ctx.response().headers().set(RequestIds.HEADER, id);
        // exactly one value on the way out, even when a proxied upstream echoed it as well
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set(RequestIds.HEADER, id));
        ctx.put(RequestIds.MDC_KEY, id);
        MDC.put(RequestIds.MDC_KEY, id);

        long started = System.nanoTime();
        String method = request.method().name();
        String path = LogSafe.of(request.path()); // raw bytes of the client's: NUL, NEL, line breaks
        if (isUpgrade(request)) {
            // an upgraded request never "ends" as HTTP: log it when it arrives
            Log.infof("%s %s websocket upgrade", method, path);
        } else {
            ctx.addEndHandler(done -> {
                int status = ctx.response().getStatusCode();
                (status >= 400 ? FAILED : ANSWERED).infof("%s %s %d %.1fms", method, path, status,
                        (System.nanoTime() - started) / 1e6);
            });
        }
        ctx.next();
    }

    private static boolean isUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }
}
