package io.talkline.commons.auth;

import static io.talkline.commons.auth.RevocationMirror.SILENCE_MS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the revocation mirror takes its pub/sub connection for dead and connects again. */
class DeadSubscriptionTest {

    private static final long NOW = 1_000_000;

    @Test
    void aHeartbeatRedisTookThatNeverCameBackOnAConnectionThatReadsNothingIsDead() {
        assertTrue(RevocationMirror.dead(NOW, NOW - SILENCE_MS - 1, NOW - SILENCE_MS - 1));
        assertTrue(RevocationMirror.dead(NOW, NOW - SILENCE_MS - 1, 0), "a connection that never read anything");
    }

    @Test
    void aConnectionThatStillReadsIsBusyNotDead() {
        // its backlog is read late: the heartbeat is in it
        assertFalse(RevocationMirror.dead(NOW, NOW - 3 * SILENCE_MS, NOW - 10));
    }

    @Test
    void noHeartbeatTakenByRedisIsNoEvidence() {
        // the heartbeat waits for a pooled connection, or Redis is paused: nothing was sent to hear
        assertFalse(RevocationMirror.dead(NOW, 0, 0));
    }

    @Test
    void aHeartbeatIsGivenItsTimeToComeBack() {
        assertFalse(RevocationMirror.dead(NOW, NOW - SILENCE_MS + 1, 0));
    }
}
