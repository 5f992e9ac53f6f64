package io.talkline.gateway.routing;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * gateway.upstream.latency of one service, per status and outcome: each timer is looked up in an
 * array by status, since building and registering a meter per request costs CPU.
 */
final class UpstreamTimers {

    private final String service;
    private final MeterRegistry registry;
    private final Timer[] answered = new Timer[600];
    private final Timer[] failed = new Timer[600];

    UpstreamTimers(String service, MeterRegistry registry) {
        this.service = service;
        this.registry = registry;
    }

    void record(int status, boolean answer, long nanos) {
        Timer[] timers = answer ? answered : failed;
        int slot = status >= 0 && status < timers.length ? status : 0;
        Timer timer = timers[slot];
        if (timer == null) {
            // a race makes the same meter twice: the registry hands back the one it has
            timer = Timer.builder("gateway.upstream.latency").description("Time until the upstream's response headers")
                    .tags("service", service, "status", Integer.toString(status), "outcome", answer ? "answered" : "failed")
                    .publishPercentileHistogram().register(registry);
            timers[slot] = timer;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
