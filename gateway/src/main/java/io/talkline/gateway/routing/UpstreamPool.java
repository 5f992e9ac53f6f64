package io.talkline.gateway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances of one service, taken in round-robin order: healthy ones first, then the others as
 * a last resort (a probe may be wrong about a busy instance; a dead one refuses the connect at once).
 * An instance that just came back gets a growing share over {@code gateway.slow-start}.
 */
public final class UpstreamPool {

    private final String service;
    private final List<Upstream> instances;
    private final AtomicInteger next = new AtomicInteger();
    private final long slowStartMillis;

    public UpstreamPool(String service, List<Upstream> instances, long slowStartMillis) {
        this.service = service;
        this.instances = List.copyOf(instances);
        this.slowStartMillis = slowStartMillis;
    }

    public String service() {
        return service;
    }

    public List<Upstream> instances() {
        return instances;
    }

    /**
     * Every instance, healthy ones first, each group starting at the next one in turn: the first is
     * tried, the rest are failover.
     */
    public List<Upstream> candidates() {
        int size = instances.size();
        List<Upstream> order = new ArrayList<>(size);
        if (size == 0) {
            return order;
        }
        int start = Math.floorMod(next.getAndIncrement(), size);
        for (int i = 0; i < size; i++) {
            Upstream upstream = instances.get((start + i) % size);
            if (upstream.healthy()) {
                order.add(upstream);
            }
        }
        // slow start: an instance back in rotation is first only as often as its weight says
        if (order.size() > 1 && ThreadLocalRandom.current().nextDouble() >= order.getFirst()
                .weight(System.currentTimeMillis(), slowStartMillis)) {
            order.add(1, order.removeFirst());
        }
        for (int i = 0; i < size; i++) {
            Upstream upstream = instances.get((start + i) % size);
            if (!upstream.healthy()) {
                order.add(upstream);
            }
        }
        return order;
    }
}
