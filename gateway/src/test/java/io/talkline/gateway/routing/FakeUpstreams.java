package io.talkline.gateway.routing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * Real HTTP servers standing in for the services, so the gateway's routing, failover and failure
 * answers are tested over real sockets: two healthy chat instances and one port where nothing
 * listens; an auth instance that never answers one path; a signaling instance that breaks the
 * connection; no media instance at all; an audit instance whose readiness says DOWN.
 */
public class FakeUpstreams implements QuarkusTestResourceLifecycleManager {

    static Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        config.put("gateway.services.chat.instances",
                url(serve("chat-a", true)) + "," + url(serve("chat-b", true)) + "," + url(freePort()));
        config.put("gateway.services.auth.instances", url(serve("auth", true)));
        config.put("gateway.services.signaling.instances", url(serve("signaling", true)));
        config.put("gateway.services.media.instances", url(freePort()));
        config.put("gateway.services.audit.instances", url(serve("audit", false)));
        config.put("gateway.upstream-timeout", "1s");
        config.put("gateway.health-interval", "200ms");
        return config;
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static int serve(String name, boolean ready) {
        HttpServer server = vertx.createHttpServer()
                .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage(name + ":" + text)))
                .requestHandler(request -> {
                    String path = request.path();
                    if (path.equals("/q/health/ready")) {
                        request.response().setStatusCode(ready ? 200 : 503)
                                .end("{\"status\":\"" + (ready ? "UP" : "DOWN") + "\"}");
                    } else if (path.endsWith("/slow")) {
                        // never answers: the gateway must give up with 504
                    } else if (path.endsWith("/broken")) {
                        request.connection().close();
                    } else {
                        long[] bytes = { 0 };
                        request.handler(buffer -> bytes[0] += buffer.length());
                        request.endHandler(v -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .putHeader("X-Request-Id", String.valueOf(request.getHeader("X-Request-Id")))
                                .end(new JsonObject().put("instance", name).put("method", request.method().name())
                                        .put("uri", request.uri()).put("bodyBytes", bytes[0])
                                        .put("requestId", request.getHeader("X-Request-Id")).encode()));
                    }
                });
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** A port that was free a moment ago and on which nothing listens. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
