package io.talkline.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which instance a request goes to first, and in what order the rest are tried. */
class UpstreamPoolTest {

    private static int firstOf(UpstreamPool pool, Upstream upstream, int requests) {
        int first = 0;
        for (int i = 0; i < requests; i++) {
            if (pool.candidates().getFirst() == upstream) {
                first++;
            }
        }
        return first;
    }

    @Test
    void anInstanceBackInRotationGetsASmallShareFirstWhileOneThatNeverLeftGetsHalf() {
        Upstream steady = new Upstream("chat", "http://127.0.0.1:1001");
        Upstream back = new Upstream("chat", "http://127.0.0.1:1002");
        UpstreamPool pool = new UpstreamPool("chat", List.of(steady, back), 60_000);
        steady.healthy(true); // both answered their first probe ready
        back.healthy(true);
        int before = firstOf(pool, back, 2_000);
        assertTrue(before > 900 && before < 1_100, "round-robin: half each, got " + before);

        back.healthy(false); // killed
        assertEquals(0, firstOf(pool, back, 100), "an instance out of rotation is never first");
        assertEquals(List.of(steady, back), pool.candidates(), "but stays the last resort");

        back.healthy(true); // restarted and ready: 5 % of its share now, growing over a minute
        int warming = firstOf(pool, back, 2_000);
        assertTrue(warming < 150, "a cold instance gets few requests first, got " + warming);
    }

    @Test
    void anInstanceThatBecomesReadyForTheFirstTimeGetsItsHalfAtOnce() {
        // the platform's start: nothing is warm yet, so nothing is held back
        Upstream early = new Upstream("chat", "http://127.0.0.1:1001");
        Upstream late = new Upstream("chat", "http://127.0.0.1:1002");
        UpstreamPool pool = new UpstreamPool("chat", List.of(early, late), 60_000);
        early.healthy(true);
        late.healthy(false); // still starting when the first probe came
        late.healthy(true);
        int first = firstOf(pool, late, 2_000);
        assertTrue(first > 900 && first < 1_100, "half, got " + first);
    }

    @Test
    void withoutSlowStartAReturningInstanceGetsItsHalfAtOnce() {
        Upstream steady = new Upstream("chat", "http://127.0.0.1:1001");
        Upstream back = new Upstream("chat", "http://127.0.0.1:1002");
        UpstreamPool pool = new UpstreamPool("chat", List.of(steady, back), 0);
        back.healthy(true);
        back.healthy(false);
        back.healthy(true);
        int first = firstOf(pool, back, 2_000);
        assertTrue(first > 900 && first < 1_100, "half, got " + first);
    }

    @Test
    void roundRobinGoesRoundTheHealthyOnesEvenlyWhateverSitsBetweenThem() {
        Upstream a = new Upstream("chat", "http://127.0.0.1:1001");
        Upstream down = new Upstream("chat", "http://127.0.0.1:1002");
        Upstream b = new Upstream("chat", "http://127.0.0.1:1003");
        Upstream alsoDown = new Upstream("chat", "http://127.0.0.1:1004");
        UpstreamPool pool = new UpstreamPool("chat", List.of(a, down, b, alsoDown), 0);
        down.healthy(false);
        alsoDown.healthy(false);
        assertEquals(500, firstOf(pool, a, 1_000), "a and b take turns");
        List<Upstream> order = pool.candidates();
        assertEquals(List.of(a, b),
                order.subList(0, 2).stream().sorted(java.util.Comparator.comparing(Upstream::toString)).toList());
        assertEquals(java.util.Set.of(down, alsoDown), java.util.Set.copyOf(order.subList(2, 4)));
    }
}
