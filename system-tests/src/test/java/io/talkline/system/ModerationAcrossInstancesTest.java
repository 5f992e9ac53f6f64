package io.talkline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.talkline.commons.testing.FrameClient;
import io.talkline.devstack.Platform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Moderation as deployed: two chat-service instances sharing the chat.messages.v1 partitions in
 * one consumer group, everything through the gateway with real tokens; auth-service disables an
 * account for a moderator, audit-service keeps the trail.
 */
class ModerationAcrossInstancesTest {

    private static final int BASE_PORT = 18880;
    private static final Duration SOON = Duration.ofSeconds(20);
    private static Platform platform;
    private static Platform.Instance auth;
    private static List<Platform.Instance> chats;
    private static String admin;
    private static TestUser moderator;
    private static JsonArray rulesBefore;

    @BeforeAll
    static void startPlatform() {
        platform = TestUser.platform("run-moderation", BASE_PORT);
        auth = platform.instance("auth-service").orElseThrow();
        chats = List.of(platform.instance("chat-service-1").orElseThrow(), platform.instance("chat-service-2").orElseThrow());
        admin = login("system-admin", "system-test-admin-password");
        String username = "mod" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String id = given().baseUri(auth.url()).port(auth.port()).contentType("application/json")
                .body(Map.of("username", username, "password", "moderator password", "email", username + "@example.org"))
                .post("/api/auth/register").then()
                .statusCode(201).extract().path("id");
        gateway(admin).body(Map.of("roles", List.of("user", "moderator"))).put("/api/auth/users/" + id + "/roles").then()
                .statusCode(200);
        moderator = new TestUser(id, login(username, "moderator password"));
        rulesBefore = new JsonObject(gateway(admin).get("/api/moderation/rules").then().statusCode(200).extract().asString())
                .getJsonArray("rules");
        // both instances hold partitions of chat.messages.v1 before anything is sent
        await().atMost(Duration.ofSeconds(90)).until(() -> chats.stream()
                .allMatch(chat -> metric(chat, "talkline_moderation_partitions_assigned") > 0));
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            if (rulesBefore != null) {
                gateway(admin).body(new JsonObject().put("rules", rulesBefore).encode()).put("/api/moderation/rules");
            }
            platform.down();
        }
    }

    private static String login(String username, String password) {
        return given().baseUri(auth.url()).port(auth.port()).contentType("application/json")
                .body(Map.of("username", username, "password", password)).post("/api/auth/login").then().statusCode(200)
                .extract().path("accessToken");
    }

    private static RequestSpecification gateway(String token) {
        return given().baseUri("http://127.0.0.1").port(BASE_PORT).header("Authorization", "Bearer " + token)
                .contentType("application/json");
    }

    private static double metric(Platform.Instance instance, String name) {
        String text = given().baseUri(instance.url()).port(instance.port()).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(text);
        double sum = 0;
        while (series.find()) {
            sum += Double.parseDouble(series.group(1));
        }
        return sum;
    }

    private static void rules(List<Map<String, Object>> rules) {
        long version = gateway(admin).body(Map.of("rules", rules)).put("/api/moderation/rules").then().statusCode(200)
                .extract().jsonPath().getLong("version");
        // every instance applies the new version within seconds
        for (Platform.Instance chat : chats) {
            await().atMost(Duration.ofSeconds(10)).until(() -> given().baseUri(chat.url()).port(chat.port())
                    .header("Authorization", "Bearer " + moderator.token()).get("/api/moderation/rules").then()
                    .statusCode(200).extract().jsonPath().getLong("version") == version);
        }
    }

    private static String group(TestUser owner, TestUser... members) {
        return gateway(owner.token()).body(Map.of("type", "group", "name", "moderated", "memberIds",
                java.util.Arrays.stream(members).map(TestUser::id).toList())).post("/api/rooms").then().statusCode(201)
                .extract().path("id");
    }

    private static io.restassured.response.ExtractableResponse<?> send(TestUser user, String room, String clientMsgId,
            String body) {
        return gateway(user.token()).body(Map.of("clientMsgId", clientMsgId, "type", "text", "body", body))
                .post("/api/rooms/" + room + "/messages").then().extract();
    }

    private static JsonPath cases(String room) {
        return gateway(moderator.token()).queryParam("roomId", room).get("/api/moderation/cases").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void replacedRulesHideDisguisedWordsOnBothInstancesAndModeratorsHearOfIt() throws Exception {
        rules(List.of(Map.of("id", "blocked", "kind", "words", "params", Map.of("words", List.of("grobword")), "action",
                "hide")));
        double hitsBefore[] = chats.stream().mapToDouble(chat -> metric(chat, "talkline_moderation_rule_hits_total"))
                .toArray();
        TestUser alice = TestUser.register(auth);
        try (FrameClient moderators = FrameClient.connect(
                URI.create("ws://127.0.0.1:" + BASE_PORT + "/ws/chat?access_token=" + moderator.token()))) {
            moderators.next("ready");
            // rooms enough that their partitions are spread over both instances
            List<String> rooms = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String room = group(alice);
                rooms.add(room);
                assertEquals(201, send(alice, room, "clean-" + i, "a clean message").statusCode());
                assertEquals(201, send(alice, room, "dirty-" + i, "that is G.R.O.B w o r d").statusCode());
            }
            JsonObject opened = moderators.next("moderation.case.opened").getJsonObject("case");
            assertTrue(rooms.contains(opened.getString("roomId")));
            for (String room : rooms) {
                await().atMost(SOON).until(() -> cases(room).getList("items").size() == 1);
                JsonPath page = gateway(alice.token()).get("/api/rooms/" + room + "/messages").then().statusCode(200)
                        .extract().jsonPath();
                assertEquals("a clean message", page.getString("items[0].body"));
                assertEquals("moderation", page.getString("items[1].deletedReason"));
                assertEquals(null, page.getString("items[1].body"));
            }
        }
        for (int i = 0; i < chats.size(); i++) {
            assertTrue(metric(chats.get(i), "talkline_moderation_rule_hits_total") > hitsBefore[i],
                    chats.get(i).name() + " checked none of the messages");
        }
    }

    @Test
    void aFloodOfTwentyMessagesInTwoSecondsMutesTheAuthor() {
        rules(List.of(Map.of("id", "flood", "kind", "flood", "params", Map.of("maxMessages", 10, "windowSeconds", 10),
                "action", "mute", "muteSeconds", 300)));
        TestUser alice = TestUser.register(auth);
        String room = group(alice);
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            var answer = send(alice, room, "flood-" + i, "flood " + i);
            if (answer.statusCode() == 403) {
                break;
            }
            assertEquals(201, answer.statusCode());
            accepted++;
        }
        assertTrue(accepted > 10, "muted after " + accepted + " messages");
        await().atMost(SOON).until(() -> send(alice, room, "after", "anyone?").statusCode() == 403);
        gateway(alice.token()).body(Map.of("clientMsgId", "after", "type", "text", "body", "anyone?"))
                .post("/api/rooms/" + room + "/messages").then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo("muted"));
        assertEquals(1, gateway(moderator.token()).queryParam("userId", alice.id()).get("/api/moderation/mutes").then()
                .statusCode(200).extract().jsonPath().getList("items").size());
    }

    @Test
    void aModeratorDismissesDeletesMutesAndDisablesAndEachShowsInTheAuditTrail() {
        rules(List.of());
        TestUser alice = TestUser.register(auth);
        TestUser bob = TestUser.register(auth);
        String room = group(alice, bob);
        List<String> caseIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String id = send(alice, room, "r" + i, "reported " + i).path("id");
            gateway(bob.token()).body(Map.of("reason", "abuse")).post("/api/rooms/" + room + "/messages/" + id + "/reports")
                    .then().statusCode(202);
            caseIds.add(cases(room).getString("items.find { it.messageId == '" + id + "' }.id"));
        }
        List<Map<String, Object>> actions = List.of(Map.of("action", "dismiss", "note", "not abuse"),
                Map.of("action", "delete_message"), Map.of("action", "mute_user", "durationSeconds", 60),
                Map.of("action", "disable_user", "note", "repeated abuse"));
        for (int i = 0; i < actions.size(); i++) {
            gateway(moderator.token()).body(actions.get(i)).post("/api/moderation/cases/" + caseIds.get(i) + "/actions")
                    .then().statusCode(200).body("status", equalTo("resolved"))
                    .body("action", equalTo(actions.get(i).get("action")));
        }
        // disabled through auth-service: the author's token no longer works, nor does logging in
        await().atMost(SOON).until(() -> gateway(alice.token()).get("/api/rooms").then().extract().statusCode() == 401);
        for (String caseId : caseIds) {
            await().atMost(Duration.ofSeconds(30)).until(() -> gateway(admin).queryParam("type", "moderation.action.taken")
                    .queryParam("userId", moderator.id()).get("/api/audit/events").then().statusCode(200).extract()
                    .jsonPath().getList("items.data.caseId").contains(caseId));
        }
    }

    @Test
    void aPlainUserIsRefusedOnEveryModerationPath() {
        TestUser plain = TestUser.register(auth);
        for (String path : List.of("/api/moderation/cases", "/api/moderation/cases/x", "/api/moderation/mutes",
                "/api/moderation/rules")) {
            gateway(plain.token()).get(path).then().statusCode(403).contentType("application/problem+json");
        }
        gateway(plain.token()).body(Map.of("action", "dismiss")).post("/api/moderation/cases/x/actions").then()
                .statusCode(403);
        gateway(plain.token()).body(Map.of("userId", plain.id(), "durationSeconds", 5, "reason", "x"))
                .post("/api/moderation/mutes").then().statusCode(403);
        gateway(plain.token()).delete("/api/moderation/mutes/x").then().statusCode(403);
        gateway(plain.token()).body(Map.of("rules", List.of())).put("/api/moderation/rules").then().statusCode(403);
        gateway(moderator.token()).body(Map.of("rules", List.of())).put("/api/moderation/rules").then().statusCode(403);
    }
}
