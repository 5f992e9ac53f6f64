package io.talkline.gateway.security;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.talkline.commons.problem.ProblemHeaders;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser-hardening headers on every response the gateway sends — its own, the services'
 * proxied ones, errors, 429s — set just before the headers leave, so nothing downstream can drop
 * them. Server banners of upstreams are removed.
 */
@ApplicationScoped
public class SecurityHeaders implements ProblemHeaders {

    /** Right after the request-id filter. */
    static final int PRIORITY = 9_000;

    /** Swagger UI ships an inline bootstrap script and styles: /docs alone gets them. */
    static final String DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    private static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence SERVER = HttpHeaders.createOptimized("Server");
    private static final CharSequence POWERED_BY = HttpHeaders.createOptimized("X-Powered-By");

    /** Names and values made once (they go on every response): Vert.x hashes and checks a String each time. */
    private final List<Header> fixed;
    private final CharSequence apiCsp;
    private final CharSequence docsCsp = HttpHeaders.createOptimized(DOCS_CSP);

    public SecurityHeaders(GatewayConfig config) {
        GatewayConfig.Security security = config.security();
        this.apiCsp = HttpHeaders.createOptimized(withMediaOrigins(security.contentSecurityPolicy(),
                security.mediaOrigins().orElse(List.of())));
        List<Header> headers = new ArrayList<>(List.of(
                header("X-Content-Type-Options", "nosniff"),
                header("Referrer-Policy", "no-referrer"),
                header("Permissions-Policy",
                        "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()"),
                header("Cross-Origin-Opener-Policy", "same-origin"),
                header("Cross-Origin-Resource-Policy", "same-origin"),
                header("X-Frame-Options", "DENY")));
        if (security.hsts()) {
            headers.add(header("Strict-Transport-Security",
                    "max-age=" + security.hstsMaxAge().toSeconds() + "; includeSubDomains"));
        }
        this.fixed = List.copyOf(headers);
    }

    private record Header(CharSequence name, CharSequence value) {
    }

    /** The policy with the media origins added to its img-src and media-src directives. */
    static String withMediaOrigins(String policy, List<String> origins) {
        if (origins.isEmpty()) {
            return policy;
        }
        String extra = " " + String.join(" ", origins);
        StringBuilder result = new StringBuilder();
        for (String directive : policy.split(";")) {
            String trimmed = directive.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            boolean media = trimmed.startsWith("img-src") || trimmed.startsWith("media-src");
            result.append(result.isEmpty() ? "" : "; ").append(trimmed).append(media ? extra : "");
        }
        return result.toString();
    }

    private static Header header(String name, String value) {
        return new Header(HttpHeaders.createOptimized(name), HttpHeaders.createOptimized(value));
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext ctx) {
        boolean docs = ctx.request().path().startsWith("/docs");
        ctx.addHeadersEndHandler(v -> apply(ctx.response().headers(), docs));
        ctx.next();
    }

    /** A problem sent before this filter ran (the router refused the request on arrival). */
    @Override
    public void apply(MultiMap headers) {
        apply(headers, false);
    }

    /** The headers of every answer; also used where no routing context exists (malformed requests). */
    void apply(MultiMap headers, boolean docs) {
        headers.set(CSP, docs ? docsCsp : apiCsp);
        for (Header header : fixed) {
            headers.set(header.name(), header.value());
        }
        headers.remove(SERVER);
        headers.remove(POWERED_BY);
    }
}
