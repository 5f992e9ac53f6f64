package io.talkline.signaling.call;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.TestTokens;

/** Bad requests to the history answer 400 problems naming the field, before chat-service is asked. */
@QuarkusTest
class CallHistoryRequestsTest {

    private static io.restassured.specification.RequestSpecification caller() {
        return given().header("Authorization", "Bearer " + TestTokens.token(UUID.randomUUID().toString()));
    }

    @Test
    void withoutATokenThe401() {
        given().queryParam("roomId", "r").get("/api/calls").then().statusCode(401);
    }

    @Test
    void aMissingRoomIdIsA400NamingIt() {
        caller().get("/api/calls").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("roomId"));
    }

    @Test
    void aLimitOutOfRangeIsA400NamingIt() {
        caller().queryParam("roomId", "r").queryParam("limit", 0).get("/api/calls").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        caller().queryParam("roomId", "r").queryParam("limit", 101).get("/api/calls").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void aBeforeThatIsNoInstantIsA400NamingIt() {
        caller().queryParam("roomId", "r").queryParam("before", "yesterday").get("/api/calls").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("before"));
    }
}
