package io.talkline.gateway.routing;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.talkline.commons.problem.Problems;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The one form of a request's path that the gateway decides on (routes, rate-limit policies,
 * metrics) and forwards: percent-encoded unreserved characters decoded and dot segments removed
 * (Vert.x' normalised path), repeated slashes collapsed and a trailing slash dropped. A service
 * therefore sees exactly the path the policy was chosen for: {@code /api/auth/logi%6E} and
 * {@code /api/auth/./login/} are {@code /api/auth/login} everywhere. Paths whose meaning could still
 * differ between the gateway and a service (matrix parameters, encoded slashes or backslashes) are
 * refused with 400.
 */
@ApplicationScoped
public class RequestPath {

    /** After the request-head limit (-400), before CORS (-300) and everything that routes. */
    static final int ROUTE_ORDER = -350;

    private static final String KEY = "canonical-path";

    private final Problems problems;

    public RequestPath(Problems problems) {
        this.problems = problems;
    }

    void routes(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String refusal = refusal(ctx.request().path());
        if (refusal == null && !parses(ctx.request().uri())) {
            refusal = "The request target is not a valid URI";
        }
        if (refusal != null) {
            problems.send(ctx, 400, refusal);
            return;
        }
        ctx.put(KEY, canonical(ctx.normalizedPath()));
        ctx.next();
    }

    /** The canonical path of a request (its normalised path until this filter has run). */
    public static String of(RoutingContext ctx) {
        String known = ctx.get(KEY);
        return known != null ? known : canonical(ctx.normalizedPath());
    }

    /** What the path would mean to a service and not to the gateway, or null. */
    static String refusal(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            return "The request path must start with '/'";
        }
        if (raw.indexOf(';') >= 0) {
            return "Path parameters (';') are not accepted";
        }
        if (raw.indexOf('\\') >= 0 || containsIgnoreCase(raw, "%5c") || containsIgnoreCase(raw, "%2f")
                || containsIgnoreCase(raw, "%00")) {
            return "Encoded slashes, backslashes and NUL are not accepted in the path";
        }
        return null;
    }

    /** What Quarkus' own check would have refused with a bare 400 (GatewayMain turns that check off). */
    private static boolean parses(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static String canonical(String normalized) {
        if (normalized == null || normalized.isEmpty()) {
            return "/";
        }
        if (normalized.indexOf("//") < 0 && (normalized.length() == 1 || !normalized.endsWith("/"))) {
            return normalized; // the common case: nothing to change, nothing allocated
        }
        StringBuilder path = new StringBuilder(normalized.length());
        for (int i = 0; i < normalized.length(); i++) {
            char c = normalized.charAt(i);
            if (c != '/' || path.isEmpty() || path.charAt(path.length() - 1) != '/') {
                path.append(c);
            }
        }
        if (path.length() > 1 && path.charAt(path.length() - 1) == '/') {
            path.setLength(path.length() - 1);
        }
        return path.toString();
    }

    private static boolean containsIgnoreCase(String text, String part) {
        for (int i = text.indexOf('%'); i >= 0 && i + part.length() <= text.length(); i = text.indexOf('%', i + 1)) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }
}
