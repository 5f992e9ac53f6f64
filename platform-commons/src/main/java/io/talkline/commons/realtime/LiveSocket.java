package io.talkline.commons.realtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.talkline.commons.auth.VerifiedToken;

/**
 * One open socket of a service (/ws/chat, /ws/signal): its user's token, when the client was last
 * heard from, and the characters handed to the connection but not yet written — bounded, so a
 * client that stops reading is closed with 1013 instead of holding frames (and memory) for ever.
 */
public class LiveSocket {

    /** The session was revoked (api.md). */
    public static final int REVOKED = 4401;
    /** "Try again later": the client read too slowly; it reconnects and catches up. */
    public static final int TOO_SLOW = 1013;
    /** "Service restart": this instance is stopping; the client reconnects (to another instance). */
    public static final int RESTARTING = 1012;
    /** "Going away": nothing heard from the client, not even a pong, for the idle timeout. */
    public static final int IDLE = 1001;
    /** "Policy violation": the client kept sending frames over its budget. */
    public static final int POLICY = 1008;
    /** "Message too big": a frame beyond what the server reads at all. */
    public static final int TOO_BIG = 1009;

    private final WebSocketConnection connection;
    private final FrameBudget.Meter budget;
    private volatile VerifiedToken token;
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean closing;
    private volatile long heardAt = System.currentTimeMillis();

    /**
     * @param connection the connection itself, not a session-scoped proxy: frames go to it from any thread
     * @param budget the frames this socket may send ({@link FrameBudget#open(String)}), closed with the socket
     */
    public LiveSocket(WebSocketConnection connection, VerifiedToken token, FrameBudget.Meter budget) {
        this.connection = connection;
        this.token = token;
        this.budget = budget;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String userId() {
        return token.userId();
    }

    public VerifiedToken token() {
        return token;
    }

    /** A fresh token of the same user. */
    public void token(VerifiedToken fresh) {
        this.token = fresh;
    }

    public boolean closing() {
        return closing;
    }

    public long heardAt() {
        return heardAt;
    }

    /** The client sent something (a frame, or a pong to the server's ping): it is alive. */
    public void heard() {
        heardAt = System.currentTimeMillis();
    }

    /**
     * Queues a frame. Above {@code limit} characters waiting, the socket is closed with 1013 (its
     * frames dropped) and {@code tooSlow} runs. One subscription to the write and a plain future:
     * this runs once per delivery, for every socket of a room.
     *
     * @return ends once the frame is written (exceptionally if it cannot be), or null when the
     *         frame was not queued (closing, closed or too slow)
     */
    public CompletableFuture<Void> send(String text, long limit, Runnable tooSlow) {
        if (closing || !connection.isOpen()) {
            return null;
        }
        int size = text.length();
        if (queued.addAndGet(size) > limit) {
            queued.addAndGet(-size);
            if (!closing) {
                Log.infof("closing socket %s of userId=%s: %d characters waiting to be sent", connection.id(), userId(),
                        queued.get());
                tooSlow.run();
                close(TOO_SLOW, "too slow: reconnect and catch up");
            }
            return null;
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        connection.sendText(text).subscribe().with(ignored -> {
            queued.addAndGet(-size);
            sent.complete(null);
        }, failure -> {
            queued.addAndGet(-size);
            Log.debugf("frame not sent to socket %s: %s", connection.id(), failure.toString());
            sent.completeExceptionally(failure);
        });
        return sent;
    }

    /**
     * Charges a frame from the client to the budget. REFUSED: the caller answers with error
     * rate_limited. ABUSE: that error is sent here and the socket closed with 1008; nothing more
     * to do.
     */
    public FrameBudget.Verdict charge(FrameBudget.Kind kind, String ref) {
        FrameBudget.Verdict verdict = budget.charge(kind);
        if (verdict == FrameBudget.Verdict.ABUSE && !closing) {
            Log.infof("closing socket %s of userId=%s: frames over budget again and again", connection.id(), userId());
            closing = true;
            connection.sendText(Frames.rateLimited(ref).encode()).subscribe().with(
                    ignored -> close(POLICY, "too many frames"), ignored -> close(POLICY, "too many frames"));
        }
        return verdict;
    }

    /** A frame beyond what the server reads at all: the client is told, then the socket closed with 1009. */
    public void tooBig() {
        if (closing) {
            return;
        }
        closing = true;
        Log.debugf("closing socket %s of userId=%s: a frame too big to read", connection.id(), userId());
        connection.sendText(Frames.error(Frames.ErrorCode.too_large, "frame too big: the socket closes", null).encode())
                .subscribe().with(ignored -> close(TOO_BIG, "message too big"), ignored -> close(TOO_BIG, "message too big"));
    }

    /** The socket is gone: its budget too. */
    public void closed() {
        budget.close();
    }

    public void close(int code, String reason) {
        closing = true;
        connection.close(new CloseReason(code, reason)).subscribe().with(ignored -> {
        }, ignored -> {
        });
    }
}
