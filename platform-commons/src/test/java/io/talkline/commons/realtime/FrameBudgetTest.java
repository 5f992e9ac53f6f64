package io.talkline.commons.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.talkline.commons.realtime.FrameBudget.Kind;
import io.talkline.commons.realtime.FrameBudget.Limits;
import io.talkline.commons.realtime.FrameBudget.Meter;
import io.talkline.commons.realtime.FrameBudget.Verdict;

class FrameBudgetTest {

    private final AtomicLong clock = new AtomicLong();
    private final FrameBudget budget = new FrameBudget(new FrameBudget.Settings(new Limits(10, 2), new Limits(15, 4),
            new Limits(100, 50), new Limits(150, 80), 5, Duration.ofSeconds(10)), clock::get);

    private static int passing(Meter meter, Kind kind, int frames) {
        int passed = 0;
        for (int i = 0; i < frames; i++) {
            passed += meter.charge(kind) == Verdict.PASS ? 1 : 0;
        }
        return passed;
    }

    private void seconds(double s) {
        clock.addAndGet((long) (s * 1e9));
    }

    @Test
    void aSocketSpendsItsBurstThenItsRate() {
        Meter meter = budget.open("u");
        assertEquals(10, passing(meter, Kind.FRAME, 12));
        seconds(1);
        assertEquals(2, passing(meter, Kind.FRAME, 5));
    }

    @Test
    void theSocketsOfAUserShareTheUsersBudget() {
        Meter first = budget.open("u");
        Meter second = budget.open("u");
        Meter stranger = budget.open("v");
        assertEquals(10, passing(first, Kind.FRAME, 10));
        // the user has 5 left of 15, though this socket has 10 of its own
        assertEquals(5, passing(second, Kind.FRAME, 10));
        assertEquals(10, passing(stranger, Kind.FRAME, 10));
        // a refusal by the user's bucket does not cost the socket its own tokens
        seconds(1);
        assertEquals(4, passing(second, Kind.FRAME, 10));
    }

    @Test
    void relaysHaveABudgetOfTheirOwnAndPingsAreCheap() {
        Meter meter = budget.open("u");
        assertEquals(10, passing(meter, Kind.FRAME, 10));
        assertEquals(100, passing(meter, Kind.RELAY, 100));
        Meter other = budget.open("w");
        assertEquals(80, passing(other, Kind.PING, 80)); // 10 frames' worth
        assertEquals(Verdict.REFUSED, other.charge(Kind.FRAME));
    }

    @Test
    void refusedTooOftenWithinTheWindowIsAbuse() {
        Meter meter = budget.open("u");
        passing(meter, Kind.FRAME, 10);
        for (int i = 0; i < 4; i++) {
            assertEquals(Verdict.REFUSED, meter.charge(Kind.FRAME));
        }
        assertEquals(Verdict.ABUSE, meter.charge(Kind.FRAME));
        // refusals spread out over longer than the window are not
        Meter patient = budget.open("p");
        passing(patient, Kind.FRAME, 10);
        for (int i = 0; i < 8; i++) {
            seconds(3);
            passing(patient, Kind.FRAME, 6);
            assertEquals(Verdict.REFUSED, patient.charge(Kind.FRAME), "round " + i);
        }
    }

    @Test
    void aUsersBudgetGoesWithTheirLastSocket() {
        Meter first = budget.open("u");
        Meter second = budget.open("u");
        first.close();
        assertEquals(1, budget.users());
        second.close();
        assertEquals(0, budget.users());
    }
}
