package io.talkline.chat.realtime;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.talkline.chat.config.ChatConfig;
import io.vertx.core.json.JsonObject;

/**
 * Realtime frames to every instance that holds a socket of the room (or user), through Redis
 * pub/sub, once the transaction that caused them committed: a frame never announces a change the
 * database does not have. Pub/sub is at most once; clients close gaps with resync (api.md). A new
 * message's frame also goes to this instance's own sockets at once (local first, ADR 0035).
 */
@ApplicationScoped
public class Fanout {

    /** This instance's sockets, told of a message written here before Redis brings it back. */
    @FunctionalInterface
    public interface LocalMessages {
        void created(String roomId, long seq, String frame);
    }

    private final TransactionSynchronizationRegistry transactions;
    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper json;
    private final boolean localFirst;
    private volatile LocalMessages local;

    public Fanout(TransactionSynchronizationRegistry transactions, ReactiveRedisDataSource redis, ObjectMapper json,
            ChatConfig config) {
        this.transactions = transactions;
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
        this.localFirst = config.socket().localFirst();
    }

    /** Where {@link #created} hands a message's frame on this instance (the sockets register). */
    public void onLocalMessage(LocalMessages sockets) {
        this.local = sockets;
    }

    /**
     * A new message's {@code message.created} frame, after its commit: to this instance's sockets at
     * once, on the calling thread, then through Redis to every instance, this one too (which knows
     * the copy by then, and drops it).
     */
    public void created(String roomId, long seq, String frame) {
        LocalMessages here = local;
        if (localFirst && here != null) {
            try {
                here.created(roomId, seq, frame);
            } catch (RuntimeException e) {
                // the other instances get it whatever happened here; clients here resync on the gap
                Log.warnf(e, "message.created of roomId=%s seq=%d not handed to this instance's sockets", roomId, seq);
            }
        }
        publish(roomChannel(roomId), frame);
    }

    /** {@link #created} once the current transaction commits. */
    public void createdAfterCommit(String roomId, long seq, String frame) {
        afterCommit(() -> created(roomId, seq, frame));
    }

    /** A frame {type, field: value} with the value written as the REST API writes it (ISO times). */
    public JsonObject frame(String type, String field, Object value) {
        return new JsonObject().put("type", type).put(field, tree(value));
    }

    /** A value as the REST API writes it, as a JSON object for a frame. */
    @SuppressWarnings("unchecked")
    public JsonObject tree(Object value) {
        return new JsonObject(json.convertValue(value, Map.class));
    }

    public static String roomChannel(String roomId) {
        return "chat:room:" + roomId;
    }

    public static String userChannel(String userId) {
        return "chat:user:" + userId;
    }

    /** Moderators' and admins' sockets, on every instance (moderation.case.opened / updated). */
    public static final String MODERATORS = "chat:moderators";

    public void toModeratorsAfterCommit(JsonObject frame) {
        afterCommit(MODERATORS, frame);
    }

    public void toRoomAfterCommit(String roomId, JsonObject frame) {
        afterCommit(roomChannel(roomId), frame);
    }

    public void toUserAfterCommit(String userId, JsonObject frame) {
        afterCommit(userChannel(userId), frame);
    }

    /** Now, without a transaction (typing, presence: nothing to commit). */
    public void publish(String channel, JsonObject frame) {
        publish(channel, frame.encode());
    }

    /** A frame already encoded (chat-service's MessageWriter encodes each message once). */
    public void publish(String channel, String frame) {
        pubsub.publish(channel, frame).subscribe().with(receivers -> {
        }, failure -> Log.warnf("realtime frame to %s not published: %s", channel, failure.toString()));
    }

    private void afterCommit(String channel, JsonObject frame) {
        afterCommit(() -> publish(channel, frame));
    }

    private void afterCommit(Runnable committed) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    committed.run();
                }
            }
        });
    }
}
