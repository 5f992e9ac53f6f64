package io.talkline.gateway.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The local fallback limiter: the same arithmetic as the Redis script, with time given. */
class GcraTest {

    @Test
    void allowsTheLimitAsABurstThenRefusesUntilAnIntervalPasses() {
        Gcra gcra = new Gcra();
        long now = 1_000_000;
        for (int i = 0; i < 5; i++) {
            Decision d = gcra.check("k", 5, 60_000, now);
            assertTrue(d.allowed(), "request " + i);
            assertEquals(4 - i, d.remaining());
        }
        Decision refused = gcra.check("k", 5, 60_000, now);
        assertFalse(refused.allowed());
        assertEquals(12, refused.retryAfterSeconds()); // one emission interval: 60 s / 5
        assertTrue(gcra.check("k", 5, 60_000, now + 12_000).allowed());
        assertTrue(gcra.check("other", 5, 60_000, now).allowed(), "keys are independent");
    }
}
