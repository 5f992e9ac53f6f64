package io.talkline.commons.requestid;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class RequestIdTest {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void saneIdIsEchoedOnceAndReachesTheMdcOfAVirtualThread() {
        Response response = given().header("X-Request-Id", "Abc.def_1-2").get("/probe/mdc");
        response.then().statusCode(200).header("X-Request-Id", "Abc.def_1-2").body("requestId", equalTo("Abc.def_1-2"));
        assertEquals(1, response.headers().getValues("X-Request-Id").size());
    }

    @Test
    void missingIdIsGenerated() {
        given().get("/probe/mdc").then().statusCode(200).header("X-Request-Id", matchesPattern(UUID));
    }

    @Test
    void unsafeOrOverlongIdIsReplaced() {
        for (String bad : new String[] { "has space", "semi;colon", "x".repeat(65), "<script>", "ünïcode" }) {
            String echoed = given().header("X-Request-Id", bad).get("/probe/headers")
                    .then().statusCode(200).header("X-Request-Id", matchesPattern(UUID)).extract().header("X-Request-Id");
            assertNotEquals(bad, echoed);
        }
    }

    @Test
    void sixtyFourCharactersAreAccepted() {
        String id = "a".repeat(64);
        given().header("X-Request-Id", id).get("/probe/headers").then().header("X-Request-Id", id)
                .body("requestId", equalTo(id));
    }

    @Test
    void resourcesSeeTheCanonicalIdEvenWhenItWasGenerated() {
        Response response = given().header("X-Request-Id", "bad id").get("/probe/headers");
        response.then().body("requestId", equalTo(response.header("X-Request-Id")));
    }

    @Test
    void outgoingRestCallsCarryTheRequestId() {
        given().header("X-Request-Id", "trace-me-42").get("/probe/outgoing")
                .then().statusCode(200).body("requestId", equalTo("trace-me-42"));
    }
}
