package io.talkline.chat.message;

import java.time.Duration;

/**
 * How long the group-commit writer waits for more sends after it took one (ADR 0030, amendments of
 * 2026-12-07): at most {@code linger}, counted from that send's arrival, so a send that already
 * waited in the queue while a transaction was written waits no longer; and only while waiting
 * pays. A wait started at a send's arrival gathers company exactly when the next send arrives
 * within the linger, so the writer waits while at least a quarter of its last sixteen sends came
 * that close after the one before. Sends that come far apart, or evenly spaced a little more than
 * a linger apart, are written at once: a wait would only add the linger to each. So is a send after
 * a pause of more than eight lingers, however busy the writer was before it. One writer thread
 * uses it; times are {@link System#nanoTime}.
 */
final class Linger {

    /** How many of the latest gaps between arrivals are remembered (bits of {@link #close}). */
    private static final int WINDOW = 16;
    private static final int WINDOW_MASK = (1 << WINDOW) - 1;
    /** The writer waits while at least this many of them were shorter than the linger. */
    private static final int ENOUGH_CLOSE = WINDOW / 4;
    /** A gap longer than this many lingers is a pause. */
    private static final int PAUSE_LINGERS = 8;

    private final long linger;
    private final long pause;
    /** Bit i: the gap before the i-th latest send was shorter than the linger. */
    private int close;
    private long lastArrival;
    private boolean any;
    /** The latest send came after a pause (or first). */
    private boolean afterPause = true;

    Linger(Duration linger) {
        this.linger = Math.max(0, linger.toNanos());
        this.pause = PAUSE_LINGERS * this.linger;
    }

    /** Notes a send's arrival (its {@code queuedAt}), in queue order. */
    void arrived(long at) {
        // two event loops queue sends: their times may cross by a little, which counts as close
        boolean near = any && at - lastArrival < linger;
        close = ((close << 1) | (near ? 1 : 0)) & WINDOW_MASK;
        afterPause = !any || at - lastArrival > pause;
        lastArrival = any ? Math.max(lastArrival, at) : at;
        any = true;
    }

    /**
     * How long to wait, at {@code now}, for more sends to join the one that arrived at
     * {@code first} (noted last): none after a pause or while too few sends come close together,
     * else what is left of the linger since it arrived.
     */
    long waitNanos(long first, long now) {
        if (linger == 0 || afterPause || Integer.bitCount(close) < ENOUGH_CLOSE) {
            return 0;
        }
        return Math.max(0, first + linger - now);
    }
}
