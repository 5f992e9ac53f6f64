package io.talkline.chat.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "chat")
public interface ChatConfig {

    Message message();

    Room room();

    Socket socket();

    Typing typing();

    Presence presence();

    Reaction reaction();

    Moderation moderation();

    interface Moderation {
        /**
         * The rules in force until an admin replaces them through the API: a file path, or
         * {@code classpath:} and a resource. Read at start; while no admin has replaced them, a
         * changed file takes effect at the next start.
         */
        @WithDefault("classpath:moderation/default-rules.json")
        String rules();

        /** How often an instance looks for a rule change it did not hear of through Redis. */
        @WithDefault("5s")
        Duration ruleRefresh();

        /** Messages before and after a case's message shown as its context. */
        @WithDefault("5")
        int context();

        /** Tries of a failing record, while the database and Redis answer, before it is set aside. */
        @WithDefault("3")
        int attempts();
    }

    interface Socket {
        /** How often open sockets' tokens are checked against revocations (4401 when revoked). */
        @WithDefault("3s")
        Duration revocationCheck();

        /** Characters queued for one socket beyond which it is closed with 1013 (a client that stopped reading). */
        @WithDefault("1048576")
        long sendQueueLimit();

        /** How often the server pings every socket (clients answer with pongs on their own). */
        @WithDefault("20s")
        Duration pingInterval();

        /**
         * A socket from which nothing arrived for this long (no frame, no pong to the server's
         * pings) is closed with 1001.
         */
        @WithDefault("60s")
        Duration idleTimeout();

        /** How long a resync waits for one frame to be written before it gives up on the socket (1013). */
        @WithDefault("10s")
        Duration writeTimeout();

        /**
         * A socket is closed with 4401 this long after its access token expired, unless the client
         * sent a fresh one in an {@code auth} frame.
         */
        Duration tokenGrace();

        /**
         * A message written here goes to this instance's sockets at once, not only after its round
         * trip through Redis (ADR 0035). Off: every frame comes through Redis, as on other instances.
         */
        @WithDefault("true")
        boolean localFirst();

        /**
         * A room's {@code message.created} frame that comes before an earlier seq is held this long
         * at most for that seq to come (from another instance, through Redis); then it is passed on
         * and the clients see the gap (ADR 0035).
         */
        @WithDefault("100ms")
        Duration reorderWait();

        Budget budget();
    }

    /**
     * Frames a client may send (platform-commons FrameBudget): a bucket per socket and one per user
     * over that user's sockets on this instance; pings cost an eighth of a frame.
     */
    interface Budget {
        /** Frames one socket may send at once. */
        int socketBurst();

        /** Frames per second that refill a socket's bucket. */
        double socketRate();

        /** Frames one user's sockets on this instance may send at once, together. */
        int userBurst();

        double userRate();

        /** Refusals within {@link #refusalWindow()} that close the socket with 1008. */
        int refusals();

        Duration refusalWindow();
    }

    interface Reaction {
        /** Distinct reactions one user may put on one message. */
        int maxPerUser();
    }

    interface Typing {
        /** Without a refresh for this long, the room hears typing:false. */
        @WithDefault("5s")
        Duration expiry();
    }

    interface Presence {
        /** An instance's presence entries live this long without a heartbeat (offline after an instance dies). */
        @WithDefault("30s")
        Duration ttl();

        /** How often an instance renews its entries (well under the ttl). */
        @WithDefault("10s")
        Duration heartbeat();

        /** How often an instance looks for users whose entries all expired. */
        @WithDefault("5s")
        Duration sweep();
    }

    interface Message {
        /** Characters (code points) of a message body. */
        int maxBodyLength();

        /** Largest page of the message list. */
        int pageSizeMax();

        GroupCommit groupCommit();

        /**
         * REST sends of callers whose token this instance has verified before are answered by a
         * plain Vert.x route instead of the REST layer (ADR 0033); false: every send goes the REST way.
         */
        @WithDefault("true")
        boolean directRoute();
    }

    /**
     * Text sends that arrive while a transaction is being written are written together by the next
     * one (ADR 0030): one commit for many sends.
     */
    interface GroupCommit {
        /**
         * Threads writing batches at once; 0 writes every send in a transaction of its own. One:
         * sends that arrive during a commit wait for the next batch instead of a transaction of
         * their own (ADR 0030 amendment: fewer, larger transactions).
         */
        @WithDefault("1")
        int writers();

        /** Sends in one transaction at most. */
        @WithDefault("64")
        int batchMax();

        /**
         * How long a writer that took a send waits for more before it writes them, counted from that
         * send's arrival; only while a quarter of its latest sends came closer together than this,
         * and not after a pause of eight of these (ADR 0030, amendments of 2026-12-07): fewer,
         * larger transactions for a moment's delay under load; 0: always at once.
         */
        @WithDefault("2ms")
        Duration linger();

        /** A send waits this long for its batch, then is written on its own. */
        @WithDefault("5s")
        Duration maxWait();
    }

    interface Room {
        /** Members a group room may have. */
        int maxMembers();
    }
}
