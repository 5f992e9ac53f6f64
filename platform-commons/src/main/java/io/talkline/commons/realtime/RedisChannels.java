package io.talkline.commons.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Redis pub/sub for this process over one connection of its own, apart from the pool that serves
 * commands: channels come and go (SUBSCRIBE / UNSUBSCRIBE on that connection), and after a lost
 * connection every channel is subscribed again. (The Quarkus pub/sub API opened a subscriber per
 * call, sometimes never completed the call, and left pooled command connections timing out.)
 * Pub/sub is at most once: whoever must not miss anything learns of a reset and catches up.
 */
@ApplicationScoped
public class RedisChannels {

    @FunctionalInterface
    public interface Listener {
        void message(String channel, String message);
    }

    private static final long RETRY_MS = 1_000;
    private static final int CHANNELS_PER_COMMAND = 500;

    private final Vertx vertx;
    private final String uri;
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> resets = new CopyOnWriteArrayList<>();
    // guarded by this
    private Redis client;
    private RedisConnection connection;
    private boolean connecting;
    private boolean closed;

    public RedisChannels(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") String hosts) {
        this.vertx = vertx;
        this.uri = hosts.split(",")[0].trim();
    }

    /** Messages of the channel go to the listener (replacing an earlier one) from now on. */
    public void subscribe(String channel, Listener listener) {
        if (listeners.put(channel, listener) == null) {
            send(Command.SUBSCRIBE, List.of(channel));
        }
    }

    public void unsubscribe(String channel) {
        if (listeners.remove(channel) != null) {
            send(Command.UNSUBSCRIBE, List.of(channel));
        }
    }

    /** Told whenever the connection was lost: messages published meanwhile were missed. */
    public void onReset(Runnable reset) {
        resets.add(reset);
    }

    /** Drops the connection and starts a new one (a subscription that went silent). */
    public synchronized void reset() {
        if (client != null) {
            client.close();
        }
    }

    private synchronized void send(Command command, List<String> channels) {
        if (connection == null) {
            connect(); // subscribes to every channel once connected
            return;
        }
        Request request = Request.cmd(command);
        channels.forEach(request::arg);
        connection.send(request).onFailure(e -> Log.debugf("%s %s: %s", command, channels, e.toString()));
    }

    private synchronized void connect() {
        if (connecting || closed) {
            return;
        }
        connecting = true;
        Redis fresh = Redis.createClient(vertx, new RedisOptions().setConnectionString(uri).setMaxPoolSize(1));
        client = fresh;
        fresh.connect().onComplete(result -> {
            synchronized (RedisChannels.this) {
                connecting = false;
                if (result.failed()) {
                    Log.warnf("pub/sub connection to Redis failed, retrying: %s", result.cause().toString());
                    fresh.close();
                    retry();
                    return;
                }
                RedisConnection opened = result.result();
                opened.handler(this::dispatch);
                opened.exceptionHandler(e -> Log.debugf("pub/sub connection: %s", e.toString()));
                opened.endHandler(ignored -> dropped(opened, fresh));
                connection = opened;
                List<String> all = new ArrayList<>(listeners.keySet());
                for (int i = 0; i < all.size(); i += CHANNELS_PER_COMMAND) {
                    send(Command.SUBSCRIBE, all.subList(i, Math.min(all.size(), i + CHANNELS_PER_COMMAND)));
                }
            }
        });
    }

    private void dropped(RedisConnection lost, Redis itsClient) {
        synchronized (this) {
            if (connection != lost) {
                return;
            }
            connection = null;
            itsClient.close();
            if (!closed) {
                Log.warn("pub/sub connection to Redis lost; subscribing again");
                retry();
            }
        }
        resets.forEach(Runnable::run);
    }

    private void retry() {
        vertx.setTimer(RETRY_MS, id -> {
            synchronized (RedisChannels.this) {
                if (connection == null && !listeners.isEmpty()) {
                    connect();
                }
            }
        });
    }

    /** ["message", channel, payload] as a RESP3 push or a RESP2 array; subscribe confirmations are ignored. */
    private void dispatch(Response response) {
        if ((response.type() != ResponseType.PUSH && response.type() != ResponseType.MULTI) || response.size() < 3
                || !"message".equals(response.get(0).toString())) {
            return;
        }
        String channel = response.get(1).toString();
        Listener listener = listeners.get(channel);
        if (listener != null) {
            try {
                listener.message(channel, response.get(2).toString());
            } catch (RuntimeException e) {
                Log.warnf(e, "listener of %s failed", channel);
            }
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
    }
}
