package io.talkline.gateway.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web client's files at {@code /}: content-hashed assets are cached for a year, everything
 * else (index.html first) is revalidated on every load so a deploy is seen at once. A path without
 * a file extension that is not a file gets index.html (client-side routes).
 */
@ApplicationScoped
public class WebClient {

    /** Built assets carry their content hash: app-3f9a1c2b.js, style.8e41d0a7.css. */
    static final Pattern HASHED = Pattern.compile(".*[.-][0-9a-zA-Z_]{8,}\\.[a-z0-9]+$");
    /** After the proxied routes, before the REST catch-all (which would answer 404 for every file). */
    static final int ROUTE_ORDER = -50;

    private final GatewayConfig config;

    public WebClient(GatewayConfig config) {
        this.config = config;
    }

    void routes(@Observes Router router) {
        Path root = config.web().root().toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            Log.infof("no web client at %s: / answers 404 until one is built there", root);
            return;
        }
        StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, root.toString())
                .setCachingEnabled(false)
                .setDirectoryListing(false)
                .setIncludeHidden(false)
                .setIndexPage("index.html");
        router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).order(ROUTE_ORDER).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path.startsWith("/api/") || path.startsWith("/ws/") || path.startsWith("/q/") || path.startsWith("/docs")
                    || path.startsWith("/.well-known/")) {
                ctx.next();
                return;
            }
            ctx.addHeadersEndHandler(v -> cacheControl(ctx, path));
            if (!path.endsWith("/") && !path.substring(path.lastIndexOf('/')).contains(".")
                    && !Files.isRegularFile(root.resolve(path.substring(1)).normalize())) {
                ctx.reroute("/index.html"); // a client-side route
                return;
            }
            files.handle(ctx);
        });
    }

    private static void cacheControl(RoutingContext ctx, String path) {
        if (ctx.response().getStatusCode() != 200 && ctx.response().getStatusCode() != 304) {
            return;
        }
        boolean hashed = HASHED.matcher(path).matches();
        ctx.response().headers().set(HttpHeaders.CACHE_CONTROL,
                hashed ? "public, max-age=31536000, immutable" : "no-cache");
    }
}
