package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.OwnPubSub;
import io.vertx.core.json.JsonObject;

/**
 * ADR 0035: a message written here reaches this instance's sockets at once and once, and a room's
 * message.created frames reach a socket in seq order, whichever instance wrote them.
 */
@QuarkusTest
class MessageOrderTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource redis;

    @Test
    void ownMessagesArriveOnceInOrderAndTheirCopiesFromRedisAreDropped() throws Exception {
        Room r = room();
        Users alice = r.alice();
        String room = r.id();
        FrameClient bobs = r.bobs();
        // the test hears the room's channel too: once it has every copy, so has the instance
        BlockingQueue<String> copies = new LinkedBlockingQueue<>();
        var listener = redis.pubsub(String.class).subscribe(Fanout.roomChannel(room), copies::add);
        try {
            String first = null;
            for (int i = 1; i <= 5; i++) {
                String id = alice.send(room, "own-" + i, "m" + i).statusCode(201).extract().path("id");
                first = first == null ? id : first;
            }
            // a reply is written one by one (ADR 0030), and its frame made there: the same holds for it
            alice.call().body(Map.of("clientMsgId", "own-reply", "type", "text", "body", "re", "replyTo", first))
                    .post("/api/rooms/" + room + "/messages").then().statusCode(201);
            for (long seq = 1; seq <= 6; seq++) {
                assertEquals(seq, bobs.next("message.created").getJsonObject("message").getLong("seq"));
            }
            for (int i = 0; i < 6; i++) {
                assertTrue(copies.poll(10, TimeUnit.SECONDS) != null, "Redis did not carry the message's frame");
            }
            // a marker after the copies, on the same channel: a copy passed on would come before it
            publish(room, new JsonObject().put("type", "typing").put("roomId", room).put("userId", alice.id())
                    .put("typing", true).encode());
            bobs.nextWithout(FrameClient.ofType("typing"), FrameClient.ofType("message.created"));
        } finally {
            listener.unsubscribe();
        }
    }

    @Test
    void anotherInstancesFramesArePassedOnInSeqOrderAndAGapDoesNotStopTheRoom() throws Exception {
        Room r = room();
        String room = r.id();
        FrameClient bobs = r.bobs();
        // frames as another instance publishes them, the third before the second
        publish(room, created(room, 1));
        publish(room, created(room, 3));
        publish(room, created(room, 2));
        for (long seq = 1; seq <= 3; seq++) {
            assertEquals(seq, bobs.next("message.created").getJsonObject("message").getLong("seq"));
        }
        // seq 4 never comes (Redis lost it): 5 is held for a moment, then passed on
        publish(room, created(room, 5));
        assertEquals(5L, bobs.next("message.created").getJsonObject("message").getLong("seq"));
        // and 4, coming after all, is passed on late rather than dropped
        publish(room, created(room, 4));
        assertEquals(4L, bobs.next("message.created").getJsonObject("message").getLong("seq"));
    }

    @Test
    void aMessageWrittenHereArrivesWhileThePubSubConnectionIsDown() throws Exception {
        Room r = room();
        FrameClient bobs = r.bobs();
        // Redis keeps nothing for a subscriber that is away: what arrives now came the local way
        assertTrue(OwnPubSub.kill("chat-service") >= 1, "this instance's pub/sub connection was not found");
        r.alice().send(r.id(), "while-down", "still here").statusCode(201);
        JsonObject created = bobs.next("message.created");
        assertEquals("still here", created.getJsonObject("message").getString("body"));
    }

    @Test
    void theCopyOfAMessageWrittenHereIsDroppedEvenWhenItComesAfterALostConnection() throws Exception {
        Room r = room();
        String room = r.id();
        FrameClient bobs = r.bobs();
        BlockingQueue<String> copies = new LinkedBlockingQueue<>();
        var listener = redis.pubsub(String.class).subscribe(Fanout.roomChannel(room), copies::add);
        try {
            // Redis holds writes: the message's PUBLISH waits, as one does behind a busy instance's others
            redis.execute("CLIENT", "PAUSE", "15000", "WRITE");
            try {
                long seq = r.alice().send(room, "before-loss", "once").statusCode(201).extract().jsonPath().getLong("seq");
                assertEquals(seq, bobs.next("message.created").getJsonObject("message").getLong("seq"));
                // the connection is lost before the copy came, and is opened and subscribed again
                assertTrue(OwnPubSub.kill("chat-service") >= 1, "this instance's pub/sub connection was not found");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> OwnPubSub.subscribed("chat-service") == 1);
            } finally {
                redis.execute("CLIENT", "UNPAUSE");
            }
            // the held PUBLISH goes now: its copy reaches the new connection, then the marker does
            assertTrue(copies.poll(10, TimeUnit.SECONDS) != null, "Redis did not carry the message's frame");
            publish(room, typing(room, "after-the-copy"));
            bobs.nextWithout(frame -> "after-the-copy".equals(frame.getString("userId")),
                    FrameClient.ofType("message.created"));
        } finally {
            listener.unsubscribe();
        }
    }

    /** Alice's room with bob, and bob's socket, ready. */
    private record Room(Users alice, String id, FrameClient bobs) {
    }

    private Room room() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String id = alice.group(bob);
        FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
        bobs.next("ready");
        return new Room(alice, id, bobs);
    }

    private void publish(String room, String frame) {
        redis.pubsub(String.class).publish(Fanout.roomChannel(room), frame);
    }

    private static String typing(String room, String userId) {
        return new JsonObject().put("type", "typing").put("roomId", room).put("userId", userId).put("typing", true).encode();
    }

    private static String created(String room, long seq) {
        return "{\"type\":\"message.created\",\"message\":{\"id\":\"other-" + seq + "\",\"roomId\":\"" + room
                + "\",\"seq\":" + seq + ",\"senderId\":\"someone\",\"type\":\"text\",\"body\":\"from elsewhere\"}}";
    }
}
