package io.talkline.chat.realtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.talkline.commons.problem.Problems;
import io.vertx.ext.web.Router;

/**
 * SIGTERM: readiness goes down (quarkus.shutdown.delay), every socket is closed with 1012 so its
 * client reconnects to another instance, new upgrades are refused with 503, and REST requests in
 * flight finish (quarkus.shutdown.timeout).
 */
@ApplicationScoped
public class Draining {

    private final Sockets sockets;
    private final Problems problems;

    public Draining(Sockets sockets, Problems problems) {
        this.sockets = sockets;
        this.problems = problems;
    }

    void delayStarted(@Observes ShutdownDelayInitiatedEvent event) {
        sockets.drain();
    }

    /** Without a shutdown delay configured, the sockets go when the application stops. */
    void stopping(@Observes ShutdownEvent event) {
        sockets.drain();
    }

    void refuseUpgrades(@Observes Router router) {
        router.route("/ws/*").order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (!sockets.draining()) {
                ctx.next();
                return;
            }
            ctx.response().putHeader("Retry-After", "1");
            problems.send(ctx, 503, "This instance is stopping; connect again");
        });
    }
}
