package io.talkline.chat.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LingerTest {

    private static final long MS = 1_000_000;

    @Test
    void aFirstSendAfterAStartIsWrittenAtOnce() {
        Linger linger = new Linger(Duration.ofMillis(2));
        linger.arrived(0);
        assertEquals(0, linger.waitNanos(0, 0));
    }

    @Test
    void whileSendsComeCloserThanTheLingerItWaitsFromTheSendsArrival() {
        Linger linger = steady(Duration.ofMillis(2), MS);
        long first = 100 * MS;
        linger.arrived(first);
        // taken the moment it came: the whole linger
        assertEquals(2 * MS, linger.waitNanos(first, first));
        // taken after it waited 1.5 ms in the queue: what is left of the linger
        assertEquals(MS / 2, linger.waitNanos(first, first + 3 * MS / 2));
        // taken after it waited longer than the linger: no wait on top
        assertEquals(0, linger.waitNanos(first, first + 5 * MS));
    }

    @Test
    void evenlySpacedSendsALittleFartherApartThanTheLingerAreWrittenAtOnce() {
        // 300 sends a second on one instance, evenly: one every 3.3 ms, so a 2 ms wait never gathers one
        Linger linger = steady(Duration.ofMillis(2), 10 * MS / 3);
        linger.arrived(100 * MS);
        assertEquals(0, linger.waitNanos(100 * MS, 100 * MS));
    }

    @Test
    void sendsInBurstsWaitThoughTheyAreFewOnAverage() {
        // 200 sends a second, in pairs half a millisecond apart: a 5 ms mean gap, half of the gaps close
        Linger linger = new Linger(Duration.ofMillis(2));
        long at = 0;
        for (int i = 0; i < 16; i++, at += 10 * MS) {
            linger.arrived(at);
            linger.arrived(at + MS / 2);
        }
        linger.arrived(at);
        assertEquals(2 * MS, linger.waitNanos(at, at));
    }

    @Test
    void aQuarterOfTheLastSixteenGapsCloseIsEnoughToWait() {
        assertEquals(2 * MS, afterGaps(4));
        assertEquals(0, afterGaps(3));
    }

    @Test
    void aWriterWhoseSendsStopComingCloseStopsWaitingWithinThirteenSends() {
        Linger linger = steady(Duration.ofMillis(2), MS);
        long at = 99 * MS;
        for (int far = 1; far <= 13; far++) {
            at += 10 * MS;
            linger.arrived(at);
            // sixteen close gaps remembered; each far one pushes one out
            assertEquals(far <= 12 ? 2 * MS : 0, linger.waitNanos(at, at), "after " + far + " far gaps");
        }
    }

    @Test
    void aSendAfterAPauseIsWrittenAtOnceHoweverBusyTheWriterWas() {
        Linger linger = steady(Duration.ofMillis(2), MS);
        // more than eight lingers after the last send
        long late = 99 * MS + 17 * MS;
        linger.arrived(late);
        assertEquals(0, linger.waitNanos(late, late));
        // the pause forgets nothing else: the next close send waits again
        linger.arrived(late + MS / 2);
        assertEquals(2 * MS, linger.waitNanos(late + MS / 2, late + MS / 2));
    }

    @Test
    void fourCloseSendsMakeAQuietWriterWaitAgain() {
        Linger linger = steady(Duration.ofMillis(2), 10 * MS);
        long at = 109 * MS;
        int atOnce = 0;
        for (int i = 0; i < 20; i++, at += MS / 10) {
            linger.arrived(at);
            if (linger.waitNanos(at, at) == 0) {
                atOnce++;
            } else {
                break;
            }
        }
        // the burst's first send came after a long gap; the fifth is the fourth close one
        assertEquals(4, atOnce);
    }

    @Test
    void sendsWhoseTimesCrossCountAsClose() {
        // two event loops queue sends: one may be noted after a later one
        Linger linger = new Linger(Duration.ofMillis(2));
        long at = 0;
        for (int i = 0; i < 4; i++, at += 10 * MS) {
            linger.arrived(at);
            linger.arrived(at - MS / 10);
        }
        linger.arrived(at);
        assertEquals(2 * MS, linger.waitNanos(at, at));
    }

    @Test
    void noLingerNeverWaits() {
        Linger linger = steady(Duration.ZERO, 0);
        assertEquals(0, linger.waitNanos(0, 0));
    }

    /** A writer that has seen sends every {@code gap} for a while, up to time 99 ms. */
    private static Linger steady(Duration linger, long gap) {
        Linger steady = new Linger(linger);
        for (long at = 99 * MS - 50 * gap; at <= 99 * MS; at += Math.max(1, gap)) {
            steady.arrived(at);
        }
        return steady;
    }

    /** The wait for a send taken as it came, after sixteen gaps of which {@code close} were 1 ms, the rest 10 ms. */
    private static long afterGaps(int close) {
        Linger linger = new Linger(Duration.ofMillis(2));
        long at = 0;
        linger.arrived(at);
        for (int i = 0; i < 16; i++) {
            at += i < close ? MS : 10 * MS;
            linger.arrived(at);
        }
        return linger.waitNanos(at, at);
    }
}
