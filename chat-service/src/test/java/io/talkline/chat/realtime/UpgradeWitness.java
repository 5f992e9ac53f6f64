package io.talkline.chat.realtime;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Test only: remembers, weakly, the routing context of every /ws/chat upgrade, so that a test can
 * tell whether an open socket still keeps its upgrade's context alive.
 */
@ApplicationScoped
public class UpgradeWitness {

    static final List<WeakReference<RoutingContext>> UPGRADES = new CopyOnWriteArrayList<>();

    void register(@Observes Router router) {
        // before SocketSignIn's gate (-1), after the security filters
        router.route(ChatSocket.PATH).order(-2).handler(ctx -> {
            UPGRADES.add(new WeakReference<>(ctx));
            ctx.next();
        });
    }
}
