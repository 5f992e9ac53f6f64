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
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * Pub/sub is at most once: whoever must not miss anything learns of a reset and catches up — once
 * subscribed again ({@link #onResubscribed}), so that what it reads then is not missed either.
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
    /** CLIENT SETNAME of the connection: who holds it shows in CLIENT LIST (no spaces allowed). */
    private final String connectionName;
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> resets = new CopyOnWriteArrayList<>();
    private final List<Runnable> resubscribed = new CopyOnWriteArrayList<>();
    /** Channels whose SUBSCRIBE Redis has not confirmed yet. */
    private final Map<String, Promise<Void>> unconfirmed = new ConcurrentHashMap<>();
    // guarded by this
    private Redis client;
    private RedisConnection connection;
    private boolean connecting;
    private boolean closed;
    /** A connection was lost since the last one opened: the next one tells onResubscribed. */
    private boolean lost;
    /** When the connection last read anything (epoch ms): a live one that is merely late still reads. */
    private volatile long lastReadAt;

    public RedisChannels(Vertx vertx, @ConfigProperty(name = "quarkus.redis.hosts") String hosts,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "talkline") String application) {
        this.vertx = vertx;
        this.uri = hosts.split(",")[0].trim();
        this.connectionName = connectionName(application);
    }

    /** {@code <application>-pubsub-<pid>}: one process's subscriber, told apart from its neighbours'. */
    public static String connectionName(String application) {
        return application.replaceAll("[^A-Za-z0-9_.-]", "_") + "-pubsub-" + ProcessHandle.current().pid();
    }

    /**
     * Messages of the channel go to the listener (replacing an earlier one) from now on.
     *
     * @return completed once Redis confirmed the subscription: whatever is published from then on
     *         arrives (read state that the channel announces changes of only after it)
     */
    public synchronized Future<Void> subscribe(String channel, Listener listener) {
        if (listeners.put(channel, listener) == null) {
            Promise<Void> confirmed = Promise.promise();
            unconfirmed.put(channel, confirmed);
            send(Command.SUBSCRIBE, List.of(channel));
            return confirmed.future();
        }
        Promise<Void> pending = unconfirmed.get(channel);
        return pending == null ? Future.succeededFuture() : pending.future();
    }

    public synchronized void unsubscribe(String channel) {
        if (listeners.remove(channel) != null) {
            Promise<Void> pending = unconfirmed.remove(channel);
            if (pending != null) {
                pending.tryComplete(); // nobody waits for a channel that is gone
            }
            send(Command.UNSUBSCRIBE, List.of(channel));
        }
    }

    /** Told whenever the connection was lost: messages published meanwhile were missed. */
    public void onReset(Runnable reset) {
        resets.add(reset);
    }

    /**
     * Told when, after a lost connection, every channel is subscribed again (confirmed by Redis):
     * state read from now on is followed by every message about it. Runs on an event loop.
     */
    public void onResubscribed(Runnable hook) {
        resubscribed.add(hook);
    }

    /** When the pub/sub connection last read a message or a confirmation (epoch ms; 0: never). */
    public long lastReadAt() {
        return lastReadAt;
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
                opened.exceptionHandler(e -> failed(e, opened, fresh));
                opened.endHandler(ignored -> dropped(opened, fresh));
                connection = opened;
                opened.send(Request.cmd(Command.CLIENT).arg("SETNAME").arg(connectionName))
                        .onFailure(e -> Log.debugf("CLIENT SETNAME: %s", e.toString()));
                List<String> all = new ArrayList<>(listeners.keySet());
                List<Future<Void>> confirmations = new ArrayList<>();
                for (String channel : all) {
                    confirmations.add(unconfirmed.computeIfAbsent(channel, c -> Promise.promise()).future());
                }
                for (int i = 0; i < all.size(); i += CHANNELS_PER_COMMAND) {
                    send(Command.SUBSCRIBE, all.subList(i, Math.min(all.size(), i + CHANNELS_PER_COMMAND)));
                }
                if (lost) {
                    lost = false;
                    Future.all(confirmations).onComplete(ignored -> resubscribed.forEach(RedisChannels::run));
                }
            }
        });
    }

    /**
     * A connection that failed (reset by Redis, say) is closed without telling its end handler; an
     * error that left it open is only logged. A command on a closed connection fails at once.
     */
    private void failed(Throwable error, RedisConnection opened, Redis itsClient) {
        Log.debugf("pub/sub connection: %s", error.toString());
        opened.send(Request.cmd(Command.PING)).onFailure(closed -> dropped(opened, itsClient));
    }

    private void dropped(RedisConnection gone, Redis itsClient) {
        synchronized (this) {
            if (connection != gone) {
                return;
            }
            connection = null;
            lost = true;
            itsClient.close();
            if (closed) {
                return; // shutting down: nobody is to catch up
            }
            Log.warn("pub/sub connection to Redis lost; subscribing again");
            retry();
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

    /** ["message", channel, payload] as a RESP3 push or a RESP2 array; ["subscribe", channel, count] confirms. */
    private void dispatch(Response response) {
        lastReadAt = System.currentTimeMillis();
        if ((response.type() != ResponseType.PUSH && response.type() != ResponseType.MULTI) || response.size() < 3) {
            return;
        }
        String kind = response.get(0).toString();
        if ("subscribe".equals(kind)) {
            Promise<Void> confirmed = unconfirmed.remove(response.get(1).toString());
            if (confirmed != null) {
                confirmed.tryComplete();
            }
            return;
        }
        if (!"message".equals(kind)) {
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

    private static void run(Runnable hook) {
        try {
            hook.run();
        } catch (RuntimeException e) {
            Log.warnf(e, "a resubscription hook failed");
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
