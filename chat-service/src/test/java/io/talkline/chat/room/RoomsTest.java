package io.talkline.chat.room;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.events.Topics;
import io.talkline.commons.testing.TopicReader;

@QuarkusTest
class RoomsTest {

    @Test
    void aPairHasExactlyOneDirectRoomEvenWhenBothOpenItAtOnce() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        List<Future<io.restassured.response.ExtractableResponse<?>>> opens = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                Users who = i % 2 == 0 ? alice : bob;
                Users other = i % 2 == 0 ? bob : alice;
                opens.add(pool.submit(() -> who.call().body(Map.of("type", "direct", "memberIds", List.of(other.id())))
                        .post("/api/rooms").then().extract()));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (var open : opens) {
                int status = open.get().statusCode();
                assertEquals(true, status == 201 || status == 200, "status " + status);
                created += status == 201 ? 1 : 0;
                ids.add(open.get().path("id"));
            }
            assertEquals(1, ids.size());
            assertEquals(1, created);
        }
        alice.call().body(Map.of("type", "direct", "memberIds", List.of(alice.id()))).post("/api/rooms").then()
                .statusCode(400).body("errors.field", hasItem("memberIds"));
    }

    @Test
    void oneWhoLeftADirectRoomGetsItsContentOnlyByJoiningItAgain() {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        Map<String, Object> direct = Map.of("type", "direct", "memberIds", List.of(bob.id()));
        String room = alice.call().body(direct).post("/api/rooms").then().statusCode(201).extract().path("id");
        alice.call().delete("/api/rooms/" + room + "/members/" + alice.id()).then().statusCode(204);
        bob.send(room, "after-leaving", "written after alice left").statusCode(201);
        alice.call().get("/api/rooms/" + room).then().statusCode(404);

        // opening the pair's room again makes the caller a member again (ADR 0012): the answer is a
        // member's view, and the room is the caller's like any other
        alice.call().body(direct).post("/api/rooms").then().statusCode(200).body("id", equalTo(room))
                .body("members.userId", containsInAnyOrder(alice.id(), bob.id()))
                .body("lastMessage.body", equalTo("written after alice left"));
        alice.call().get("/api/rooms/" + room).then().statusCode(200);
        alice.call().get("/api/rooms").then().body("items.id", hasItem(room));

        // the one who stayed does not pull the leaver back in
        bob.call().delete("/api/rooms/" + room + "/members/" + bob.id()).then().statusCode(204);
        alice.call().body(direct).post("/api/rooms").then().statusCode(200)
                .body("members.userId", containsInAnyOrder(alice.id()));
        bob.call().get("/api/rooms/" + room).then().statusCode(404);
    }

    @Test
    void groupMembershipIsManagedByOwnersAndAdmins() {
        Users owner = Users.fresh();
        Users member = Users.fresh();
        Users newcomer = Users.fresh();
        String room = owner.group(member);
        owner.call().get("/api/rooms/" + room).then().statusCode(200).body("type", equalTo("group"))
                .body("members.find { it.userId == '" + owner.id() + "' }.role", equalTo("owner"));
        member.call().body(Map.of("userId", newcomer.id())).post("/api/rooms/" + room + "/members").then().statusCode(403);
        owner.call().body(Map.of("userId", newcomer.id(), "role", "owner")).post("/api/rooms/" + room + "/members").then()
                .statusCode(400).body("errors.field", hasItem("role"));
        owner.call().body(Map.of("userId", newcomer.id(), "role", "admin")).post("/api/rooms/" + room + "/members").then()
                .statusCode(201).body("members.userId", containsInAnyOrder(owner.id(), member.id(), newcomer.id()));
        owner.call().body(Map.of("userId", newcomer.id())).post("/api/rooms/" + room + "/members").then().statusCode(409);
        newcomer.call().delete("/api/rooms/" + room + "/members/" + member.id()).then().statusCode(204);
        member.call().get("/api/rooms/" + room).then().statusCode(404);
        newcomer.call().delete("/api/rooms/" + room + "/members/" + owner.id()).then().statusCode(403);
        // the owner leaves: the admin takes over
        owner.call().delete("/api/rooms/" + room + "/members/" + owner.id()).then().statusCode(204);
        newcomer.call().get("/api/rooms/" + room).then().body("members.find { it.userId == '" + newcomer.id() + "' }.role",
                equalTo("owner"));
        owner.call().body(Map.of("type", "group", "memberIds", List.of())).post("/api/rooms").then().statusCode(400)
                .body("errors.field", hasItem("name"));
    }

    @Test
    void rolesChangeByOwnerAndAdminsOwnershipOnlyByTheOwnerAndEveryChangeIsAudited() {
        try (TopicReader audit = new TopicReader(Topics.AUDIT)) {
            Users owner = Users.fresh();
            Users ann = Users.fresh();
            Users max = Users.fresh();
            String room = owner.group(ann, max);
            String member = "/api/rooms/" + room + "/members/";
            max.call().body(Map.of("role", "admin")).patch(member + max.id()).then().statusCode(403);
            owner.call().body(Map.of("role", "admin")).patch(member + ann.id()).then().statusCode(200)
                    .body("members.find { it.userId == '" + ann.id() + "' }.role", equalTo("admin"));
            // an admin manages members but does not hand ownership over
            ann.call().body(Map.of("role", "admin")).patch(member + max.id()).then().statusCode(200);
            ann.call().body(Map.of("role", "owner")).patch(member + max.id()).then().statusCode(403);
            ann.call().body(Map.of("role", "member")).patch(member + owner.id()).then().statusCode(403);
            ann.call().body(Map.of("role", "king")).patch(member + max.id()).then().statusCode(400)
                    .body("errors.field", hasItem("role"));
            // the owner hands over: one owner, the previous one an admin
            owner.call().body(Map.of("role", "owner")).patch(member + max.id()).then().statusCode(200)
                    .body("members.findAll { it.role == 'owner' }.userId", containsInAnyOrder(max.id()))
                    .body("members.find { it.userId == '" + owner.id() + "' }.role", equalTo("admin"));
            Users.fresh().call().body(Map.of("role", "admin")).patch(member + ann.id()).then().statusCode(404);

            List<String> changes = audit.await(r -> "chat.member.role_changed".equals(r.event().type())
                    && room.equals(r.key()), 4, Duration.ofSeconds(30)).stream()
                    .map(r -> r.event().payload().get("data").get("userId").asText() + ":"
                            + r.event().payload().get("data").get("before").asText()
                            + ">" + r.event().payload().get("data").get("after").asText())
                    .toList();
            assertEquals(List.of(ann.id() + ":member>admin", max.id() + ":member>admin", owner.id() + ":owner>admin",
                    max.id() + ":admin>owner"), changes);
        }
    }
}
