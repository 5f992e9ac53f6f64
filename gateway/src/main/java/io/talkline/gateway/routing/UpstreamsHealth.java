package io.talkline.gateway.routing;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The gateway is ready whatever its upstreams do (a down service must not take the others off the
 * load balancer); the data says how many instances of each service answer.
 */
@Readiness
@ApplicationScoped
public class UpstreamsHealth implements HealthCheck {

    private final Upstreams upstreams;

    public UpstreamsHealth(Upstreams upstreams) {
        this.upstreams = upstreams;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("upstreams").up();
        for (UpstreamPool pool : upstreams.pools()) {
            long ready = pool.instances().stream().filter(Upstream::healthy).count();
            builder.withData(pool.service(), ready + "/" + pool.instances().size() + " ready");
        }
        return builder.build();
    }
}
