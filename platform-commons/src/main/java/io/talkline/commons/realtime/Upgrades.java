package io.talkline.commons.realtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.ext.web.RoutingContext;

/**
 * A WebSocket upgrade counts as an HTTP request in flight for Quarkus' graceful shutdown until its
 * response ends, and an upgraded connection's response never ends: every stop waited the whole
 * {@code quarkus.shutdown.timeout} once a socket had been served. An upgrade is not a request to
 * wait for: the socket it becomes has its own drain ({@link Draining}, close 1012).
 */
public final class Upgrades {

    /** QuarkusRequestWrapper.done(): idempotent, package-private (no public way to end the count). */
    private static final MethodHandle DONE = done();

    private Upgrades() {
    }

    /** Counts the request done for graceful shutdown as soon as it is answered 101. */
    public static void settleOn101(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 101) {
                settle(ctx);
            }
        });
    }

    /**
     * Counts an upgrade request done for graceful shutdown now: for a server whose WebSocket
     * library writes the 101 itself, past the router's response (websockets-next).
     */
    public static void settle(RoutingContext ctx) {
        if (DONE == null) {
            return;
        }
        try {
            DONE.invoke(QuarkusRequestWrapper.get(ctx.request()));
        } catch (Throwable e) {
            Log.debugf("an upgraded request stays counted until shutdown times out: %s", e);
        }
    }

    private static MethodHandle done() {
        try {
            var method = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another Quarkus version: stops then wait for quarkus.shutdown.timeout, as they did before
            Log.warnf("WebSocket upgrades will hold up graceful shutdown until its timeout: %s", e);
            return null;
        }
    }
}
