package io.talkline.gateway.routing;

import java.net.URI;

import io.vertx.core.net.SocketAddress;

/** One instance of a service, with what the gateway currently believes about its health. */
public final class Upstream {

    private final String service;
    private final URI url;
    private final SocketAddress address;
    /** Unknown counts as healthy: the first request should not wait for the first probe. */
    private volatile boolean healthy = true;
    /** Probes in a row without an answer in time (only the probe timer touches it). */
    private int unanswered;
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

    public Upstream(String service, String url) {
        this.service = service;
        this.url = URI.create(url);
        if (this.url.getHost() == null || this.url.getPort() < 0) {
            throw new IllegalArgumentException("upstream of " + service + " needs http://host:port, got " + url);
        }
        this.address = SocketAddress.inetSocketAddress(this.url.getPort(), this.url.getHost());
    }

    public String service() {
        return service;
    }

    public URI url() {
        return url;
    }

    public SocketAddress address() {
        return address;
    }

    public boolean healthy() {
        return healthy;
    }

    /** When it came back into rotation after leaving it (0: no comeback to warm up from). */
    private volatile long readySince;
    /** Whether it was ever in rotation: at the platform's start every instance is equally cold. */
    private volatile boolean everReady;

    /** Set by the readiness probe, and to false on a refused connection (the probe sets it back). */
    public void healthy(boolean value) {
        if (value && !healthy && everReady) {
            readySince = System.currentTimeMillis();
        }
        if (value) {
            everReady = true;
        }
        healthy = value;
    }

    /**
     * Its share of new requests while it warms up: from near 0 when it came back to 1 after
     * {@code slowStartMillis} (a JVM that just started compiles its hot paths as it serves).
     */
    double weight(long now, long slowStartMillis) {
        long since = readySince;
        if (since == 0 || slowStartMillis <= 0) {
            return 1;
        }
        return Math.min(1, Math.max(0.05, (now - since) / (double) slowStartMillis));
    }

    /** Marks a probe as under way (true: false if one already is) or as ended (false). */
    boolean probing(boolean start) {
        if (start) {
            return probing.compareAndSet(false, true);
        }
        probing.set(false);
        return true;
    }

    /** A probe got no answer in time: the count in a row so far. */
    int unanswered() {
        return ++unanswered;
    }

    /** A probe got an answer (ready or not). */
    void answered() {
        unanswered = 0;
    }

    @Override
    public String toString() {
        return service + "@" + url;
    }
}
