package io.talkline.commons.realtime;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How many frames a client may send: a token bucket per socket and one per user, shared by that
 * user's sockets on this instance (a user spread over several instances gets each instance's
 * budget). Relayed WebRTC frames have buckets of their own, sized for the ICE candidates a real
 * call sends at once; pings cost an eighth of a frame. A frame over budget is refused (an {@code error
 * rate_limited} frame); a socket refused this many times within the window is abusing the server
 * and is closed with 1008.
 */
public final class FrameBudget {

    /** What a frame is: one of the lifecycle frames, a relayed signal, or a ping. */
    public enum Kind {
        FRAME,
        RELAY,
        PING
    }

    public enum Verdict {
        /** Within budget: carry the frame out. */
        PASS,
        /** Over budget: answer with error rate_limited. */
        REFUSED,
        /** Refused too often: close the socket with 1008. */
        ABUSE
    }

    /** A bucket of {@code burst} frames, refilled by {@code perSecond}. */
    public record Limits(double burst, double perSecond) {
    }

    /**
     * @param relaySocket null where a socket relays nothing (then RELAY frames count as FRAME)
     */
    public record Settings(Limits socket, Limits user, Limits relaySocket, Limits relayUser, int refusals,
            Duration window) {
    }

    // an eighth: a binary fraction, so that pings add up exactly
    private static final double PING_COST = 0.125;

    private final Settings settings;
    private final LongSupplier nanos;
    private final Map<String, User> users = new ConcurrentHashMap<>();

    public FrameBudget(Settings settings) {
        this(settings, System::nanoTime);
    }

    FrameBudget(Settings settings, LongSupplier nanos) {
        this.settings = settings;
        this.nanos = nanos;
    }

    /** The budget of a new socket of the user; {@link Meter#close()} it when the socket closes. */
    public Meter open(String userId) {
        User user = users.compute(userId, (id, existing) -> {
            User u = existing == null ? new User(now()) : existing;
            u.sockets++;
            return u;
        });
        return new Meter(userId, user);
    }

    /** Users with a budget here (sockets open). */
    int users() {
        return users.size();
    }

    private long now() {
        return nanos.getAsLong();
    }

    private final class User {
        final Bucket frames;
        final Bucket relays;
        int sockets; // guarded by the map's compute

        User(long now) {
            frames = new Bucket(settings.user(), now);
            relays = settings.relayUser() == null ? null : new Bucket(settings.relayUser(), now);
        }
    }

    /** One socket's budget. */
    public final class Meter {
        private final String userId;
        private final User user;
        private final Bucket frames;
        private final Bucket relays;
        // guarded by this
        private long windowStart;
        private int refused;

        Meter(String userId, User user) {
            this.userId = userId;
            this.user = user;
            long now = now();
            this.frames = new Bucket(settings.socket(), now);
            this.relays = settings.relaySocket() == null ? null : new Bucket(settings.relaySocket(), now);
            this.windowStart = now;
        }

        /** Charges one frame of this kind to the socket and its user. */
        public Verdict charge(Kind kind) {
            long now = now();
            boolean relay = kind == Kind.RELAY && relays != null;
            double cost = kind == Kind.PING ? PING_COST : 1;
            Bucket mine = relay ? relays : frames;
            Bucket theirs = relay ? user.relays : user.frames;
            if (mine.take(cost, now)) {
                if (theirs.take(cost, now)) {
                    return Verdict.PASS;
                }
                mine.give(cost);
            }
            return refused(now);
        }

        private synchronized Verdict refused(long now) {
            if (now - windowStart > settings.window().toNanos()) {
                windowStart = now;
                refused = 0;
            }
            return ++refused >= settings.refusals() ? Verdict.ABUSE : Verdict.REFUSED;
        }

        /** The socket closed: the user's budget goes with their last socket here. */
        public void close() {
            users.computeIfPresent(userId, (id, u) -> --u.sockets <= 0 ? null : u);
        }
    }

    /** A token bucket: full at first, refilled continuously up to its burst. */
    private static final class Bucket {
        private final Limits limits;
        private double tokens;
        private long at;

        Bucket(Limits limits, long now) {
            this.limits = limits;
            this.tokens = limits.burst();
            this.at = now;
        }

        synchronized boolean take(double cost, long now) {
            tokens = Math.min(limits.burst(), tokens + (now - at) / 1e9 * limits.perSecond());
            at = now;
            if (tokens < cost) {
                return false;
            }
            tokens -= cost;
            return true;
        }

        synchronized void give(double cost) {
            tokens = Math.min(limits.burst(), tokens + cost);
        }
    }
}
