package io.talkline.chat.message;

import java.time.Duration;

/**
 * How long the group-commit writer waits for more sends after it took one (ADR 0030, amendments of
 * 2026-12-07): at most {@code linger}, counted from that send's arrival, so a send that already
 * waited in the queue while a transaction was written waits no longer; and not at all while the
 * writer is quiet — sends fewer than one per four lingers (8 ms: 125 a second) on average — where
 * a wait would rarely gather a second send and the box has CPU to spare. One writer thread uses
 * it; times are {@link System#nanoTime}.
 */
final class Linger {

    /** Sends farther apart than this many lingers, on average, make a quiet writer. */
    private static final int QUIET_LINGERS = 4;
    /** Weight of the newest gap in the running mean is 1/this: one pause makes the writer quiet. */
    private static final int SMOOTHING = 2;

    private final long linger;
    private final long quiet;
    /** Gaps longer than this count as this: one long pause must not keep the writer quiet for long. */
    private final long longGap;
    private long meanGap;
    private long lastArrival;
    private boolean any;

    Linger(Duration linger) {
        this.linger = Math.max(0, linger.toNanos());
        this.quiet = QUIET_LINGERS * this.linger;
        this.longGap = 2 * quiet;
        this.meanGap = longGap;
    }

    /** Notes a send's arrival (its {@code queuedAt}), in queue order. */
    void arrived(long at) {
        // two event loops queue sends: their times may cross by a little
        long gap = any ? Math.min(longGap, Math.max(0, at - lastArrival)) : longGap;
        meanGap += (gap - meanGap) / SMOOTHING;
        lastArrival = at;
        any = true;
    }

    /**
     * How long to wait, at {@code now}, for more sends to join the one that arrived at
     * {@code first} (noted already): none while quiet, else what is left of the linger since it arrived.
     */
    long waitNanos(long first, long now) {
        if (linger == 0 || meanGap >= quiet) {
            return 0;
        }
        return Math.max(0, first + linger - now);
    }
}
