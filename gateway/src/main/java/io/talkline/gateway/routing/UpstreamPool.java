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
        List<Upstream> out = new ArrayList<>(size);
        for (Upstream upstream : instances) {
            (upstream.healthy() ? order : out).add(upstream);
        }
        // the turn goes round the healthy ones only: instances out of rotation skew nothing
        int turn = next.getAndIncrement();
        rotate(order, turn);
        rotate(out, turn);
        // slow start: an instance back in rotation is first only as often as its weight says
        if (order.size() > 1 && ThreadLocalRandom.current().nextDouble() >= order.getFirst()
                .weight(System.currentTimeMillis(), slowStartMillis)) {
            order.add(1, order.removeFirst());
        }
        order.addAll(out);
        return order;
    }

    private static void rotate(List<Upstream> list, int turn) {
        if (list.size() > 1) {
            java.util.Collections.rotate(list, -Math.floorMod(turn, list.size()));
        }
    }
}
