package io.talkline.gateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser-hardening headers on every response the gateway sends — its own, the services'
 * proxied ones, errors, 429s — set just before the headers leave, so nothing downstream can drop
 * them. Server banners of upstreams are removed.
 */
@ApplicationScoped
public class SecurityHeaders {

    /** Right after the request-id filter. */
    static final int PRIORITY = 9_000;

    /** Swagger UI ships an inline bootstrap script and styles: /docs alone gets them. */
    static final String DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    private final GatewayConfig.Security config;

    public SecurityHeaders(GatewayConfig config) {
        this.config = config.security();
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext ctx) {
        boolean docs = ctx.request().path().startsWith("/docs");
        ctx.addHeadersEndHandler(v -> apply(ctx.response().headers(), docs));
        ctx.next();
    }

    private void apply(MultiMap headers, boolean docs) {
        headers.set("Content-Security-Policy", docs ? DOCS_CSP : config.contentSecurityPolicy());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Permissions-Policy",
                "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
        headers.set("X-Frame-Options", "DENY");
        if (config.hsts()) {
            headers.set("Strict-Transport-Security", "max-age=" + config.hstsMaxAge().toSeconds() + "; includeSubDomains");
        }
        headers.remove("Server");
        headers.remove("X-Powered-By");
    }
}
