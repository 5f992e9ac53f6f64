package io.talkline.commons.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.smallrye.mutiny.Uni;
import io.talkline.commons.realtime.RedisChannels;
import io.vertx.mutiny.core.Vertx;

/**
 * This instance's copy of the revocation keys, so a token check needs no Redis round trip. It is
 * trusted only while it is provably coherent: subscribed to {@link Revocations#CHANNEL} (auth-service
 * publishes every revocation it writes), loaded from a SCAN made after subscribing, and hearing its
 * own heartbeat on that channel every few seconds. Otherwise {@link #coherent()} is false and the
 * verifier asks Redis itself.
 */
@ApplicationScoped
public class RevocationMirror {

    private static final long HEARTBEAT_MS = 2_000;
    /** No own heartbeat heard for this long: the subscription may be dead without anyone saying so. */
    static final long SILENCE_MS = 5_000;
    private static final long RETRY_MS = 1_000;

    /** Key → (value, expiry in epoch ms), as in Redis. */
    private record Entry(String value, long expiresAt) {
    }

    private final ReactiveRedisDataSource redis;
    private final RedisChannels channels;
    private final Vertx vertx;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final String heartbeat = Revocations.HEARTBEAT_PREFIX + UUID.randomUUID() + ":";
    private volatile boolean loaded;
    private volatile boolean loading;
    private volatile long heardAt;
    /** Own heartbeats are numbered: an answer that comes after its heartbeat was heard is told apart. */
    private final AtomicLong beats = new AtomicLong();
    // guarded by this: the highest own heartbeat heard, and the oldest that Redis took but was not heard since
    private long heardBeat;
    private long unheardBeat;
    private long unheardSince;
    /** When the copy was last known to hold every revocation: its own heartbeat heard while loaded. */
    private volatile long completeAt;
    private volatile boolean closed;
    private long timer = -1;

    public RevocationMirror(ReactiveRedisDataSource redis, RedisChannels channels, Vertx vertx) {
        this.redis = redis;
        this.channels = channels;
        this.vertx = vertx;
        channels.onReset(this::lost);
        channels.subscribe(Revocations.CHANNEL, (channel, message) -> apply(message));
        tick(); // a heartbeat right away: the first one heard starts the load
        timer = vertx.setPeriodic(HEARTBEAT_MS, id -> tick());
    }

    /** True when the local copy may answer: every revocation written so far is in it. */
    public boolean coherent() {
        return loaded && System.currentTimeMillis() - heardAt < SILENCE_MS;
    }

    /**
     * True when the copy was complete at most {@code grace} ago: what it says then is what Redis
     * said at that moment (and Redis takes no new revocations while it is away).
     */
    public boolean completeWithin(long graceMillis) {
        long at = completeAt;
        return at > 0 && System.currentTimeMillis() - at <= graceMillis;
    }

    /** The value of a revocation key, or null; only meaningful while {@link #coherent()} or {@link #completeWithin}. */
    public String get(String key) {
        Entry entry = entries.get(key);
        return entry == null || entry.expiresAt() < System.currentTimeMillis() ? null : entry.value();
    }

    private void heard(long beat) {
        synchronized (this) {
            heardBeat = Math.max(heardBeat, beat);
            if (beat >= unheardBeat) {
                unheardSince = 0;
            }
        }
        heardAt = System.currentTimeMillis();
        if (loaded) {
            completeAt = heardAt;
        }
        if (!loaded && !loading) {
            loading = true;
            load().subscribe().with(ignored -> {
                loading = false;
                loaded = true;
                completeAt = heardAt;
                Log.debugf("revocation mirror coherent with %d keys", entries.size());
            }, failure -> {
                loading = false;
                Log.warnf("revocation mirror could not load, token checks ask Redis: %s", failure.toString());
            });
        }
    }

    private Uni<Void> load() {
        List<String> keys = new ArrayList<>();
        return redis.key(String.class).scan(new KeyScanArgs().match(Revocations.PREFIX + "*").count(1000)).toMulti()
                .onItem().invoke(keys::add).collect().last()
                .chain(ignored -> keys.isEmpty() ? Uni.createFrom().voidItem() : fetch(keys));
    }

    private Uni<Void> fetch(List<String> keys) {
        long now = System.currentTimeMillis();
        List<Uni<Void>> each = new ArrayList<>();
        for (String key : keys) {
            each.add(redis.value(String.class).get(key).chain(value -> redis.key(String.class).pttl(key).invoke(ttl -> {
                if (value != null && ttl != null && ttl > 0) {
                    entries.merge(key, new Entry(value, now + ttl), RevocationMirror::later);
                }
            })).replaceWithVoid());
        }
        return Uni.join().all(each).andFailFast().replaceWithVoid();
    }

    /** A revocation this very process wrote: known here before any message could arrive. */
    public void record(String key, String value, long ttlMillis) {
        entries.merge(key, new Entry(value, System.currentTimeMillis() + ttlMillis), RevocationMirror::later);
    }

    private void apply(String message) {
        if (message.startsWith(heartbeat)) {
            heard(Long.parseLong(message.substring(heartbeat.length())));
            return;
        }
        Revocations.Published published = Revocations.parse(message);
        if (published != null) {
            record(published.key(), published.value(), published.ttlMillis());
        }
    }

    /** Two writes of one key (a not-before moved twice): the later instant and the longer life win. */
    private static Entry later(Entry a, Entry b) {
        String value = b.value();
        try {
            value = Long.parseLong(a.value()) > Long.parseLong(b.value()) ? a.value() : b.value();
        } catch (NumberFormatException e) {
            // not an instant ("1" of a revoked token or session): any value means revoked
        }
        return new Entry(value, Math.max(a.expiresAt(), b.expiresAt()));
    }

    /**
     * Messages may have been missed: the copy is not trusted until its own heartbeat comes through
     * again, and it is then loaded afresh.
     */
    private void lost() {
        if (loaded) {
            Log.warn("revocation mirror lost its subscription; token checks ask Redis until it is back");
        }
        loaded = false;
        heardAt = 0;
        synchronized (this) {
            unheardSince = 0; // a new connection: only heartbeats Redis takes from now on count
        }
    }

    /** Redis took heartbeat {@code beat}: from now on every subscriber of the channel has it on its way. */
    private synchronized void taken(long beat) {
        if (beat > heardBeat && unheardSince == 0) {
            unheardBeat = beat;
            unheardSince = System.currentTimeMillis();
        }
    }

    /**
     * The subscription is dead though nobody said so: a heartbeat that Redis took {@link #SILENCE_MS}
     * ago has not come back, and the connection has read nothing at all for as long. Silence alone
     * is no proof: a heartbeat that waits for a pooled connection, or behind a paused Redis, was not
     * sent; and a process that reads its pub/sub backlog late is busy, not cut off. Resetting such a
     * connection would lose what Redis has on its way to it.
     */
    static boolean dead(long now, long unheardSince, long lastReadAt) {
        return unheardSince > 0 && now - unheardSince > SILENCE_MS && now - lastReadAt > SILENCE_MS;
    }

    private void tick() {
        long now = System.currentTimeMillis();
        entries.values().removeIf(entry -> entry.expiresAt() < now);
        long since;
        synchronized (this) {
            since = unheardSince;
        }
        if (dead(now, since, channels.lastReadAt()) && !closed) {
            Log.warnf(
                    "revocation mirror: the pub/sub connection read nothing for %d ms, its heartbeat included; connecting again",
                    SILENCE_MS);
            lost();
            channels.reset();
        }
        long beat = beats.incrementAndGet();
        redis.execute("PUBLISH", Revocations.CHANNEL, heartbeat + beat).subscribe().with(ignored -> taken(beat),
                failure -> Log.debugf("revocation heartbeat not sent: %s", failure.toString()));
    }

    @PreDestroy
    void close() {
        closed = true;
        vertx.cancelTimer(timer);
        channels.unsubscribe(Revocations.CHANNEL);
    }
}
