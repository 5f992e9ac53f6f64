package io.talkline.signaling.call;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.smallrye.mutiny.Uni;
import io.talkline.signaling.config.SignalingConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;

/**
 * The calls of every instance, in Redis: each operation is one run of {@code calls.lua}, which
 * changes the call and publishes the frames announcing it atomically — two instances racing on a
 * call (an accept against a timeout, two accepts) see one winner and clients hear one story.
 */
@ApplicationScoped
public class CallStore {

    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final String script;
    /** Of every key and channel (signaling.redis.key-prefix); the script gets it as KEYS[1]. */
    private final String prefix;
    private volatile String sha;

    public CallStore(RedisDataSource redis, ReactiveRedisDataSource reactive, SignalingConfig config) {
        this.redis = redis;
        this.reactive = reactive;
        this.prefix = config.redis().keyPrefix();
        try (InputStream in = CallStore.class.getResourceAsStream("/calls.lua")) {
            this.script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("calls.lua missing from the classpath", e);
        }
    }

    /** The channel on which a user's frames arrive, as {@code <socketId or *>|<frame>}. */
    public String userChannel(String userId) {
        return prefix + "user:" + userId;
    }

    /** The user whose {@link #userChannel} this is. */
    public String userOf(String channel) {
        return channel.substring(prefix.length() + "user:".length());
    }

    /** The hash of a call ({@code roomId}, {@code media}, {@code state}, …). */
    public String callKey(String callId) {
        return prefix + "call:" + callId;
    }

    /** The list of started/ended records waiting for MySQL, oldest first. */
    public String events() {
        return prefix + "events";
    }

    /** Records set aside after {@code signaling.call.persist-attempts} failures. */
    public String failedEvents() {
        return prefix + "events:failed";
    }

    public static String participation(String callId, String userId) {
        return callId + "|" + userId;
    }

    /** A lifecycle operation: its JSON outcome, {@code {ok}} or {@code {error, message, callId}}. */
    public JsonObject change(String op, String... args) {
        return new JsonObject(run(op, List.of(args)).toString());
    }

    /** Invite: the members (the caller among them) are rung unless busy. */
    public JsonObject invite(String callId, String roomId, String media, String from, String socketId,
            long participantExpiry, long ringDeadline, Collection<String> members) {
        List<String> args = new ArrayList<>(List.of(callId, roomId, media, from, socketId,
                Long.toString(participantExpiry), Long.toString(ringDeadline)));
        args.addAll(members);
        return new JsonObject(run("invite", args).toString());
    }

    /**
     * 0 relayed, 1 the sender is not in the call on this socket, 2 the addressee is not in it.
     * Without blocking: the relay runs on the socket's event loop (no hop to a worker thread).
     */
    public Uni<Integer> relay(String callId, String from, String socketId, String to, String frame) {
        return runAsync("relay", List.of(callId, from, socketId, to, frame)).map(Response::toInteger);
    }

    /** false when the sender is not in the call on this socket. */
    public Uni<Boolean> media(String callId, String userId, String socketId, String frame) {
        return runAsync("media", List.of(callId, userId, socketId, frame)).map(r -> r.toInteger() == 0);
    }

    public void heartbeat(long expiry, Collection<String> participations) {
        List<String> args = new ArrayList<>(participations.size() + 1);
        args.add(Long.toString(expiry));
        args.addAll(participations);
        run("heartbeat", args);
    }

    /** Expired participants leave, unanswered rings time out; returns how many. */
    public int sweep(int limit) {
        return run("sweep", List.of(Integer.toString(limit))).toInteger();
    }

    /** {@code {call?, ringing}}: the call a user is in, and the calls ringing for them. */
    public JsonObject status(String userId) {
        return new JsonObject(run("status", List.of(userId)).toString());
    }

    /** The oldest started/ended record not yet in MySQL, or null. */
    public String nextEvent() {
        Response head = redis.execute("LINDEX", events(), "0");
        return head == null ? null : head.toString();
    }

    /** Takes a persisted record off the list (unless another instance already did). */
    public void persisted(String record) {
        run("persisted", List.of(record));
    }

    /** Moves a record that cannot be persisted aside ({@link #failedEvents}), so later ones are not held up. */
    public void shelve(String record) {
        run("shelve", List.of(record));
    }

    private Response run(String op, List<String> args) {
        String[] command = command(sha(), op, args);
        try {
            return redis.execute("EVALSHA", command);
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            // Redis restarted or flushed its script cache: load it again
            sha = null;
            command[0] = sha();
            return redis.execute("EVALSHA", command);
        }
    }

    /** EVALSHA once the script is known to Redis, otherwise EVAL (which makes it known). */
    private Uni<Response> runAsync(String op, List<String> args) {
        String loaded = sha;
        if (loaded == null) {
            return reactive.execute("EVAL", command(script, op, args));
        }
        return reactive.execute("EVALSHA", command(loaded, op, args)).onFailure(
                e -> e.getMessage() != null && e.getMessage().contains("NOSCRIPT")).recoverWithUni(() -> {
                    sha = null;
                    return reactive.execute("EVAL", command(script, op, args));
                });
    }

    /**
     * The arguments of EVAL/EVALSHA: the script (or its sha), the key prefix as the one key, the
     * operation, now, its arguments.
     */
    private String[] command(String script, String op, List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 5);
        command.add(script);
        command.add("1");
        command.add(prefix);
        command.add(op);
        command.add(Long.toString(System.currentTimeMillis()));
        command.addAll(args);
        return command.toArray(String[]::new);
    }

    private String sha() {
        String loaded = sha;
        if (loaded == null) {
            loaded = redis.execute("SCRIPT", "LOAD", script).toString();
            sha = loaded;
        }
        return loaded;
    }
}
