package io.talkline.chat.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.chat.Users;
import io.talkline.chat.room.Caller;
import io.talkline.commons.testing.Metrics;

/**
 * {@code chat.message.group-commit.linger}: a writer that took a send waits that long for more, and
 * writes what came meanwhile in the same transaction (ADR 0030, fourth amendment).
 */
@QuarkusTest
@TestProfile(GroupCommitLingerTest.Linger.class)
class GroupCommitLingerTest {

    public static class Linger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // long enough that the second send below comes well within it, even on a busy machine
            return Map.of("chat.message.group-commit.linger", "400ms");
        }
    }

    @Inject
    MessageWriter writer;

    @Test
    void aSendThatComesWhileTheWriterLingersSharesItsTransaction() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        Caller caller = new Caller(alice.id(), Set.of(), alice.token());
        double batches = Metrics.value("talkline_chat_group_commit_batch_count");
        double batched = Metrics.value("talkline_chat_group_commit_batch_sum");

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
    }
}
