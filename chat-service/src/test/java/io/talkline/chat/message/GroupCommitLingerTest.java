package io.talkline.chat.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.chat.Users;
import io.talkline.chat.room.Caller;
import io.talkline.commons.testing.Metrics;

/**
 * {@code chat.message.group-commit.linger}: a writer that took a send waits for more, up to the
 * linger counted from that send's arrival, and writes what came meanwhile in the same transaction,
 * while its sends come close together; after a pause of eight lingers it writes at once (ADR 0030,
 * amendments of 2026-12-07). The rule's arithmetic is {@link LingerTest}'s; here, the writer follows it.
 */
@QuarkusTest
@TestProfile(GroupCommitLingerTest.Linger.class)
class GroupCommitLingerTest {

    public static class Linger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // long enough that the timings below hold even on a busy machine
            return Map.of("chat.message.group-commit.linger", "400ms");
        }
    }

    @Inject
    MessageWriter writer;

    @Inject
    DataSource dataSource;

    @Test
    void aSendThatComesWhileTheWriterLingersSharesItsTransaction() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        Caller caller = new Caller(alice.id(), Set.of(), alice.token());
        busy(caller, alice.group());
        double batches = Metrics.value("talkline_chat_group_commit_batch_count");
        double batched = Metrics.value("talkline_chat_group_commit_batch_sum");
        double timed = Metrics.value("talkline_chat_group_commit_transaction_seconds_count");

        long start = System.nanoTime();
        CompletableFuture<MessageView> first = writer.submit(caller, room, "first", "one");
        // long enough for a writer that does not linger to have written the first send alone
        Thread.sleep(150);
        assertFalse(first.isDone(), "the writer waits for more before it writes");
        CompletableFuture<MessageView> second = writer.submit(caller, room, "second", "two");

        assertEquals(1, first.get(10, TimeUnit.SECONDS).seq());
        assertEquals(2, second.get(10, TimeUnit.SECONDS).seq());
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(400), "written after the linger");
        assertEquals(1, Metrics.value("talkline_chat_group_commit_batch_count") - batches, "one transaction");
        assertEquals(2, Metrics.value("talkline_chat_group_commit_batch_sum") - batched, "for both sends");
        assertEquals(1, Metrics.value("talkline_chat_group_commit_transaction_seconds_count") - timed,
                "its transaction timed");
    }

    @Test
    void aSendThatWaitedForTheTransactionInHandWaitsNoLingerOnTop() throws Exception {
        Users alice = Users.fresh();
        String held = alice.group();
        String other = alice.group();
        Caller caller = new Caller(alice.id(), Set.of(), alice.token());
        busy(caller, alice.group());

        CompletableFuture<MessageView> first;
        CompletableFuture<MessageView> second;
        long released;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement room = lock.prepareStatement("select last_seq from rooms where id = ? for update")) {
                room.setString(1, held);
                room.executeQuery().close();
            }
            first = writer.submit(caller, held, "first", "one");
            // past the first send's linger, its transaction waits for the room's lock
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(this::writerWaitsForALock);
            second = writer.submit(caller, other, "second", "two");
            // what is under test: the second send spends longer than a linger in the queue
            Thread.sleep(600);
            assertFalse(first.isDone(), "the first send's transaction waits for the lock");
            lock.rollback();
            released = System.nanoTime();
        }

        assertEquals(1, first.get(10, TimeUnit.SECONDS).seq());
        long firstWritten = System.nanoTime();
        assertEquals(1, second.get(10, TimeUnit.SECONDS).seq());
        long secondWritten = System.nanoTime();
        // a linger on top would have held it 400 ms after the first send's commit
        assertTrue(secondWritten - Math.max(released, firstWritten) < TimeUnit.MILLISECONDS.toNanos(250),
                "written at once after the transaction it waited for, not a linger later");
    }

    @Test
    void aQuietWriterWritesASendAtOnce() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        Caller caller = new Caller(alice.id(), Set.of(), alice.token());
        busy(caller, alice.group());
        // a send after a pause of eight lingers is written at once, however busy the writer was
        Thread.sleep(3300);

        long start = System.nanoTime();
        assertEquals(1, writer.submit(caller, room, "alone", "one").get(10, TimeUnit.SECONDS).seq());
        assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(300), "no linger after a pause");
    }

    /** A transaction, the writer's, waits for a row lock. */
    private boolean writerWaitsForALock() throws Exception {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement waits = connection
                        .prepareStatement("select count(*) from information_schema.innodb_trx where trx_state = 'LOCK WAIT'");
                ResultSet count = waits.executeQuery()) {
            count.next();
            return count.getInt(1) > 0;
        }
    }

    /** Ten sends at once: nine close gaps, so afterwards the writer lingers. */
    private void busy(Caller caller, String room) throws Exception {
        List<CompletableFuture<MessageView>> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            burst.add(writer.submit(caller, room, "burst-" + i, "burst"));
        }
        for (CompletableFuture<MessageView> sent : burst) {
            sent.get(10, TimeUnit.SECONDS);
        }
    }
}
