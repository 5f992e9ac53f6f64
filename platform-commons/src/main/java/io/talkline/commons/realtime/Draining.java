package io.talkline.commons.realtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.talkline.commons.problem.Problems;
import io.vertx.ext.web.Router;

/**
 * SIGTERM in a service with sockets (a {@link Drainable} bean): readiness goes down
 * (quarkus.shutdown.delay), every socket is closed with 1012 so its client reconnects to another
 * instance, new upgrades are refused with 503, and REST requests in flight finish
 * (quarkus.shutdown.timeout). Services without sockets have no Drainable and nothing happens.
 */
@ApplicationScoped
public class Draining {

    private final Instance<Drainable> sockets;
    private final Problems problems;

    public Draining(Instance<Drainable> sockets, Problems problems) {
        this.sockets = sockets;
        this.problems = problems;
    }

    void delayStarted(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Without a shutdown delay configured, the sockets go when the application stops. */
    void stopping(@Observes ShutdownEvent event) {
        drain();
    }

    private void drain() {
        if (sockets.isResolvable()) {
            sockets.get().drain();
        }
    }

    void refuseUpgrades(@Observes Router router) {
        if (!sockets.isResolvable()) {
            return;
        }
        Drainable drainable = sockets.get();
        router.route("/ws/*").order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (!drainable.draining()) {
                if (ctx.request().getHeader("Upgrade") != null) {
                    Upgrades.settle(ctx); // a served socket must not hold the stop up
                }
                ctx.next();
                return;
            }
            ctx.response().putHeader("Retry-After", "1");
            problems.send(ctx, 503, "This instance is stopping; connect again");
        });
    }
}
