package io.talkline.chat.message;

import java.time.Duration;

/**
 * How long the group-commit writer waits for more sends after it took one (ADR 0030, amendments of
 * 2026-12-07): at most {@code linger}, counted from that send's arrival, so a send that already
 * waited in the queue while a transaction was written waits no longer; and only while sends come
 * closer together than the linger, on average, so a quiet instance writes a send at once. One
 * writer thread uses it; times are {@link System#nanoTime}.
 */
final class Linger {

    /** Weight of the newest gap in the running mean: a long pause makes the writer quiet at once. */
    private static final int SMOOTHING = 4;

    private final long linger;
    /** Gaps longer than this count as this: the mean is about "closer than the linger or not". */
    private final long longGap;
    private long meanGap;
    private long lastArrival;
    private boolean any;

    Linger(Duration linger) {
        this.linger = Math.max(0, linger.toNanos());
        this.longGap = 4 * this.linger;
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
        if (meanGap >= linger) {
            return 0;
        }
        return Math.max(0, first + linger - now);
    }
}
