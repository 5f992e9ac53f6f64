package io.talkline.chat.moderation;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.common.annotation.Identifier;
import io.talkline.chat.Users;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TopicReader;
import io.talkline.devstack.Infra;
import io.vertx.core.json.JsonObject;

/** The moderation pipeline in one instance: real Kafka, MariaDB and Redis, rules replaced per test. */
@QuarkusTest
class ModerationTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Inject
    @Identifier("moderation-partitions")
    ModerationPartitions partitions;
    @Inject
    ObjectMapper json;
    @TestHTTPResource("/")
    URL base;

    private final Users admin = Users.fresh("admin");
    private final Users moderator = Users.fresh("moderator");

    @BeforeEach
    void consumerAssigned() {
        // the test group starts at the latest offset: a message sent before it has partitions would be missed
        await().atMost(Duration.ofSeconds(60)).until(() -> !partitions.assigned().isEmpty());
    }

    @AfterEach
    void noRules() {
        rules(List.of());
    }

    private void rules(List<Map<String, Object>> rules) {
        admin.call().body(Map.of("rules", rules)).put("/api/moderation/rules").then().statusCode(200);
    }

    private static Map<String, Object> rule(String id, String kind, Map<String, Object> params, String action,
            Integer muteSeconds) {
        Map<String, Object> rule = new java.util.LinkedHashMap<>(Map.of("id", id, "kind", kind, "params", params,
                "action", action));
        if (muteSeconds != null) {
            rule.put("muteSeconds", muteSeconds);
        }
        return rule;
    }

    private JsonPath cases(String roomId) {
        return moderator.call().queryParam("roomId", roomId).get("/api/moderation/cases").then().statusCode(200)
                .extract().jsonPath();
    }

    private static JsonPath messages(Users user, String room) {
        return user.call().get("/api/rooms/" + room + "/messages").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aBlockedWordInDisguiseIsHiddenWithinTwoSecondsAndOpensACaseWhileACleanMessageIsUntouched() throws Exception {
        rules(List.of(rule("slurs", "words", Map.of("words", List.of("badword")), "hide", null)));
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        try (FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token());
                FrameClient moderators = FrameClient.connect(base, "/ws/chat", moderator.token())) {
            bobs.next("ready");
            moderators.next("ready");
            String clean = alice.send(room, "c1", "a perfectly good word").statusCode(201).extract().path("id");
            String bad = alice.send(room, "c2", "you are a Ｂ.Á.D-w o r d!").statusCode(201).extract().path("id");
            long sent = System.nanoTime();
            JsonObject deleted = bobs.next("message.deleted");
            long hiddenAfterMs = (System.nanoTime() - sent) / 1_000_000;
            assertEquals(bad, deleted.getString("messageId"));
            assertEquals("moderation", deleted.getString("deletedReason"));
            assertTrue(hiddenAfterMs < 2_000, "hidden after " + hiddenAfterMs + " ms");

            JsonObject opened = moderators.next("moderation.case.opened").getJsonObject("case");
            assertEquals(bad, opened.getString("messageId"));
            assertEquals("rule", opened.getString("kind"));
            assertEquals("slurs", opened.getString("rule"));
            assertEquals("you are a Ｂ.Á.D-w o r d!", opened.getJsonObject("message").getString("body"));
        }
        JsonPath page = messages(bob, room);
        assertEquals("a perfectly good word", page.getString("items[0].body"));
        assertEquals(null, page.getString("items[0].deletedAt"));
        assertEquals(null, page.getString("items[1].body"));
        assertEquals("moderation", page.getString("items[1].deletedReason"));

        JsonPath cases = cases(room);
        assertEquals(1, cases.getList("items").size(), "a case for the hidden message only");
        assertEquals("open", cases.getString("items[0].status"));
        assertEquals(List.of("slurs: blocked word \"badword\""), cases.getList("items[0].reasons"));
        assertEquals(alice.id(), cases.getString("items[0].authorId"));
        // the case keeps the message as it was, and shows the messages around it as they are now
        String caseId = cases.getString("items[0].id");
        moderator.call().get("/api/moderation/cases/" + caseId).then().statusCode(200)
                .body("message.body", equalTo("you are a Ｂ.Á.D-w o r d!")).body("context.size()", equalTo(1))
                .body("context[0].body", equalTo("a perfectly good word"));
    }

    @Test
    void reportsOfOneMessageFoldIntoOneCaseCountingDistinctReporters() throws Exception {
        Users alice = Users.fresh();
        List<Users> members = List.of(Users.fresh(), Users.fresh(), Users.fresh());
        String room = alice.group(members.toArray(Users[]::new));
        String id = alice.send(room, "r1", "reported text").statusCode(201).extract().path("id");
        try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
            List<Future<Integer>> reports = new ArrayList<>();
            for (Users member : members) {
                reports.add(pool.submit(() -> member.call().body(Map.of("reason", "rude to " + member.id().substring(0, 4)))
                        .post("/api/rooms/" + room + "/messages/" + id + "/reports").statusCode()));
            }
            for (Future<Integer> report : reports) {
                assertEquals(202, report.get());
            }
        }
        // the same reporter again changes nothing
        members.getFirst().call().body(Map.of("reason", "again")).post("/api/rooms/" + room + "/messages/" + id + "/reports")
                .then().statusCode(202);
        JsonPath cases = cases(room);
        assertEquals(1, cases.getList("items").size());
        assertEquals("report", cases.getString("items[0].kind"));
        assertEquals(3, cases.getInt("items[0].reporterCount"));
        assertEquals(3, cases.getList("items[0].reasons").size());
        assertEquals("reported text", cases.getString("items[0].message.body"));
    }

    @Test
    void aFloodMutesTheAuthorAndTheirNextSendIsRefusedOverRestAndSocket() throws Exception {
        rules(List.of(rule("flood", "flood", Map.of("maxMessages", 10, "windowSeconds", 5), "mute", 120)));
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        // 20 messages as fast as one client sends them: the mute may land before the last ones
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            var answer = alice.send(room, "f" + i, "message " + i).extract();
            if (answer.statusCode() == 403) {
                assertEquals("muted", answer.path("code"));
                break;
            }
            assertEquals(201, answer.statusCode());
            accepted++;
        }
        assertTrue(accepted > 10, "muted after " + accepted + " messages, within the limit of 10");
        await().atMost(SOON).until(() -> !moderator.call().queryParam("userId", alice.id()).get("/api/moderation/mutes")
                .then().statusCode(200).extract().jsonPath().getList("items").isEmpty());
        JsonPath mutes = moderator.call().queryParam("userId", alice.id()).get("/api/moderation/mutes").then()
                .extract().jsonPath();
        assertEquals(1, mutes.getList("items").size(), "muted once, however many messages crossed the limit");
        assertEquals(room, mutes.getString("items[0].roomId"));
        assertEquals(null, mutes.getString("items[0].createdBy"));
        String until = mutes.getString("items[0].until");
        alice.send(room, "after", "still here?").statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("muted")).body("until", equalTo(until));
        // bob is not muted; alice in another room is not either
        bob.send(room, "b", "i can talk").statusCode(201);
        String other = alice.group(bob);
        alice.send(other, "elsewhere", "hello").statusCode(201);
        try (FrameClient socket = FrameClient.connect(base, "/ws/chat", alice.token())) {
            socket.next("ready");
            socket.send(new JsonObject().put("type", "send").put("roomId", room).put("clientMsgId", "ws-muted")
                    .put("body", "over the socket"));
            JsonObject error = socket.next("error");
            assertEquals("forbidden", error.getString("code"));
            assertEquals("ws-muted", error.getString("ref"));
        }
        assertEquals(1, cases(room).getList("items").size(), "one case for the flood");
        assertTrue(Instant.parse(until).isAfter(Instant.now().plusSeconds(100)));
    }

    @Test
    void moderatorsDismissDeleteAndMuteThroughTheApiAndEachIsAudited() throws Exception {
        try (TopicReader audit = new TopicReader(Topics.AUDIT); TopicReader moderation = new TopicReader(Topics.MODERATION)) {
            Users alice = Users.fresh();
            Users bob = Users.fresh();
            String room = alice.group(bob);
            List<String> caseIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = alice.send(room, "m" + i, "text " + i).statusCode(201).extract().path("id");
                bob.call().body(Map.of("reason", "spam")).post("/api/rooms/" + room + "/messages/" + id + "/reports").then()
                        .statusCode(202);
                caseIds.add(cases(room).getString("items.find { it.messageId == '" + id + "' }.id"));
            }
            act(caseIds.get(0), Map.of("action", "dismiss", "note", "fine")).body("status", equalTo("resolved"))
                    .body("action", equalTo("dismiss")).body("resolvedBy", equalTo(moderator.id()))
                    .body("note", equalTo("fine"));
            act(caseIds.get(1), Map.of("action", "delete_message")).body("action", equalTo("delete_message"));
            act(caseIds.get(2), Map.of("action", "mute_user", "durationSeconds", 600, "scope", "global"))
                    .body("action", equalTo("mute_user"));
            // resolved means resolved: a second action is a conflict
            moderator.call().body(Map.of("action", "dismiss")).post("/api/moderation/cases/" + caseIds.get(0) + "/actions")
                    .then().statusCode(409).contentType("application/problem+json");

            JsonPath page = messages(alice, room);
            assertEquals("text 0", page.getString("items[0].body"));
            assertEquals(null, page.getString("items[1].body"));
            assertEquals("moderation", page.getString("items[1].deletedReason"));
            // muted everywhere: in a room of their own too
            String own = alice.group();
            alice.send(own, "x", "hello").statusCode(403).body("code", equalTo("muted"));
            moderator.call().get("/api/moderation/mutes?userId=" + alice.id()).then().statusCode(200)
                    .body("items[0].roomId", nullValue()).body("items[0].caseId", equalTo(caseIds.get(2)))
                    .body("items[0].createdBy", equalTo(moderator.id()));

            List<TopicReader.Received> actions = audit.await(r -> "moderation.action.taken".equals(r.event().type())
                    && room.equals(r.key()), 3, Duration.ofSeconds(30));
            assertEquals(List.of("dismiss", "delete_message", "mute_user"),
                    actions.stream().map(a -> a.event().payload().path("data").path("action").asText()).toList());
            assertEquals(caseIds, actions.stream().map(a -> a.event().payload().path("data").path("caseId").asText()).toList());
            assertTrue(actions.stream().allMatch(a -> moderator.id().equals(a.event().actorId())));
            assertEquals("fine", actions.getFirst().event().payload().path("data").path("note").asText());
            assertEquals(1, audit.await(r -> "moderation.mute.added".equals(r.event().type()) && alice.id().equals(r.key()), 1,
                    Duration.ofSeconds(30)).size());
            List<String> types = moderation.await(r -> room.equals(r.key()) && r.event().type().startsWith("case."), 6,
                    Duration.ofSeconds(30)).stream().map(r -> r.event().type()).toList();
            assertEquals(3, types.stream().filter("case.opened"::equals).count());
            assertEquals(3, types.stream().filter("case.resolved"::equals).count());
            assertEquals(1, moderation.await(r -> alice.id().equals(r.key()) && "mute.added".equals(r.event().type()), 1,
                    Duration.ofSeconds(30)).size());

            // lifting the mute: the author writes again, and the lift is an event and audited
            String muteId = moderator.call().get("/api/moderation/mutes?userId=" + alice.id()).then().extract()
                    .path("items[0].id");
            moderator.call().delete("/api/moderation/mutes/" + muteId).then().statusCode(204);
            moderator.call().delete("/api/moderation/mutes/" + muteId).then().statusCode(204);
            alice.send(own, "y", "hello again").statusCode(201);
            assertEquals(1, audit.await(r -> "moderation.mute.lifted".equals(r.event().type()) && alice.id().equals(r.key()),
                    1, Duration.ofSeconds(30)).size());
        }
    }

    private io.restassured.response.ValidatableResponse act(String caseId, Map<String, Object> action) {
        return moderator.call().body(action).post("/api/moderation/cases/" + caseId + "/actions").then().statusCode(200);
    }

    @Test
    void aMuteAddedByHandHoldsInItsRoomUntilLifted() {
        Users alice = Users.fresh();
        String room = alice.group();
        String muteId = moderator.call().body(Map.of("userId", alice.id(), "roomId", room, "durationSeconds", 60,
                "reason", "cool off")).post("/api/moderation/mutes").then().statusCode(201).body("roomId", equalTo(room))
                .body("reason", equalTo("cool off")).body("createdBy", equalTo(moderator.id()))
                .body("until", notNullValue()).extract().path("id");
        alice.send(room, "m", "hi").statusCode(403).body("code", equalTo("muted"));
        alice.send(alice.group(), "m2", "elsewhere").statusCode(201);
        moderator.call().get("/api/moderation/mutes?roomId=" + room).then().statusCode(200)
                .body("items.id", hasItem(muteId));
        moderator.call().delete("/api/moderation/mutes/" + muteId).then().statusCode(204);
        alice.send(room, "m3", "hi").statusCode(201);
        moderator.call().delete("/api/moderation/mutes/" + java.util.UUID.randomUUID()).then().statusCode(404);
        // bad input names the field
        moderator.call().body(Map.of("userId", alice.id(), "durationSeconds", 0, "reason", "x"))
                .post("/api/moderation/mutes").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("durationSeconds"));
        moderator.call().body(Map.of("userId", alice.id(), "roomId", "nope", "durationSeconds", 5, "reason", "x"))
                .post("/api/moderation/mutes").then().statusCode(400).body("errors[0].field", equalTo("roomId"));
    }

    @Test
    void onlyModeratorsAndAdminsModerateAndOnlyAdminsReplaceRules() {
        Users plain = Users.fresh();
        for (String path : List.of("/api/moderation/cases", "/api/moderation/cases/x", "/api/moderation/mutes",
                "/api/moderation/rules")) {
            plain.call().get(path).then().statusCode(403).contentType("application/problem+json");
        }
        plain.call().body(Map.of("action", "dismiss")).post("/api/moderation/cases/x/actions").then().statusCode(403);
        plain.call().body(Map.of("userId", plain.id(), "durationSeconds", 5, "reason", "x")).post("/api/moderation/mutes")
                .then().statusCode(403);
        plain.call().delete("/api/moderation/mutes/x").then().statusCode(403);
        plain.call().body(Map.of("rules", List.of())).put("/api/moderation/rules").then().statusCode(403);
        moderator.call().body(Map.of("rules", List.of())).put("/api/moderation/rules").then().statusCode(403);
        moderator.call().get("/api/moderation/rules").then().statusCode(200);
        moderator.call().get("/api/moderation/cases/" + java.util.UUID.randomUUID()).then().statusCode(404);
        io.restassured.RestAssured.given().get("/api/moderation/cases").then().statusCode(401);
        // bad rules and filters name the field at fault
        admin.call().body(Map.of("rules", List.of(rule("l", "links", Map.of("maxLinks", "many"), "flag", null))))
                .put("/api/moderation/rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("rules[0].params.maxLinks"));
        moderator.call().queryParam("status", "closed").get("/api/moderation/cases").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
        moderator.call().queryParam("cursor", "%%%").get("/api/moderation/cases").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        moderator.call().body(Map.of("action", "mute_user")).post("/api/moderation/cases/x/actions").then()
                .statusCode(400).body("errors[0].field", equalTo("durationSeconds"));
    }

    @Test
    void casesPageNewestFirstByCursor() {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = alice.send(room, "p" + i, "text " + i).statusCode(201).extract().path("id");
            bob.call().body(Map.of("reason", "spam")).post("/api/rooms/" + room + "/messages/" + id + "/reports").then()
                    .statusCode(202);
            messages.add(0, id);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = moderator.call().queryParam("roomId", room).queryParam("limit", 2).queryParam("kind", "report")
                    .queryParam("status", "open");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/moderation/cases").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.messageId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        // one page of everything: the same cases in the same order, newest first
        JsonPath all = moderator.call().queryParam("roomId", room).queryParam("limit", 100)
                .get("/api/moderation/cases").then().statusCode(200).extract().jsonPath();
        assertEquals(all.getList("items.messageId"), seen);
        assertEquals(new java.util.HashSet<>(messages), new java.util.HashSet<>(seen));
        List<String> created = all.getList("items.createdAt");
        for (int i = 1; i < created.size(); i++) {
            assertTrue(Instant.parse(created.get(i - 1)).compareTo(Instant.parse(created.get(i))) >= 0, "newest first");
        }
        assertEquals(messages.getFirst(), seen.getFirst(), "the latest report's case comes first");
        moderator.call().queryParam("roomId", room).queryParam("status", "resolved").get("/api/moderation/cases").then()
                .statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void recordsConsumedTwiceOpenOneCaseAndMuteOnceAndAPoisonRecordIsSetAside() throws Exception {
        rules(List.of(rule("bad", "words", Map.of("words", List.of("verboten")), "mute", 300)));
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        try (TopicReader messages = new TopicReader(Topics.CHAT_MESSAGES)) {
            String first = alice.send(room, "v1", "this is verboten").statusCode(201).extract().path("id");
            TopicReader.Received created = messages.await(r -> room.equals(r.key()), 1, Duration.ofSeconds(30)).getFirst();
            await().atMost(SOON).until(() -> cases(room).getList("items").size() == 1);
            double setAsideBefore = Metrics.value("talkline_moderation_set_aside_total");
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.kafkaBootstrap());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
                String again = json.writeValueAsString(created.event());
                producer.send(new ProducerRecord<>(Topics.CHAT_MESSAGES, room, again)).get();
                producer.send(new ProducerRecord<>(Topics.CHAT_MESSAGES, room, "{not json")).get();
                producer.send(new ProducerRecord<>(Topics.CHAT_MESSAGES, room,
                        "{\"type\":\"message.created\",\"payload\":{\"body\":\"no id\"}}")).get();
                producer.send(new ProducerRecord<>(Topics.CHAT_MESSAGES, room, again)).get();
            }
            // bob's message lands behind those records in the room's partition: once its case is
            // there, they were all consumed — and the two unreadable ones did not hold the partition
            String marker = bob.send(room, "marker", "verboten too").statusCode(201).extract().path("id");
            await().atMost(SOON).until(() -> cases(room).getList("items").size() == 2);
            assertEquals(List.of(marker, first), cases(room).getList("items.messageId"),
                    "the redelivered message opened no second case");
            assertEquals(setAsideBefore + 2, Metrics.value("talkline_moderation_set_aside_total"));
            assertEquals(1, moderator.call().queryParam("userId", alice.id()).get("/api/moderation/mutes").then()
                    .extract().jsonPath().getList("items").size(), "and muted once");
        }
    }

    @Test
    void aModeratorsSocketHearsCasesOpenedAndUpdatedAndOthersDoNot() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        try (FrameClient moderators = FrameClient.connect(base, "/ws/chat", moderator.token());
                FrameClient admins = FrameClient.connect(base, "/ws/chat", admin.token());
                FrameClient bobs = FrameClient.connect(base, "/ws/chat", bob.token())) {
            moderators.next("ready");
            admins.next("ready");
            bobs.next("ready");
            String id = alice.send(room, "s1", "look").statusCode(201).extract().path("id");
            bob.call().body(Map.of("reason", "spam")).post("/api/rooms/" + room + "/messages/" + id + "/reports").then()
                    .statusCode(202);
            JsonObject opened = moderators.next("moderation.case.opened").getJsonObject("case");
            assertEquals(id, opened.getString("messageId"));
            assertEquals(1, opened.getInteger("reporterCount"));
            assertNotNull(admins.next("moderation.case.opened"));
            act(opened.getString("id"), Map.of("action", "dismiss"));
            JsonObject updated = moderators.next("moderation.case.updated").getJsonObject("case");
            assertEquals("resolved", updated.getString("status"));
            bobs.send(new JsonObject().put("type", "ping"));
            // bob hears no moderation frames (they would have come before his pong)
            assertEquals("pong", bobs.nextWithout(FrameClient.ofType("pong"),
                    f -> f.getString("type").startsWith("moderation.")).getString("type"));
        }
    }
}
