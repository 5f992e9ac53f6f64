package io.talkline.chat.message;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.MediaStandIn;
import io.talkline.chat.Users;
import io.talkline.chat.room.Caller;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TopicReader;
import io.vertx.core.json.JsonObject;

@QuarkusTest
class MessagesTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    MessageWriter writer;
    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void answersCarryingMessagesAreNeverStored() {
        Users alice = Users.fresh();
        String room = alice.group();
        String messages = "/api/rooms/" + room + "/messages";
        String id = alice.send(room, "private", "secret").statusCode(201).header("Cache-Control", "no-store").extract()
                .path("id");
        alice.call().get(messages).then().statusCode(200).header("Cache-Control", "no-store");
        alice.call().body(Map.of("body", "still secret")).patch(messages + "/" + id).then().statusCode(200)
                .header("Cache-Control", "no-store");
        alice.call().get("/api/rooms").then().statusCode(200).header("Cache-Control", "no-store");
        alice.call().get("/api/rooms/" + room).then().statusCode(200).header("Cache-Control", "no-store");
    }

    @Test
    void messageIdsAreTimeOrderedUuids() {
        Users alice = Users.fresh();
        String room = alice.group();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(alice.send(room, "ordered-" + i, "m" + i).statusCode(201).extract().path("id"));
        }
        // a reply is written one by one, not by group commit (ADR 0030): its id is made the same way
        ids.add(alice.call().body(Map.of("clientMsgId", "ordered-reply", "type", "text", "body", "re", "replyTo", ids.get(0)))
                .post("/api/rooms/" + room + "/messages").then().statusCode(201).extract().path("id"));
        for (String id : ids) {
            assertEquals(7, UUID.fromString(id).version(), id + " is a version 7 (time-ordered) UUID");
        }
        // in the order they were sent, so a new row goes to the end of the table's clustered index (ADR 0031)
        assertEquals(ids.stream().sorted().toList(), ids);
    }

    @Test
    void concurrentSendsGetAGaplessUniqueSequence() throws Exception {
        Users owner = Users.fresh();
        List<Users> senders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            senders.add(Users.fresh());
        }
        String room = owner.group(senders.toArray(Users[]::new));
        double sentBefore = Metrics.value("talkline_chat_messages_sent_total", "type=text");
        double batchesBefore = Metrics.value("talkline_chat_group_commit_batch_count");
        double batchedBefore = Metrics.value("talkline_chat_group_commit_batch_sum");
        List<Future<Integer>> sends = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 200; i++) {
                Users sender = senders.get(i % senders.size());
                int n = i;
                sends.add(pool.submit(() -> sender.send(room, "c-" + n, "message " + n).extract().statusCode()));
            }
            for (Future<Integer> send : sends) {
                assertEquals(201, send.get());
            }
        }
        List<Integer> seqs = new ArrayList<>();
        Long after = 0L;
        boolean more = true;
        while (more) {
            var page = owner.call().queryParam("after", after).queryParam("limit", 100).get("/api/rooms/" + room + "/messages")
                    .then().statusCode(200).extract().jsonPath();
            seqs.addAll(page.getList("items.seq", Integer.class));
            more = page.getBoolean("hasMore");
            after = (long) seqs.getLast();
        }
        assertEquals(200, seqs.size());
        for (int i = 0; i < 200; i++) {
            assertEquals(i + 1, seqs.get(i), "seq without gap or duplicate");
        }
        owner.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(200));
        assertEquals(sentBefore + 200, Metrics.value("talkline_chat_messages_sent_total", "type=text"));
        // written by group commits (ADR 0030), several sends to a transaction
        double batches = Metrics.value("talkline_chat_group_commit_batch_count") - batchesBefore;
        double batched = Metrics.value("talkline_chat_group_commit_batch_sum") - batchedBefore;
        assertEquals(200, batched, "every send went with a group commit");
        assertTrue(batches < batched, batches + " transactions for " + batched + " sends");
    }

    @Test
    void sendsAGroupCommitRefusesAreAnsweredOneByOneWithoutAGap() throws Exception {
        Users owner = Users.fresh();
        List<Users> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            members.add(Users.fresh());
        }
        String room = owner.group(members.toArray(Users[]::new));
        Users stranger = Users.fresh();
        owner.send(room, "used", "first").statusCode(201);
        double handedBackBefore = Metrics.value("talkline_chat_group_commit_handed_back_total");
        List<Future<io.restassured.response.ExtractableResponse<?>>> sends = new ArrayList<>();
        List<Future<io.restassured.response.ExtractableResponse<?>>> refused = new ArrayList<>();
        List<Future<io.restassured.response.ExtractableResponse<?>>> repeated = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (int i = 0; i < 60; i++) {
                Users sender = members.get(i % members.size());
                int n = i;
                sends.add(pool.submit(() -> sender.send(room, "g-" + n, "message " + n).extract()));
                if (i % 10 == 0) {
                    refused.add(pool.submit(() -> stranger.send(room, "s-" + n, "let me in").extract()));
                    repeated.add(pool.submit(() -> owner.send(room, "used", "again").extract()));
                }
            }
            for (var send : sends) {
                assertEquals(201, send.get().statusCode());
            }
            for (var send : refused) {
                assertEquals(404, send.get().statusCode());
            }
            for (var send : repeated) {
                assertEquals(200, send.get().statusCode());
                assertEquals("first", send.get().path("body"));
            }
        }
        owner.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(61));
        // only the 6 refused and the 6 repeated sends went one by one: a batch with a repeated
        // clientMsgId is written again without it, not handed back whole
        assertEquals(12, Metrics.value("talkline_chat_group_commit_handed_back_total") - handedBackBefore);
        var page = owner.call().queryParam("limit", 100).get("/api/rooms/" + room + "/messages").then().statusCode(200)
                .extract().jsonPath();
        List<Integer> seqs = page.getList("items.seq", Integer.class);
        assertEquals(61, seqs.size());
        for (int i = 0; i < 61; i++) {
            assertEquals(i + 1, seqs.get(i), "seq without gap or duplicate");
        }
        // what a send answered is what is stored (Connector/J takes MariaDB, which announces itself
        // as 5.5.5-…, for a server without fractional seconds and sends whole seconds; MySQL 8 keeps them)
        var answer = sends.getFirst().get();
        Map<String, Object> stored = page.getMap("items.find { it.id == '" + answer.path("id") + "' }");
        java.time.Instant answered = java.time.Instant.parse(answer.path("createdAt"));
        java.time.Instant kept = java.time.Instant.parse((String) stored.get("createdAt"));
        assertTrue(kept.equals(answered) || kept.equals(answered.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                answered + " answered, " + kept + " stored");
        assertEquals(answer.path("seq"), stored.get("seq"));
        assertEquals("message 0", stored.get("body"));
    }

    @Test
    void aRepeatedClientMsgIdInABatchGoesOneByOneAndTheRestOfTheBatchIsWritten() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        alice.send(room, "stored", "first").statusCode(201);
        Caller caller = new Caller(alice.id(), java.util.Set.of(), alice.token());
        // queued in one burst, so the writers take them in a few batches; the repeats go last, in
        // the batch with the most sends: one already stored, one twice in the burst
        List<java.util.concurrent.CompletableFuture<MessageView>> fresh = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fresh.add(writer.submit(caller, room, "burst-" + i, "m" + i));
        }
        var stored = writer.submit(caller, room, "stored", "again");
        var twice = writer.submit(caller, room, "burst-19", "again");
        for (var send : fresh) {
            assertTrue(send.get() != null, "a fresh send of the batch is written by the batch");
        }
        // null: the caller writes it one by one (and answers 200 with the stored message)
        assertEquals(null, stored.get());
        assertEquals(null, twice.get());
        alice.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(21));
    }

    @Test
    void sendsThatWaitedMaxWaitAreHandedBackAndTheirBatchIsNotCommitted() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        Caller caller = new Caller(alice.id(), java.util.Set.of(), alice.token());
        // a connection another test left broken (ConnectionLossTest) would hand the first batch back:
        // the writer commits one send in another room first, on a connection that works
        String warm = alice.group();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> writer
                .submit(caller, warm, "warm-" + UUID.randomUUID(), "w").get(10, java.util.concurrent.TimeUnit.SECONDS) != null);
        java.util.concurrent.CompletableFuture<MessageView> first;
        java.util.concurrent.CompletableFuture<MessageView> second;
        try (java.sql.Connection holder = dataSource.getConnection()) {
            // a stuck database, as the writer sees it: another transaction holds the room's row
            holder.setAutoCommit(false);
            try (var lock = holder.prepareStatement("select id from rooms where id = ? for update")) {
                lock.setString(1, room);
                lock.executeQuery().close();
            }
            first = writer.submit(caller, room, "stuck-1", "one");
            awaitWriterWaitingForARow();
            second = writer.submit(caller, room, "stuck-2", "two"); // queued behind that batch
            writer.expire(System.nanoTime());
            assertTrue(!first.isDone() && !second.isDone(), "neither has waited max-wait yet");
            // max-wait later: both go one by one (their callers write them)
            writer.expire(System.nanoTime() + Duration.ofSeconds(5).toNanos());
            assertEquals(null, first.get(1, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(null, second.get(1, java.util.concurrent.TimeUnit.SECONDS));
            holder.rollback();
        }
        // the batch that held the first send rolled back rather than commit a send handed back, and
        // the queued one was skipped: the next send takes seq 1, by group commit
        MessageView next = writer.submit(caller, room, "after", "three").get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(next != null, "the writer goes on after a stuck batch");
        assertEquals(1, next.seq());
        alice.call().get("/api/rooms/" + room + "/messages").then().statusCode(200).body("items.size()", equalTo(1));
    }

    /**
     * Until the writer waits for a row lock held elsewhere (its batch is in flight). A batch of one
     * send waits in the one statement that checks the sender and moves the seq, not in the lock
     * SELECT of larger batches.
     */
    private void awaitWriterWaitingForARow() throws Exception {
        try (java.sql.Connection probe = dataSource.getConnection();
                var waiting = probe.prepareStatement("select count(*) from information_schema.innodb_trx "
                        + "where trx_state = 'LOCK WAIT' and trx_query like 'update rooms r straight_join room_members m%'")) {
            Awaitility.await("the writer waiting for the held row").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        try (var rows = waiting.executeQuery()) {
                            rows.next();
                            return rows.getInt(1) > 0;
                        }
                    });
        }
    }

    @Test
    void aLoneSendIsCheckedAndNumberedByItsOwnStatement() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        Users stranger = Users.fresh();
        Users moderator = Users.fresh("user", "moderator");
        String room = alice.group(bob);
        String other = alice.group(bob);
        // one send at a time: each is a batch of its own
        java.util.function.BiFunction<Users, String, MessageView> send = (sender, in) -> {
            try {
                return writer.submit(new Caller(sender.id(), java.util.Set.of(), sender.token()), in,
                        "lone-" + UUID.randomUUID(), "hello").get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertEquals(1, send.apply(alice, room).seq());
        assertEquals(2, send.apply(bob, room).seq());
        assertEquals(1, send.apply(bob, other).seq(), "each room its own seq");
        assertEquals(null, send.apply(stranger, room), "not a member: handed back");
        String muteInRoom = moderator.call().body(Map.of("userId", bob.id(), "roomId", room, "durationSeconds", 600,
                "reason", "test")).post("/api/moderation/mutes").then().statusCode(201).extract().path("id");
        assertEquals(null, send.apply(bob, room), "muted in the room: handed back");
        assertEquals(2, send.apply(bob, other).seq(), "a room mute holds in that room only");
        moderator.call().delete("/api/moderation/mutes/" + muteInRoom).then().statusCode(204);
        moderator.call().body(Map.of("userId", bob.id(), "durationSeconds", 600, "reason", "test"))
                .post("/api/moderation/mutes").then().statusCode(201);
        assertEquals(null, send.apply(bob, other), "muted everywhere: handed back");
        assertEquals(3, send.apply(alice, room).seq(), "refused sends took no seq");
        alice.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(3));
        alice.call().get("/api/rooms/" + other).then().body("lastSeq", equalTo(2));
    }

    @Test
    void aBatchOverSeveralRoomsWritesWhatMayBeSentAndHandsBackTheRest() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        Users muted = Users.fresh();
        Users stranger = Users.fresh();
        Users moderator = Users.fresh("user", "moderator");
        List<String> rooms = List.of(alice.group(bob, muted), alice.group(bob, muted), alice.group(bob));
        moderator.call().body(Map.of("userId", muted.id(), "roomId", rooms.get(1), "durationSeconds", 600, "reason",
                "test")).post("/api/moderation/mutes").then().statusCode(201);
        // one burst, so the writer takes it in few batches that span the three rooms; a refused
        // send — a stranger, a member muted in that room, a non-member — does not hold up the rest
        record Sent(String room, Users sender, java.util.concurrent.CompletableFuture<MessageView> result) {
        }
        List<Sent> burst = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String room = rooms.get(i % 3);
            Users sender = switch (i % 5) {
                case 0 -> stranger;
                case 1 -> muted;
                case 2 -> bob;
                default -> alice;
            };
            burst.add(new Sent(room, sender, writer.submit(new Caller(sender.id(), java.util.Set.of(), sender.token()), room,
                    "b-" + i, "m" + i)));
        }
        Map<String, List<Long>> seqs = new java.util.HashMap<>();
        for (Sent send : burst) {
            boolean mayWrite = send.sender == alice || send.sender == bob
                    || send.sender == muted && !send.room.equals(rooms.get(1)) && !send.room.equals(rooms.get(2));
            MessageView written = send.result.get();
            if (mayWrite) {
                assertTrue(written != null, "written by the batch");
                assertEquals(send.room, written.roomId());
                seqs.computeIfAbsent(send.room, r -> new ArrayList<>()).add(written.seq());
            } else {
                assertEquals(null, written, "handed back: the one-by-one path answers it");
            }
        }
        for (String room : rooms) {
            List<Long> roomSeqs = seqs.get(room);
            for (int i = 0; i < roomSeqs.size(); i++) {
                assertEquals(i + 1, roomSeqs.get(i), "per room, in the order sent, without a gap");
            }
            alice.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(roomSeqs.size()));
        }
        // and answered as always: 404 for the stranger, 403 muted
        stranger.send(rooms.get(0), "late-1", "hello").statusCode(404);
        muted.send(rooms.get(1), "late-2", "hello").statusCode(403).body("code", equalTo("muted"));
    }

    @Test
    void aListsPlaceholdersAreRoundedUpToAPowerOfTwo() {
        assertEquals(List.of(1, 2, 4, 4, 8, 8, 8, 8, 16, 64, 64),
                java.util.stream.IntStream.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 33, 64)
                        .map(MessageWriter::slots).boxed().toList());
        // the values, then the last one again up to the slots (IN and CASE take a repeat as it is)
        assertEquals(List.of("a"), MessageWriter.padded(List.of("a")));
        assertEquals(List.of("a", "b", "c", "c"), MessageWriter.padded(List.of("a", "b", "c")));
        assertEquals(List.of("a", "b", "c", "d", "e", "e", "e", "e"), MessageWriter.padded(List.of("a", "b", "c", "d", "e")));
    }

    @Test
    void theSameClientMsgIdTwiceIsOneMessageEvenConcurrently() throws Exception {
        Users alice = Users.fresh();
        String room = alice.group();
        String first = alice.send(room, "once", "hello").statusCode(201).extract().path("id");
        alice.send(room, "once", "hello again?").statusCode(200).body("id", equalTo(first)).body("body", equalTo("hello"));
        // a retry storm of one new message from several threads: one 201, the others 200 with it
        List<Future<io.restassured.response.ExtractableResponse<?>>> tries = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                tries.add(pool.submit(() -> alice.send(room, "storm", "hi").extract()));
            }
            long created = 0;
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var attempt : tries) {
                created += attempt.get().statusCode() == 201 ? 1 : 0;
                ids.add(attempt.get().path("id"));
            }
            assertEquals(1, created);
            assertEquals(1, ids.size());
        }
        alice.call().get("/api/rooms/" + room).then().body("lastSeq", equalTo(2));
    }

    @Test
    void bodiesAreCheckedAndCleanedButKeepEveryCharacter() {
        Users alice = Users.fresh();
        String room = alice.group();
        alice.send(room, "long", "x".repeat(4001)).statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
        alice.send(room, "emoji", "😀".repeat(4000)).statusCode(201); // 4,000 characters, 8,000 UTF-16 units
        alice.send(room, "ctl", "a\u0000b\u0007c\nd\té 👍🏽").statusCode(201).body("body", equalTo("abc\nd\té 👍🏽"));
        alice.send(room, "blank", " ").statusCode(400).body("errors.field", hasItem("body"));
        alice.call().body(Map.of("clientMsgId", "bad id!", "type", "text", "body", "x"))
                .post("/api/rooms/" + room + "/messages").then().statusCode(400).body("errors.field", hasItem("clientMsgId"));
        alice.call().body(Map.of("clientMsgId", "v1", "type", "voice")).post("/api/rooms/" + room + "/messages").then()
                .statusCode(400).body("errors.field", hasItem("mediaId"));
    }

    @Test
    void aMediaMessageCarriesTheSendersOwnCompleteUploadOfItsKind() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        String voice = java.util.UUID.randomUUID().toString();
        MediaStandIn.item(voice, alice.id(), "voice", "complete");
        alice.call().body(Map.of("clientMsgId", "voice-1", "type", "voice", "mediaId", voice))
                .post("/api/rooms/" + room + "/messages").then().statusCode(201).body("mediaId", equalTo(voice));
        // the same send again is the first message, not a second check or copy
        alice.call().body(Map.of("clientMsgId", "voice-1", "type", "voice", "mediaId", voice))
                .post("/api/rooms/" + room + "/messages").then().statusCode(200);

        String pending = java.util.UUID.randomUUID().toString();
        MediaStandIn.item(pending, alice.id(), "image", "pending");
        for (var refused : List.of(
                Map.of("clientMsgId", "m-foreign", "type", "voice", "mediaId", voice), // bob sends alice's
                Map.of("clientMsgId", "m-missing", "type", "image", "mediaId", java.util.UUID.randomUUID().toString()),
                Map.of("clientMsgId", "m-too-long", "type", "image", "mediaId", "x".repeat(60)))) {
            bob.call().body(refused).post("/api/rooms/" + room + "/messages").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("mediaId"));
        }
        alice.call().body(Map.of("clientMsgId", "m-pending", "type", "image", "mediaId", pending))
                .post("/api/rooms/" + room + "/messages").then().statusCode(400).body("errors.field", hasItem("mediaId"));
        alice.call().body(Map.of("clientMsgId", "m-kind", "type", "image", "mediaId", voice))
                .post("/api/rooms/" + room + "/messages").then().statusCode(400).body("errors.field", hasItem("mediaId"));
        // over the socket too, with the socket's token
        FrameClient socket = FrameClient.connect(base, "/ws/chat", alice.token());
        socket.next("ready");
        socket.send(new JsonObject().put("type", "send").put("roomId", room).put("clientMsgId", "ws-foreign")
                .put("messageType", "voice").put("mediaId", java.util.UUID.randomUUID().toString()));
        JsonObject error = socket.next("error");
        assertEquals("bad_request", error.getString("code"));
        assertTrue(error.getString("message").contains("mediaId"), error.encode());
        socket.send(new JsonObject().put("type", "send").put("roomId", room).put("clientMsgId", "ws-voice")
                .put("messageType", "voice").put("mediaId", voice));
        assertEquals(voice, socket.next("ack").getJsonObject("message").getString("mediaId"));
    }

    @Test
    void pagesEditsAndTombstones() {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(alice.send(room, "p" + i, "m" + i).statusCode(201).extract().path("id"));
        }
        bob.call().queryParam("limit", 2).get("/api/rooms/" + room + "/messages").then().statusCode(200)
                .body("items.seq", equalTo(List.of(4, 5))).body("hasMore", equalTo(true));
        bob.call().queryParam("before", 4).queryParam("limit", 2).get("/api/rooms/" + room + "/messages").then()
                .body("items.seq", equalTo(List.of(2, 3))).body("hasMore", equalTo(true));
        bob.call().queryParam("after", 3).get("/api/rooms/" + room + "/messages").then()
                .body("items.seq", equalTo(List.of(4, 5))).body("hasMore", equalTo(false));

        bob.call().body(Map.of("body", "not mine")).patch("/api/rooms/" + room + "/messages/" + ids.get(0)).then()
                .statusCode(403);
        alice.call().body(Map.of("body", "edited")).patch("/api/rooms/" + room + "/messages/" + ids.get(0)).then()
                .statusCode(200).body("body", equalTo("edited")).body("editedAt", org.hamcrest.Matchers.notNullValue());
        bob.call().delete("/api/rooms/" + room + "/messages/" + ids.get(1)).then().statusCode(403);
        alice.call().delete("/api/rooms/" + room + "/messages/" + ids.get(1)).then().statusCode(204);
        bob.call().queryParam("after", 1).queryParam("limit", 1).get("/api/rooms/" + room + "/messages").then()
                .body("items[0].seq", equalTo(2)).body("items[0].body", nullValue())
                .body("items[0].deletedAt", org.hamcrest.Matchers.notNullValue());
        // bob read nothing: 4 unread of alice's (the deleted one does not count)
        bob.call().get("/api/rooms").then().body("items.find { it.id == '" + room + "' }.unreadCount", equalTo(4))
                .body("items.find { it.id == '" + room + "' }.lastMessage.seq", equalTo(5));
    }

    @Test
    void outsidersSeeNothing() {
        Users alice = Users.fresh();
        Users stranger = Users.fresh();
        String room = alice.group();
        String id = alice.send(room, "secret", "hi").statusCode(201).extract().path("id");
        stranger.call().get("/api/rooms/" + room).then().statusCode(404).contentType("application/problem+json");
        stranger.call().get("/api/rooms/" + room + "/messages").then().statusCode(404);
        stranger.send(room, "x", "let me in").statusCode(404);
        stranger.call().delete("/api/rooms/" + room + "/messages/" + id).then().statusCode(404);
        stranger.call().body(Map.of("userId", stranger.id())).post("/api/rooms/" + room + "/members").then().statusCode(404);
        io.restassured.RestAssured.given().get("/api/rooms").then().statusCode(401);
        // a moderator sees and moderates any room
        Users moderator = Users.fresh("user", "moderator");
        moderator.call().get("/api/rooms/" + room).then().statusCode(200);
        moderator.call().delete("/api/rooms/" + room + "/messages/" + id).then().statusCode(204);
    }

    @Test
    void everyChangeIsAnEventOnChatMessagesKeyedByRoom() {
        try (TopicReader topic = new TopicReader(Topics.CHAT_MESSAGES)) {
            Users alice = Users.fresh();
            String room = alice.group();
            // group-committed (on the writer's thread) and one by one (a reply): both carry the request's id
            String id = alice.call().header("X-Request-Id", "rid-group-" + room)
                    .body(Map.of("clientMsgId", "evt", "type", "text", "body", "hello"))
                    .post("/api/rooms/" + room + "/messages").then().statusCode(201).extract().path("id");
            alice.call().header("X-Request-Id", "rid-reply-" + room)
                    .body(Map.of("clientMsgId", "evt-reply", "type", "text", "body", "re", "replyTo", id))
                    .post("/api/rooms/" + room + "/messages").then().statusCode(201);
            alice.call().body(Map.of("body", "changed")).patch("/api/rooms/" + room + "/messages/" + id).then().statusCode(200);
            alice.call().delete("/api/rooms/" + room + "/messages/" + id).then().statusCode(204);
            List<TopicReader.Received> events = topic.await(r -> room.equals(r.key()), 4, Duration.ofSeconds(30));
            assertEquals(List.of("message.created", "message.created", "message.updated", "message.deleted"),
                    events.stream().map(r -> r.event().type()).toList());
            assertEquals("rid-group-" + room, events.get(0).event().requestId());
            assertEquals("rid-reply-" + room, events.get(1).event().requestId());
        }
    }
}
