package io.talkline.signaling.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Calls and sockets (the ICE servers are {@code signaling.ice.*}). */
@ConfigMapping(prefix = "signaling")
public interface SignalingConfig {

    Call call();

    Relay relay();

    Socket socket();

    Redis redis();

    interface Redis {
        /**
         * The start of every Redis key and channel of signaling ({@code <prefix>call:<id>},
         * {@code <prefix>events}, {@code <prefix>user:<id>}, …). Instances that share calls share
         * it; a test run sets one of its own so that it shares no state with anyone else.
         */
        @WithDefault("sig:")
        String keyPrefix();
    }

    interface Call {
        /** An invitation nobody answers ends with call.ended {reason: timeout} after this long. */
        @WithDefault("30s")
        Duration ringTimeout();

        /** Participants of one mesh call at most (each sends its media to every other). */
        @WithDefault("6")
        int maxParticipants();

        /**
         * A participant whose instance stops renewing it (crashed, or the client did not rejoin after
         * a restart) leaves the call after this long.
         */
        @WithDefault("30s")
        Duration participantTtl();

        /** How often each instance renews its participants; a third of the ttl or less. */
        @WithDefault("10s")
        Duration heartbeat();

        /** How often each instance looks for expired participants and unanswered rings. */
        @WithDefault("1s")
        Duration sweep();

        /**
         * Attempts (one per sweep) at writing a call record to MySQL before it is set aside in
         * {@code <prefix>events:failed} ({@code sig:events:failed}) so that later calls are not held up.
         */
        @WithDefault("20")
        int persistAttempts();
    }

    interface Relay {
        /** Characters of an SDP in signal.offer / signal.answer at most. */
        @WithDefault("32768")
        int maxSdp();

        /** Characters of one ICE candidate (as JSON) in signal.ice at most. */
        @WithDefault("2048")
        int maxCandidate();
    }

    interface Socket {
        /** How often open sockets' tokens are checked against revocations (4401 when revoked). */
        @WithDefault("3s")
        Duration revocationCheck();

        /** How often the server pings every socket. */
        @WithDefault("20s")
        Duration pingInterval();

        /** Nothing heard from a client (no frame, no pong) for this long closes its socket with 1001. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Characters queued for one socket beyond which it is closed with 1013. */
        @WithDefault("262144")
        long sendQueueLimit();

        /**
         * A socket is closed with 4401 this long after its access token expired, unless the client
         * sent a fresh one in an {@code auth} frame.
         */
        Duration tokenGrace();

        Budget budget();
    }

    /**
     * Frames a client may send (platform-commons FrameBudget): a bucket per socket and one per user
     * over that user's sockets on this instance, for the call lifecycle (invite, accept, join, …)
     * and, far larger, for relayed signals and media state (ICE candidates come in bursts while a
     * call starts). Pings cost an eighth of a frame.
     */
    interface Budget {
        int socketBurst();

        double socketRate();

        int userBurst();

        double userRate();

        int relaySocketBurst();

        double relaySocketRate();

        int relayUserBurst();

        double relayUserRate();

        /** Refusals within {@link #refusalWindow()} that close the socket with 1008. */
        int refusals();

        Duration refusalWindow();
    }
}
