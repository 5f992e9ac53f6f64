package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;

import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.query.spi.QueryInterpretationCache;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.chat.message.MessageService;
import io.talkline.chat.room.RoomService;

/**
 * After a restart every client reconnects at once: each socket's ready frame reads the user's rooms
 * and each resync reads messages after a seq. Those queries are parsed at boot, not by the first
 * hundred sockets in parallel on a cold JVM (BENCHMARKS.md, "Warm-up after a start").
 */
@QuarkusTest
@TestProfile(ReconnectQueriesTest.FreshStart.class)
class ReconnectQueriesTest {

    /** An instance of its own, so that no other test has run these queries before this one. */
    public static class FreshStart implements QuarkusTestProfile {
    }

    @Inject
    EntityManagerFactory entityManagerFactory;
    @Inject
    RoomService rooms;
    @Inject
    MessageService messages;

    @Test
    void theReadyFrameAndResyncQueriesAreParsedAtBoot() {
        QueryInterpretationCache parsed = entityManagerFactory.unwrap(SessionFactoryImplementor.class)
                .getQueryEngine().getInterpretationCache();
        int atBoot = parsed.getNumberOfCachedHqlInterpretations();
        assertTrue(atBoot >= 2, "the named queries are parsed at boot: " + atBoot);

        rooms.lastSeqs("reconnect-queries-nobody");
        messages.after("reconnect-queries-no-room", 0, 10);

        assertEquals(atBoot, parsed.getNumberOfCachedHqlInterpretations(), "no query was parsed on first use");
    }
}
