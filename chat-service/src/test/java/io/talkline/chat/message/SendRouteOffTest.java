package io.talkline.chat.message;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.chat.Users;

/** {@code chat.message.direct-route=false}: every send goes the REST way, and is answered all the same. */
@QuarkusTest
@TestProfile(SendRouteOffTest.Off.class)
class SendRouteOffTest {

    public static class Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.message.direct-route", "false");
        }
    }

    @Test
    void sendsOfKnownTokensGoTheRestWay() {
        Users alice = Users.fresh();
        String room = alice.group();
        alice.send(room, "one", "first").statusCode(201);
        alice.send(room, "one", "first").statusCode(200);
        alice.send(room, "two", "second").statusCode(201);
        // the counter is there (the route's bean is), and none of the three went by it
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("\ntalkline_chat_sends_direct_total 0.0\n"), "no direct sends");
    }
}
