package io.talkline.gateway.security;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.quarkus.logging.Log;
import io.quarkus.vertx.http.HttpServerStart;
import io.talkline.commons.problem.Problem;
import io.talkline.commons.problem.Problems;
import io.talkline.commons.requestid.RequestIds;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;

/**
 * Requests the HTTP codec cannot parse (a Content-Length that is no number, a backslash in the
 * request target, a request line or head past the hard limits) never reach a route: Vert.x answers
 * them itself, with an empty body and none of our headers. Quarkus offers no way to set the HTTP
 * server's invalid-request handler, so it is put in place here, once the server listens, in each
 * server's connection handler (Vert.x 4.5 internals, ADR 0014). The answer is then a problem+json
 * document with the security headers and a request id, and the connection is closed, as the codec
 * cannot read past a broken request. Should the internals move, the gateway says so at start and
 * the codec's bare answers come back; the gateway's tests of these answers then fail.
 */
@ApplicationScoped
public class InvalidRequests {

    private final Problems problems;
    private final SecurityHeaders security;
    private final MeterRegistry metrics;
    private final Vertx vertx;

    public InvalidRequests(Problems problems, SecurityHeaders security, MeterRegistry metrics, Vertx vertx) {
        this.problems = problems;
        this.security = security;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    void install(@ObservesAsync HttpServerStart started) {
        install(25);
    }

    /**
     * The event may come before every server of the deployment (one per event loop) is registered
     * and listening: tried again, for a few seconds, until each one has the handler.
     */
    private void install(int triesLeft) {
        int installed = 0;
        int found;
        try {
            List<Verticle> verticles = webVerticles();
            found = verticles.size(); // each listens with a server of its own once it has started
            for (HttpServer server : servers(verticles)) {
                installed += install(server) ? 1 : 0;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("malformed requests keep Vert.x' bare answers: its internals changed (%s)", e.toString());
            return;
        }
        if ((installed == 0 || installed < found) && triesLeft > 0) {
            vertx.setTimer(200, id -> install(triesLeft - 1));
            return;
        }
        if (installed == 0) {
            Log.warn("malformed requests keep Vert.x' bare answers: no HTTP server found");
            return;
        }
        Log.infof("malformed requests are answered with problems on %d HTTP server(s)", installed);
    }

    /** The answer to a request the codec could not parse. */
    void answer(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        Throwable cause = result == null ? null : result.cause();
        int status = 400;
        String detail = "The request is not well-formed HTTP";
        if (cause instanceof TooLongFrameException tooLong && tooLong.getMessage() != null) {
            if (tooLong.getMessage().startsWith("An HTTP line is larger than")) {
                status = 414;
                detail = "The request line is too long";
            } else if (tooLong.getMessage().startsWith("HTTP header is larger than")) {
                status = 431;
                detail = "The request headers are too large";
            }
        }
        Log.debugf("malformed request answered %d: %s", status, cause);
        metrics.counter("gateway.requests.malformed", "status", Integer.toString(status)).increment();
        String requestId = RequestIds.generate();
        HttpServerResponse response = request.response();
        response.setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId).putHeader("Connection", "close");
        security.apply(response.headers(), false);
        response.end(problems.toJson(Problems.of(status, detail, null, requestId)))
                .onComplete(done -> request.connection().close());
    }

    /** Quarkus' HTTP verticles, one per event loop. */
    private List<Verticle> webVerticles() {
        List<Verticle> verticles = new ArrayList<>();
        VertxInternal internal = (VertxInternal) vertx;
        for (String id : internal.deploymentIDs()) {
            Deployment deployment = internal.getDeployment(id);
            if (deployment == null) {
                continue;
            }
            for (Verticle verticle : deployment.getVerticles()) {
                if (verticle.getClass().getName().endsWith("WebDeploymentVerticle")) {
                    verticles.add(verticle);
                }
            }
        }
        return verticles;
    }

    private static List<HttpServer> servers(List<Verticle> verticles) throws ReflectiveOperationException {
        List<HttpServer> servers = new ArrayList<>();
        for (Verticle verticle : verticles) {
            for (String name : List.of("httpServer", "httpsServer")) {
                Object server = field(verticle.getClass(), name).get(verticle);
                if (server instanceof HttpServer http) {
                    servers.add(http);
                }
            }
        }
        return servers;
    }

    /** server.childHandler (its HttpServerWorker) → connectionHandler → invalidRequestHandler. */
    private boolean install(HttpServer server) throws ReflectiveOperationException {
        Object worker = field(server.getClass(), "childHandler").get(server);
        if (worker == null) {
            return false; // not listening
        }
        Object connections = field(worker.getClass(), "connectionHandler").get(worker);
        Field invalid = field(connections.getClass(), "invalidRequestHandler");
        Handler<HttpServerRequest> handler = this::answer;
        invalid.set(connections, handler);
        return true;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
