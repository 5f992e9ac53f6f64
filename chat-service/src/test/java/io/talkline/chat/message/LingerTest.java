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
        Linger linger = busy(Duration.ofMillis(2), MS);
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
    void sendsAFewLingersApartStillWait() {
        // 300 sends a second on one instance: one every 3.3 ms
        Linger linger = busy(Duration.ofMillis(2), 10 * MS / 3);
        linger.arrived(100 * MS);
        assertEquals(2 * MS, linger.waitNanos(100 * MS, 100 * MS));
    }

    @Test
    void sendsMoreThanFourLingersApartAreWrittenAtOnce() {
        // 100 sends a second on one instance: one every 10 ms, more than 4 × 2 ms
        Linger linger = busy(Duration.ofMillis(2), 10 * MS);
        linger.arrived(109 * MS);
        assertEquals(0, linger.waitNanos(109 * MS, 109 * MS));
    }

    @Test
    void onePauseMakesABusyWriterQuiet() {
        Linger linger = busy(Duration.ofMillis(2), MS);
        long late = 200 * MS;
        linger.arrived(late);
        assertEquals(0, linger.waitNanos(late, late));
    }

    @Test
    void twoCloseSendsMakeAQuietWriterWaitAgain() {
        Linger linger = new Linger(Duration.ofMillis(2));
        long at = 0;
        int quiet = 0;
        for (int i = 0; i < 20; i++, at += MS / 10) {
            linger.arrived(at);
            if (linger.waitNanos(at, at) == 0) {
                quiet++;
            } else {
                break;
            }
        }
        // the mean gap starts at eight lingers and halves with each close send: 16, 8.05, 4.07 ms
        assertEquals(2, quiet);
    }

    @Test
    void noLingerNeverWaits() {
        Linger linger = busy(Duration.ZERO, 0);
        assertEquals(0, linger.waitNanos(0, 0));
    }

    /** A writer that has seen sends every {@code gap} for a while, up to time 99 ms. */
    private static Linger busy(Duration linger, long gap) {
        Linger busy = new Linger(linger);
        for (long at = 99 * MS - 50 * gap; at <= 99 * MS; at += Math.max(1, gap)) {
            busy.arrived(at);
        }
        return busy;
    }
}
