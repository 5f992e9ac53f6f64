package io.talkline.gateway.routing;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.talkline.commons.problem.Problems;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Oversized request heads get a 431 problem (an oversized request target a 414) with the usual
 * security headers, before anything else looks at them. Vert.x' own, higher limits
 * (quarkus.http.limits.max-header-size, max-initial-line-length) stay as the hard stop that keeps a
 * client from making it buffer without end; what passes them but is malformed HTTP is answered by
 * {@link InvalidRequests}.
 */
@ApplicationScoped
public class HeaderLimit {

    static final int ROUTE_ORDER = -400;

    private final long limit;
    private final long uriLimit;
    private final Problems problems;

    public HeaderLimit(GatewayConfig config, Problems problems) {
        this.limit = config.limits().headers().asLongValue();
        this.uriLimit = config.limits().uri().asLongValue();
        this.problems = problems;
    }

    void routes(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > uriLimit) {
            problems.send(ctx, 414, "The request target is longer than " + uriLimit + " characters");
            return;
        }
        // as on the wire: "METHOD uri HTTP/1.1\r\n", then "name: value\r\n" per header
        long size = request.method().name().length() + request.uri().length() + 11;
        for (Map.Entry<String, String> header : request.headers()) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        if (size > limit) {
            problems.send(ctx, 431, "The request line and headers exceed " + limit + " bytes");
            return;
        }
        ctx.next();
    }
}
