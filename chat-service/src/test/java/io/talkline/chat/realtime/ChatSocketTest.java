package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.auth.Revocations;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.OwnPubSub;
import io.talkline.commons.testing.TestTokens;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class ChatSocketTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private FrameClient connect(String token) throws Exception {
        return FrameClient.connect(base, "/ws/chat", token);
    }

    @Test
    void anUpgradeWithoutAValidTokenIsRefusedWith401() {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> connect("not-a-token"));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException);
        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void readyListsTheRoomsAndMessagesArriveLive() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        alice.send(room, "before", "hi").statusCode(201);
        FrameClient bobs = connect(bob.token());
        JsonObject ready = bobs.next("ready");
        assertEquals(bob.id(), ready.getString("userId"));
        assertEquals(1L, ready.getJsonArray("rooms").getJsonObject(0).getLong("lastSeq"));

        double deliveredBefore = Metrics.value("talkline_chat_frames_delivered_total");
        alice.send(room, "live", "are you there?").statusCode(201);
        JsonObject created = bobs.next("message.created");
        assertEquals("are you there?", created.getJsonObject("message").getString("body"));
        assertEquals(2L, created.getJsonObject("message").getLong("seq"));
        // counted once the write completed: a moment after the client may have read it
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Metrics.value("talkline_chat_frames_delivered_total") > deliveredBefore);

        // a room opened after the socket: the socket follows it through the user's channel
        Users carol = Users.fresh();
        String later = carol.group(bob);
        assertEquals(later, bobs.next("room.created").getJsonObject("room").getString("id"));
        carol.send(later, "new-room", "welcome").statusCode(201);
        assertEquals(later, bobs.next("message.created").getJsonObject("message").getString("roomId"));

        // typing goes to the others in the room
        FrameClient alices = connect(alice.token());
        alices.next("ready");
        bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
        JsonObject typing = alices.next("typing");
        assertEquals(bob.id(), typing.getString("userId"));
    }

    @Test
    void receiptsAndReactionsReachTheOthersInTheRoom() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        String id = alice.send(room, "rr", "hello").statusCode(201).extract().path("id");
        FrameClient alices = connect(alice.token());
        alices.next("ready");
        FrameClient bobs = connect(bob.token());
        bobs.next("ready");
        bobs.send(new JsonObject().put("type", "receipt").put("roomId", room).put("kind", "seen").put("upToSeq", 1));
        JsonObject receipt = alices.next("receipt.updated");
        assertEquals(bob.id(), receipt.getString("userId"));
        assertEquals(1L, receipt.getLong("seenSeq"));
        assertEquals(1L, receipt.getLong("deliveredSeq"));
        bob.call().put("/api/rooms/" + room + "/messages/" + id + "/reactions/❤️").then().statusCode(204);
        JsonObject reaction = alices.next("reaction.added");
        assertEquals("❤️", reaction.getString("emoji"));
        assertEquals(id, reaction.getString("messageId"));
    }

    @Test
    void resyncReplaysExactlyWhatWasMissedThenSaysDone() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        for (int i = 1; i <= 7; i++) {
            alice.send(room, "r" + i, "m" + i).statusCode(201);
        }
        FrameClient client = connect(alice.token());
        client.next("ready");
        client.send(new JsonObject().put("type", "resync").put("rooms",
                List.of(Map.of("roomId", room, "afterSeq", 3))));
        for (long seq = 4; seq <= 7; seq++) {
            assertEquals(seq, client.next("message.created").getJsonObject("message").getLong("seq"));
        }
        assertEquals(7L, client.next("resync.done").getLong("lastSeq"));
        client.send(new JsonObject().put("type", "resync").put("rooms",
                List.of(Map.of("roomId", UUID.randomUUID().toString(), "afterSeq", 0))));
        assertEquals("not_found", client.next("error").getString("code"));
        // and a send over the socket is acknowledged with the stored message
        client.send(new JsonObject().put("type", "send").put("roomId", room).put("clientMsgId", "ws-1").put("body", "hey"));
        assertEquals(8L, client.next("ack").getJsonObject("message").getLong("seq"));
    }

    @Test
    void aMalformedResyncGetsABadRequestNamingTheField() throws Exception {
        Users alice = Users.fresh();
        FrameClient client = connect(alice.token());
        client.next("ready");
        String[][] cases = { { "{\"type\":\"resync\",\"rooms\":\"x\"}", "rooms" },
                { "{\"type\":\"resync\",\"rooms\":[1]}", "rooms[0]" },
                { "{\"type\":\"resync\",\"rooms\":[{\"roomId\":5}]}", "rooms[0].roomId" },
                { "{\"type\":\"resync\",\"rooms\":[{\"roomId\":\"r\",\"afterSeq\":\"abc\"}]}", "rooms[0].afterSeq" },
                { "{\"type\":\"resync\"}", "rooms" } };
        for (String[] bad : cases) {
            client.socket().sendText(bad[0], true).get(5, TimeUnit.SECONDS);
            JsonObject error = client.next("error");
            assertEquals("bad_request", error.getString("code"), bad[0]);
            assertEquals("resync", error.getString("ref"), bad[0]);
            assertTrue(error.getString("message").startsWith(bad[1] + ":"), bad[0] + " -> " + error.encode());
        }
        client.send(new JsonObject().put("type", "ping"));
        client.next("pong");
    }

    @Test
    void aSendWithFieldsOfTheWrongTypeGetsABadRequestAndTheSocketStaysOpen() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        FrameClient client = connect(alice.token());
        client.next("ready");
        // found by the fuzzer: a number as clientMsgId broke the error answer itself (no frame at all)
        String[] cases = { "{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":-7.25,\"body\":\"x\"}",
                "{\"type\":\"send\",\"roomId\":\"" + room + "\",\"clientMsgId\":\"c1\",\"body\":{}}",
                "{\"type\":\"send\",\"roomId\":[],\"clientMsgId\":\"c2\",\"body\":\"x\"}" };
        for (String bad : cases) {
            client.socket().sendText(bad, true).get(5, TimeUnit.SECONDS);
            assertEquals("bad_request", client.next("error").getString("code"), bad);
        }
        client.send(new JsonObject().put("type", "ping"));
        client.next("pong");
    }

    @Test
    void aMemberRemovedWhileThePubSubConnectionWasDownStopsGettingTheRoom() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        String other = alice.group(bob);
        FrameClient bobs = connect(bob.token());
        bobs.next("ready");
        // the removal's frame is lost with the connection: the database changes, no message arrives.
        // Only this JVM's pub/sub connection goes, not those of whatever else shares this Redis.
        assertTrue(OwnPubSub.kill("chat-service") >= 1, "this instance's pub/sub connection was not found");
        try (var sql = java.sql.DriverManager.getConnection(jdbcUrl, io.talkline.devstack.Infra.MARIADB_USER,
                io.talkline.devstack.Infra.MARIADB_PASSWORD);
                var delete = sql.prepareStatement("DELETE FROM room_members WHERE room_id = ? AND user_id = ?")) {
            delete.setString(1, room);
            delete.setString(2, bob.id());
            assertEquals(1, delete.executeUpdate());
        }
        // once subscribed again, the socket's rooms are read afresh: typing to the room is refused. Frames
        // are answered in order, so the pong tells whether the typing before it was refused.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            bobs.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", false));
            bobs.send(new JsonObject().put("type", "ping"));
            return untilPong(bobs).stream().anyMatch(f -> "error".equals(f.getString("type"))
                    && "not_found".equals(f.getString("code")) && "typing".equals(f.getString("ref")));
        });
        // and its messages no longer arrive, while those of the room bob is still in do (published after)
        alice.send(room, "unseen", "not for bob").statusCode(201);
        alice.send(other, "seen", "for bob").statusCode(201);
        JsonObject next = bobs.next("message.created");
        assertEquals(other, next.getJsonObject("message").getString("roomId"));
    }

    /** The frames that arrive before the next pong (a ping's answer comes after those of the frames before it). */
    private static List<JsonObject> untilPong(FrameClient client) throws InterruptedException {
        List<JsonObject> before = new java.util.ArrayList<>();
        for (JsonObject frame = client.frames().poll(10, TimeUnit.SECONDS); frame != null
                && !"pong".equals(frame.getString("type")); frame = client.frames().poll(10, TimeUnit.SECONDS)) {
            before.add(frame);
        }
        return before;
    }

    @Test
    void aSocketOfARevokedSessionIsClosedWith4401() throws Exception {
        String userId = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        FrameClient revoked = connect(TestTokens.sessionToken(userId, session));
        revoked.next("ready");
        FrameClient other = connect(TestTokens.token(userId));
        other.next("ready");
        // what auth-service writes on logout or disable: the key, and the message for mirrors
        String key = Revocations.sessionKey(session);
        redis.value(String.class).setex(key, 60, "1");
        redis.pubsub(String.class).publish(Revocations.CHANNEL, Revocations.message(key, "1", 60_000));
        assertEquals(4401, revoked.closed().get(10, TimeUnit.SECONDS));
        other.send(new JsonObject().put("type", "ping"));
        assertEquals("pong", other.next("pong").getString("type"));
        assertTrue(!other.closed().isDone());
    }
}
