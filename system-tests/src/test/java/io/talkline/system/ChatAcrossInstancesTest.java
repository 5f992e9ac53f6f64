package io.talkline.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.talkline.commons.testing.FrameClient;
import io.talkline.devstack.Platform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * chat-service as deployed: two processes sharing MySQL, Redis and Kafka, real tokens from
 * auth-service. Each test talks to the instances directly, so "the other instance" is certain.
 */
class ChatAcrossInstancesTest {

    private static final int BASE_PORT = 18280;
    private static Platform platform;
    private static Platform.Instance auth;
    private static Platform.Instance chat1;
    private static Platform.Instance chat2;

    @BeforeAll
    static void startPlatform() {
        platform = TestUser.platform("run-chat", BASE_PORT);
        auth = platform.instance("auth-service").orElseThrow();
        chat1 = platform.instance("chat-service-1").orElseThrow();
        chat2 = platform.instance("chat-service-2").orElseThrow();
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.down();
        }
    }

    private static TestUser user() {
        return TestUser.register(auth);
    }

    private static String group(TestUser owner, List<TestUser> members) {
        return owner.at(chat1).body(new JsonObject(Map.of("type", "group", "name", "across", "memberIds",
                members.stream().map(TestUser::id).toList())).encode()).post("/api/rooms").then().statusCode(201).extract()
                .path("id");
    }

    private static io.restassured.response.ExtractableResponse<?> send(TestUser user, Platform.Instance instance, String room,
            String clientMsgId) {
        return user.at(instance)
                .body(new JsonObject(Map.of("clientMsgId", clientMsgId, "type", "text", "body", "m " + clientMsgId)).encode())
                .post("/api/rooms/" + room + "/messages").then().extract();
    }

    private static FrameClient connect(TestUser user, Platform.Instance instance) throws Exception {
        FrameClient client = FrameClient.connect(
                URI.create("ws://127.0.0.1:" + instance.port() + "/ws/chat?access_token=" + user.token()));
        client.next("ready");
        return client;
    }

    private static boolean presence(TestUser user, String status, JsonObject frame) {
        return user.id().equals(frame.getString("userId")) && status.equals(frame.getString("status"));
    }

    @Test
    void aMessageSentThroughOneInstanceReachesASocketOnTheOther() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = group(alice, List.of(bob));
        FrameClient onTwo = connect(bob, chat2);
        FrameClient onOne = connect(alice, chat1);
        send(alice, chat1, room, "one-to-two");
        assertEquals("m one-to-two", onTwo.next("message.created").getJsonObject("message").getString("body"));
        send(bob, chat2, room, "two-to-one");
        JsonObject back = onOne.next("message.created").getJsonObject("message");
        // alice's own first message comes first on her socket, then bob's
        if (back.getString("clientMsgId").equals("one-to-two")) {
            back = onOne.next("message.created").getJsonObject("message");
        }
        assertEquals("m two-to-one", back.getString("body"));
        onOne.socket().abort();
        onTwo.socket().abort();
    }

    @Test
    void aThousandConcurrentSendsThroughBothInstancesGetSeqOneToAThousand() throws Exception {
        TestUser owner = user();
        List<TestUser> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            clients.add(user());
        }
        String room = group(owner, clients);
        List<Future<Integer>> sends = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 1000; i++) {
                TestUser sender = clients.get(i % 20);
                Platform.Instance instance = i % 2 == 0 ? chat1 : chat2;
                String clientMsgId = "k" + i;
                sends.add(pool.submit(() -> send(sender, instance, room, clientMsgId).statusCode()));
            }
            for (Future<Integer> send : sends) {
                assertEquals(201, send.get());
            }
        }
        List<Long> seqs = new ArrayList<>();
        long after = 0;
        boolean more = true;
        while (more) {
            var page = owner.at(chat2).queryParam("after", after).queryParam("limit", 100)
                    .get("/api/rooms/" + room + "/messages").then().statusCode(200).extract().jsonPath();
            seqs.addAll(page.getList("items.seq", Long.class));
            more = page.getBoolean("hasMore");
            after = seqs.getLast();
        }
        assertEquals(1000, seqs.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i + 1, seqs.get(i));
        }
    }

    @Test
    void theSameClientMsgIdSentToBothInstancesIsOneMessage() throws Exception {
        TestUser alice = user();
        String room = group(alice, List.of());
        Set<String> ids = new HashSet<>();
        int created = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<io.restassured.response.ExtractableResponse<?>>> tries = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Platform.Instance instance = i % 2 == 0 ? chat1 : chat2;
                tries.add(pool.submit(() -> send(alice, instance, room, "only-once")));
            }
            for (var attempt : tries) {
                created += attempt.get().statusCode() == 201 ? 1 : 0;
                ids.add(attempt.get().path("id"));
            }
        }
        assertEquals(1, created);
        assertEquals(1, ids.size());
        alice.at(chat2).get("/api/rooms/" + room).then().statusCode(200).extract().path("lastSeq");
        assertEquals(1, (int) alice.at(chat2).get("/api/rooms/" + room).then().extract().path("lastSeq"));
    }

    @Test
    void aClientThatMissedMessagesRecoversExactlyOnTheOtherInstance() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = group(alice, List.of(bob));
        FrameClient first = connect(bob, chat1);
        send(alice, chat1, room, "seen-1");
        long lastSeen = first.next("message.created").getJsonObject("message").getLong("seq");
        first.socket().abort(); // bob's connection drops
        for (int i = 0; i < 25; i++) {
            send(alice, i % 2 == 0 ? chat1 : chat2, room, "missed-" + i);
        }
        FrameClient second = connect(bob, chat2);
        second.socket().sendText(new JsonObject().put("type", "resync").put("rooms",
                new JsonArray().add(new JsonObject().put("roomId", room).put("afterSeq", lastSeen))).encode(), true).get();
        List<Long> replayed = new ArrayList<>();
        while (true) {
            JsonObject frame = second.frames().poll(15, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("resync did not finish");
            }
            if (frame.getString("type").equals("message.created")) {
                replayed.add(frame.getJsonObject("message").getLong("seq"));
            } else if (frame.getString("type").equals("resync.done")) {
                assertEquals(26L, frame.getLong("lastSeq"));
                break;
            }
        }
        List<Long> expected = new ArrayList<>();
        for (long seq = lastSeen + 1; seq <= 26; seq++) {
            expected.add(seq);
        }
        assertEquals(expected, replayed);
        second.socket().abort();
    }

    @Test
    void presenceTypingAndReceiptsReachTheOtherInstance() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = group(alice, List.of(bob));
        FrameClient bobs = connect(bob, chat2);
        FrameClient alices = connect(alice, chat1);
        bobs.next("presence", f -> presence(alice, "online", f));
        alices.send(new JsonObject().put("type", "typing").put("roomId", room).put("typing", true));
        assertEquals(alice.id(), bobs.next("typing", f -> f.getBoolean("typing")).getString("userId"));
        send(bob, chat2, room, "hello-alice");
        alices.next("message.created");
        alices.send(new JsonObject().put("type", "receipt").put("roomId", room).put("kind", "seen").put("upToSeq", 1));
        assertEquals(1L, bobs.next("receipt.updated", f -> alice.id().equals(f.getString("userId"))).getLong("seenSeq"));
        alices.socket().sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        // she stopped typing with her socket, and went offline with it (the two frames come from
        // different threads of her instance: in either order)
        boolean stoppedTyping = false;
        boolean offline = false;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(stoppedTyping && offline) && System.nanoTime() < end) {
            JsonObject frame = bobs.frames().poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && alice.id().equals(frame.getString("userId"))) {
                stoppedTyping |= "typing".equals(frame.getString("type")) && !frame.getBoolean("typing");
                offline |= "presence".equals(frame.getString("type")) && presence(alice, "offline", frame);
            }
        }
        assertTrue(stoppedTyping && offline, "typing stopped: " + stoppedTyping + ", offline: " + offline);
        bobs.socket().abort();
    }

    @Test
    void usersOfAKilledInstanceGoOfflineAndNoGhostStays() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = group(alice, List.of(bob));
        FrameClient bobs = connect(bob, chat2);
        connect(alice, chat1);
        bobs.next("presence", f -> presence(alice, "online", f));
        try {
            platform.kill(chat1);
            long killed = System.nanoTime();
            // ttl 6 s in these tests (surefire environment), swept every second by the surviving instance
            JsonObject offline = bobs.next("presence", f -> presence(alice, "offline", f));
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
            assertTrue(seconds <= 12, "offline after " + seconds + " s");
            assertTrue(offline.getString("lastSeenAt") != null);
            assertEquals("offline", bob.at(chat2).get("/api/rooms/" + room + "/presence").then().statusCode(200)
                    .extract().jsonPath().getString("items.find { it.userId == '" + alice.id() + "' }.status"));
        } finally {
            platform.start(chat1);
            platform.awaitReady(chat1);
        }
        bobs.socket().abort();
    }

    @Test
    void sigtermSendsClientsToTheOtherInstanceAndNothingIsLostOrDoubled() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        String room = group(alice, List.of(bob));
        FrameClient bobs = connect(bob, chat1);
        int total = 80;
        Set<Long> received = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Boolean> stopped = null;
        try {
            // alice sends steadily through the instance that is about to stop; a send that fails is
            // retried with the same clientMsgId on the other instance
            Future<Set<Long>> sent = pool.submit(() -> {
                Set<Long> seqs = new HashSet<>();
                for (int i = 0; i < total; i++) {
                    String clientMsgId = "sigterm-" + i;
                    Long seq = null;
                    for (Platform.Instance target : List.of(chat1, chat2, chat2, chat2)) {
                        try {
                            var answer = send(alice, target, room, clientMsgId);
                            if (answer.statusCode() == 201 || answer.statusCode() == 200) {
                                seq = ((Number) answer.path("seq")).longValue();
                                break;
                            }
                        } catch (Exception refused) {
                            // connection refused or reset while the instance stops (REST Assured
                            // throws the IOException unchecked): try the other one
                        }
                    }
                    assertTrue(seq != null, clientMsgId + " was never accepted");
                    seqs.add(seq);
                    Thread.sleep(25); // pacing: the 80 sends span the instance's shutdown
                }
                return seqs;
            });
            for (int i = 0; i < 15; i++) {
                received.add(bobs.next("message.created").getJsonObject("message").getLong("seq"));
            }
            stopped = pool.submit(() -> platform.stop(chat1));
            // the instance tells its clients to go elsewhere
            assertEquals(1012, bobs.closed().get(15, TimeUnit.SECONDS));
            for (JsonObject frame = bobs.frames().poll(); frame != null; frame = bobs.frames().poll()) {
                if ("message.created".equals(frame.getString("type"))) {
                    received.add(frame.getJsonObject("message").getLong("seq"));
                }
            }
            // the client resyncs from the end of what it holds without a gap
            long last = 0;
            while (received.contains(last + 1)) {
                last++;
            }
            FrameClient again = connect(bob, chat2);
            again.send(new JsonObject().put("type", "resync").put("rooms",
                    new JsonArray().add(new JsonObject().put("roomId", room).put("afterSeq", last))));
            // replayed and live frames interleave until resync.done: keep every message frame
            for (JsonObject frame = again.frames().poll(15, TimeUnit.SECONDS); !"resync.done"
                    .equals(frame.getString("type")); frame = again.frames().poll(15, TimeUnit.SECONDS)) {
                if ("message.created".equals(frame.getString("type"))) {
                    received.add(frame.getJsonObject("message").getLong("seq"));
                }
            }
            Set<Long> sentSeqs = sent.get(60, TimeUnit.SECONDS);
            assertTrue(stopped.get(60, TimeUnit.SECONDS));
            // live frames on the new socket cover what was sent after its resync
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (received.size() < total && System.nanoTime() < end) {
                drain(again, received);
            }
            Set<Long> expected = new HashSet<>();
            for (long seq = 1; seq <= total; seq++) {
                expected.add(seq);
            }
            assertEquals(expected, sentSeqs, "every send stored exactly once");
            assertEquals(expected, new HashSet<>(received), "bob has every message");
            assertEquals(total, bob.at(chat2).get("/api/rooms/" + room + "/messages?limit=100").then().statusCode(200)
                    .extract().jsonPath().getList("items").size());
            again.socket().abort();
        } finally {
            if (stopped != null) {
                try {
                    stopped.get(60, TimeUnit.SECONDS); // a stop cut short would leave the old process
                } catch (Exception e) {
                    // the test has failed already; start it again all the same
                }
            }
            pool.shutdownNow();
            platform.start(chat1);
            platform.awaitReady(chat1);
        }
    }

    private static void drain(FrameClient socket, Set<Long> received) throws InterruptedException {
        JsonObject frame = socket.frames().poll(100, TimeUnit.MILLISECONDS);
        if (frame != null && "message.created".equals(frame.getString("type"))) {
            received.add(frame.getJsonObject("message").getLong("seq"));
        }
    }

    /**
     * Media end to end through the gateway: an upload is its uploader's alone until a message in a
     * room carries it (chat-service checks the mediaId with media-service; media-service learns
     * of the message from chat.messages.v1), then the room's members read it, and nobody else.
     */
    @Test
    void aPictureSentInARoomIsReadByItsMembersAndNobodyElse() throws Exception {
        TestUser alice = user();
        TestUser bob = user();
        TestUser eve = user();
        String room = group(alice, List.of(bob));
        Platform.Instance gateway = platform.instance("gateway").orElseThrow();
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String id = given().baseUri(gateway.url()).port(gateway.port())
                .header("Authorization", "Bearer " + alice.token()).multiPart("kind", "image")
                .multiPart("file", "p.png", png.toByteArray(), "image/png").post("/api/media").then().statusCode(201)
                .extract().path("id");
        bob.at(gateway).get("/api/media/" + id).then().statusCode(404);
        // bob cannot pass alice's upload off as his
        bob.at(chat1).body(new JsonObject(Map.of("clientMsgId", "stolen", "type", "image", "mediaId", id)).encode())
                .post("/api/rooms/" + room + "/messages").then().statusCode(400);

        String messageId = alice.at(chat2)
                .body(new JsonObject(Map.of("clientMsgId", "picture", "type", "image", "mediaId", id)).encode())
                .post("/api/rooms/" + room + "/messages").then().statusCode(201).extract().path("id");
        String url = Awaitility.await().atMost(Duration.ofSeconds(20)).until(
                () -> bob.at(gateway).get("/api/media/" + id).then().extract(),
                response -> response.statusCode() == 200).path("url");
        var fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertTrue(Arrays.equals(png.toByteArray(), fetched.body()), "the very bytes");
        eve.at(gateway).get("/api/media/" + id).then().statusCode(404);

        alice.at(chat1).delete("/api/rooms/" + room + "/messages/" + messageId).then().statusCode(204);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> bob.at(gateway).get("/api/media/" + id).then().extract().statusCode() == 404);
    }
}
