package io.talkline.chat.receipt;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;

@QuarkusTest
class ReceiptsAndReactionsTest {

    @Test
    void receiptsOnlyMoveForwardAndDriveUnreadCounts() {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        for (int i = 1; i <= 4; i++) {
            alice.send(room, "r" + i, "m" + i).statusCode(201);
        }
        bob.call().get("/api/rooms").then().body("items[0].unreadCount", equalTo(4));
        bob.call().body(Map.of("kind", "seen", "upToSeq", 3)).post("/api/rooms/" + room + "/receipts").then().statusCode(204);
        bob.call().get("/api/rooms").then().body("items[0].unreadCount", equalTo(1));
        // backwards changes nothing; delivered never lags seen
        bob.call().body(Map.of("kind", "seen", "upToSeq", 1)).post("/api/rooms/" + room + "/receipts").then().statusCode(204);
        bob.call().body(Map.of("kind", "delivered", "upToSeq", 4)).post("/api/rooms/" + room + "/receipts").then()
                .statusCode(204);
        alice.call().get("/api/rooms/" + room + "/receipts").then().statusCode(200)
                .body("items.find { it.userId == '" + bob.id() + "' }.seenSeq", equalTo(3))
                .body("items.find { it.userId == '" + bob.id() + "' }.deliveredSeq", equalTo(4));
        bob.call().body(Map.of("kind", "seen", "upToSeq", 99)).post("/api/rooms/" + room + "/receipts").then()
                .statusCode(400).body("errors.field", hasItem("upToSeq"));
        bob.call().body(Map.of("kind", "read", "upToSeq", 1)).post("/api/rooms/" + room + "/receipts").then()
                .statusCode(400).body("errors.field", hasItem("kind"));
        Users.fresh().call().get("/api/rooms/" + room + "/receipts").then().statusCode(404);
    }

    @Test
    void reactionsAreOnePerUserAndEmojiAndShowOnTheMessage() {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        String id = alice.send(room, "react", "hi").statusCode(201).extract().path("id");
        String path = "/api/rooms/" + room + "/messages/" + id + "/reactions/";
        bob.call().put(path + "👍").then().statusCode(204);
        bob.call().put(path + "👍").then().statusCode(204);
        alice.call().put(path + "👍").then().statusCode(204);
        alice.call().put(path + "🎉").then().statusCode(204);
        alice.call().put(path + "two words").then().statusCode(400).body("errors.field", hasItem("emoji"));
        bob.call().queryParam("after", 0).get("/api/rooms/" + room + "/messages").then()
                .body("items[0].reactions.'👍'", containsInAnyOrder(bob.id(), alice.id()))
                .body("items[0].reactions.'🎉'", equalTo(List.of(alice.id())));
        bob.call().delete(path + "👍").then().statusCode(204);
        bob.call().queryParam("after", 0).get("/api/rooms/" + room + "/messages").then()
                .body("items[0].reactions.'👍'", equalTo(List.of(alice.id())));
        Users.fresh().call().put(path + "👍").then().statusCode(404);
    }

    @Test
    void oneUserPutsAtMostTwentyDistinctReactionsOnAMessage() {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        String room = alice.group(bob);
        String id = alice.send(room, "many", "react to me").statusCode(201).extract().path("id");
        String path = "/api/rooms/" + room + "/messages/" + id + "/reactions/";
        for (int i = 0; i < 20; i++) {
            bob.call().put(path + "r" + i).then().statusCode(204);
        }
        bob.call().put(path + "r20").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("emoji"));
        // again with one already there changes nothing and is fine; another user has a cap of their own
        bob.call().put(path + "r0").then().statusCode(204);
        alice.call().put(path + "r20").then().statusCode(204);
        // taking one back makes room for another
        bob.call().delete(path + "r0").then().statusCode(204);
        bob.call().put(path + "r20").then().statusCode(204);
    }
}
