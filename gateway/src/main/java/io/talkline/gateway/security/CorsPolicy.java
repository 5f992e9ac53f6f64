package io.talkline.gateway.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;

/**
 * Vert.x' CORS handler over the configured allow-list. It also sees WebSocket upgrades (a GET with
 * an Origin), so a page from a foreign origin cannot open a socket either. A foreign origin gets a
 * 403 problem and no CORS header.
 */
@ApplicationScoped
public class CorsPolicy {

    /** After the filters, before rate limiting and proxying. */
    public static final int ROUTE_ORDER = -300;

    private final GatewayConfig.Cors config;

    public CorsPolicy(GatewayConfig config) {
        this.config = config.cors();
    }

    void routes(@Observes Router router) {
        Set<HttpMethod> methods = new HashSet<>();
        config.methods().forEach(m -> methods.add(HttpMethod.valueOf(m.trim())));
        CorsHandler cors = CorsHandler.create()
                .addOrigins(config.origins().stream().map(String::trim).toList())
                .allowedMethods(methods)
                .allowedHeaders(new HashSet<>(config.headers()))
                .exposedHeaders(new HashSet<>(config.exposedHeaders()))
                .allowCredentials(config.credentials())
                .maxAgeSeconds((int) config.maxAge().toSeconds());
        router.route().order(ROUTE_ORDER).handler(cors);
    }
}
