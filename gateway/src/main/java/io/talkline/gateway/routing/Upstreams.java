package io.talkline.gateway.routing;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.talkline.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * Every service's instances and their health: each instance's /q/health/ready is polled. A refused
 * connection or a not-ready answer takes an instance out of rotation at once until the probe sees
 * it ready again; probes that go unanswered take it out only after {@code gateway.health-failures}
 * in a row, since a live instance on a busy box may answer late (and one taken out wrongly is the
 * last live one more often than not).
 */
@ApplicationScoped
public class Upstreams {

    private final Map<String, UpstreamPool> pools = new LinkedHashMap<>();
    private final GatewayConfig config;
    private final Vertx vertx;
    private HttpClient probeClient;
    private long timerId = -1;

    public Upstreams(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        for (String service : Routes.ALL.stream().map(Routes.Route::service).distinct().toList()) {
            GatewayConfig.Service serviceConfig = config.services().get(service);
            List<Upstream> instances = new ArrayList<>();
            if (serviceConfig != null) {
                serviceConfig.instances().forEach(url -> instances.add(new Upstream(service, url.trim())));
            }
            pools.put(service, new UpstreamPool(service, instances, config.slowStart().toMillis()));
        }
    }

    public UpstreamPool pool(String service) {
        return pools.get(service);
    }

    void start(@Observes StartupEvent event) {
        probeClient = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                // a fresh connection per probe: a kept one to an instance that went away mid-answer
                // could hold the pool, and the probes behind it would wait for ever (seen in the chaos suite)
                .setKeepAlive(false)
                .setMaxPoolSize(4)
                // a probe a second per instance is no one's request: no trace for it
                .setTracingPolicy(TracingPolicy.IGNORE));
        probeAll();
        timerId = vertx.setPeriodic(config.healthInterval().toMillis(), id -> probeAll());
        pools.values().forEach(pool -> Log.infof("service %s → %s", pool.service(), pool.instances()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void probeAll() {
        for (UpstreamPool pool : pools.values()) {
            for (Upstream upstream : pool.instances()) {
                probe(upstream);
            }
        }
    }

    private void probe(Upstream upstream) {
        if (!upstream.probing(true)) {
            return; // the last one is still out: it ends within a health interval
        }
        long timeout = config.healthInterval().toMillis();
        // the connect timeout covers waiting for a pooled connection too; the idle timeout the answer
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setServer(upstream.address())
                .setURI("/q/health/ready").setConnectTimeout(timeout).setIdleTimeout(timeout);
        probeClient.request(request)
                .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
                .onComplete(result -> {
                    upstream.probing(false);
                    boolean ready;
                    if (result.succeeded()) {
                        upstream.answered();
                        ready = result.result() == 200;
                    } else if (result.cause() instanceof ConnectException) {
                        upstream.answered();
                        ready = false; // nothing listens: gone, not slow
                    } else {
                        // late or broken: out only after several in a row
                        ready = upstream.unanswered() < config.healthFailures() && upstream.healthy();
                    }
                    if (ready != upstream.healthy()) {
                        Log.infof("upstream %s is now %s%s", upstream, ready ? "ready" : "unavailable",
                                result.failed() ? " (" + result.cause() + ")" : "");
                    }
                    upstream.healthy(ready);
                });
    }

    public java.util.Collection<UpstreamPool> pools() {
        return pools.values();
    }
}
