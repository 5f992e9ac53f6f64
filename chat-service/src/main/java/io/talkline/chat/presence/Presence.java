package io.talkline.chat.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.talkline.chat.config.ChatConfig;
import io.talkline.chat.realtime.Fanout;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Who is online, right across instances. Each instance holds, per connected user, an entry
 * {@code instanceId → expiry} in {@code chat:presence:<userId>} and renews it every heartbeat; the
 * user is online while any entry is alive. {@code chat:presence:users} holds each user's latest
 * expiry so that any instance can find users whose entries all expired (their instance died) and
 * announce them offline. Each change runs as one script that also publishes the presence frame,
 * so two instances never announce a user's states out of order, and only one of them announces.
 */
@ApplicationScoped
public class Presence {

    static final String USERS = "chat:presence:users";
    private static final long LAST_SEEN_KEEP_MS = 30L * 24 * 3600 * 1000;

    /** KEYS: entries, users, lastSeen. ARGV: instance, expiry, now, userId, frame, channels... */
    private static final String ONLINE = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
            local was = redis.call('ZCARD', KEYS[1])
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], ARGV[2])
            redis.call('ZADD', KEYS[2], 'GT', ARGV[2], ARGV[4])
            if was > 0 then return 0 end
            for i = 6, #ARGV do redis.call('PUBLISH', ARGV[i], ARGV[5]) end
            return 1
            """;

    /**
     * KEYS: entries, users, lastSeen. ARGV: instance (or '' when sweeping), now, userId, frame, keepMs,
     * lastSeenAt, channels...
     */
    private static final String OFFLINE = """
            if ARGV[1] ~= '' then redis.call('ZREM', KEYS[1], ARGV[1]) end
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
            local live = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
            if #live > 0 then
              redis.call('ZADD', KEYS[2], live[2], ARGV[3])
              return 0
            end
            if redis.call('ZREM', KEYS[2], ARGV[3]) == 0 then return 0 end
            redis.call('SET', KEYS[3], ARGV[6], 'PX', ARGV[5])
            for i = 7, #ARGV do redis.call('PUBLISH', ARGV[i], ARGV[4]) end
            return 1
            """;

    /** ARGV: instance, expiry, now, userIds... Returns the users who had no live entry left (announce them again). */
    private static final String HEARTBEAT = """
            local lost = {}
            for i = 4, #ARGV do
              local key = 'chat:presence:' .. ARGV[i]
              redis.call('ZREMRANGEBYSCORE', key, '-inf', ARGV[3])
              if redis.call('ZSCORE', key, ARGV[1]) == false then table.insert(lost, ARGV[i]) end
              redis.call('ZADD', key, ARGV[2], ARGV[1])
              redis.call('PEXPIREAT', key, ARGV[2])
              redis.call('ZADD', KEYS[1], 'GT', ARGV[2], ARGV[i])
            end
            return lost
            """;

    /** ARGV: now, userIds... → per user: latest expiry or '', last seen or ''. */
    private static final String LOOKUP = """
            local out = {}
            for i = 2, #ARGV do
              local live = redis.call('ZRANGEBYSCORE', 'chat:presence:' .. ARGV[i], ARGV[1], '+inf', 'LIMIT', 0, 1)
              table.insert(out, #live > 0 and '1' or '')
              table.insert(out, redis.call('GET', 'chat:lastseen:' .. ARGV[i]) or '')
            end
            return out
            """;

    /** A user's state as the presence endpoint and frames give it. */
    public record Status(String userId, String status, Instant lastSeenAt) {
    }

    private final RedisDataSource redis;
    private final ChatConfig config;
    private final String instance = UUID.randomUUID().toString();
    /**
     * Every presence change of this instance, one after the other, in the order they happened:
     * a quick close and reopen never reach Redis the other way round, and sockets and the event
     * loop never wait for Redis.
     */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "chat-presence");
        thread.setDaemon(true);
        return thread;
    });

    public Presence(RedisDataSource redis, ChatConfig config) {
        this.redis = redis;
        this.config = config;
    }

    /** Runs a presence change after those already queued. */
    public void later(String what, Runnable change) {
        worker.execute(() -> {
            try {
                change.run();
            } catch (RuntimeException e) {
                Log.warnf("presence: %s failed: %s", what, e.toString());
            }
        });
    }

    /** Runs a task every period on the presence thread (heartbeat, sweep). */
    public void every(String what, Duration period, Runnable task) {
        worker.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                Log.warnf("presence: %s failed: %s", what, e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    /** The user's first socket on this instance: online, announced in its rooms unless it already was. */
    public void online(String userId, Collection<String> roomIds) {
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>(List.of(instance, Long.toString(now + ttlMs()), Long.toString(now), userId,
                frame(userId, "online", now).encode()));
        roomIds.forEach(roomId -> args.add(Fanout.roomChannel(roomId)));
        Response announced = eval(ONLINE, keys(userId), args);
        Log.debugf("online userId=%s rooms=%d announced=%s", userId, roomIds.size(), announced);
    }

    /** The user's last socket on this instance closed: offline, announced, unless another instance holds one. */
    public void offline(String userId, Collection<String> roomIds) {
        long now = System.currentTimeMillis();
        offline(instance, userId, now, now, roomIds);
    }

    /**
     * This instance is going away and its sockets reconnect elsewhere: its entries go without an
     * announcement; a user who does not come back is announced offline by the sweep.
     */
    public void leaveQuietly(String userId) {
        redis.execute("ZREM", keys(userId).get(0), instance);
    }

    /** Renews this instance's entries; returns users whose entries had expired (e.g. after a pause). */
    public List<String> heartbeat(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<String> args = new ArrayList<>(List.of(instance, Long.toString(now + ttlMs()), Long.toString(now)));
        args.addAll(userIds);
        Response lost = eval(HEARTBEAT, List.of(USERS), args);
        List<String> users = new ArrayList<>();
        if (lost != null) {
            lost.forEach(r -> users.add(r.toString()));
        }
        return users;
    }

    /** Users whose entries all expired (their instances died or lost Redis), with their last expiry. */
    public Map<String, Long> expired(int limit) {
        Response rows = redis.execute("ZRANGE", USERS, "-inf", Long.toString(System.currentTimeMillis()), "BYSCORE",
                "LIMIT", "0", Integer.toString(limit), "WITHSCORES");
        Map<String, Long> users = new LinkedHashMap<>();
        if (rows == null || rows.size() == 0) {
            return users;
        }
        if (rows.get(0).type() == ResponseType.MULTI) {
            // RESP3: [[member, score], ...]
            rows.forEach(pair -> users.put(pair.get(0).toString(), (long) pair.get(1).toDouble().doubleValue()));
        } else {
            for (int i = 0; i + 1 < rows.size(); i += 2) {
                users.put(rows.get(i).toString(), (long) Double.parseDouble(rows.get(i + 1).toString()));
            }
        }
        return users;
    }

    /** Announces a user of a dead instance offline, last seen at its last heartbeat (once, whoever sweeps). */
    public boolean sweep(String userId, long expiry, Collection<String> roomIds) {
        return offline("", userId, System.currentTimeMillis(), expiry - ttlMs(), roomIds);
    }

    public List<Status> lookup(List<String> userIds) {
        if (userIds.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of(Long.toString(System.currentTimeMillis())));
        args.addAll(userIds);
        Response out = eval(LOOKUP, List.of(), args);
        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < userIds.size(); i++) {
            boolean online = !out.get(2 * i).toString().isEmpty();
            String seen = out.get(2 * i + 1).toString();
            statuses.add(new Status(userIds.get(i), online ? "online" : "offline",
                    seen.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(seen))));
        }
        return statuses;
    }

    private boolean offline(String who, String userId, long now, long lastSeen, Collection<String> roomIds) {
        List<String> args = new ArrayList<>(List.of(who, Long.toString(now), userId,
                frame(userId, "offline", lastSeen).encode(), Long.toString(LAST_SEEN_KEEP_MS), Long.toString(lastSeen)));
        roomIds.forEach(roomId -> args.add(Fanout.roomChannel(roomId)));
        Response done = eval(OFFLINE, keys(userId), args);
        Log.debugf("offline userId=%s by=%s rooms=%d announced=%s", userId, who.isEmpty() ? "sweep" : "instance",
                roomIds.size(), done);
        return done != null && done.toInteger() == 1;
    }

    private static JsonObject frame(String userId, String status, long at) {
        return new JsonObject().put("type", "presence").put("userId", userId).put("status", status)
                .put("lastSeenAt", Instant.ofEpochMilli(at).toString());
    }

    private static List<String> keys(String userId) {
        return List.of("chat:presence:" + userId, USERS, "chat:lastseen:" + userId);
    }

    private long ttlMs() {
        return config.presence().ttl().toMillis();
    }

    private Response eval(String script, List<String> keys, List<String> args) {
        List<String> command = new ArrayList<>(keys.size() + args.size() + 2);
        command.add(script);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        command.addAll(args);
        return redis.execute("EVAL", command.toArray(String[]::new));
    }
}
