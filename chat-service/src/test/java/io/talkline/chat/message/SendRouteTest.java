package io.talkline.chat.message;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.talkline.chat.Users;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.TestTokens;

/** The direct send route (ADR 0033): it answers the common send exactly as MessageResource would, and nothing else. */
@QuarkusTest
class SendRouteTest {

    private static final String DIRECT = "talkline_chat_sends_direct_total";

    @Test
    void aSendWithAKnownTokenIsAnsweredDirectlyAndAsTheRestLayerAnswersIt() {
        Users alice = Users.fresh();
        String room = alice.group(); // the first call verifies alice's token
        // a second token of alice's that this instance has not seen: its send goes the REST way
        Users aliceAgain = new Users(alice.id(), TestTokens.token(alice.id()));
        double before = Metrics.value(DIRECT);
        Response viaRest = send(aliceAgain, room, "by-rest", "first");
        assertEquals(before, Metrics.value(DIRECT), "a token seen for the first time is verified by the REST layer");
        Response direct = send(alice, room, "direct", "second");
        assertEquals(before + 1, Metrics.value(DIRECT), "a known token's send is answered by the direct route");

        assertEquals(201, viaRest.statusCode());
        assertEquals(201, direct.statusCode());
        assertEquals(headers(viaRest), headers(direct));
        assertEquals(shape(viaRest), shape(direct));
        assertEquals(2L, direct.jsonPath().getLong("seq"));
        assertEquals("second", direct.jsonPath().getString("body"));
        assertEquals(alice.id(), direct.jsonPath().getString("senderId"));

        // the same clientMsgId again: 200 with the first message, on either way
        Response repeated = send(alice, room, "direct", "second again");
        assertEquals(200, repeated.statusCode());
        assertEquals(direct.jsonPath().getString("id"), repeated.jsonPath().getString("id"));
        assertEquals(before + 2, Metrics.value(DIRECT));
        Response repeatedViaRest = send(new Users(alice.id(), TestTokens.token(alice.id())), room, "direct", "again");
        assertEquals(200, repeatedViaRest.statusCode());
        assertEquals(headers(repeated), headers(repeatedViaRest));
        assertEquals(before + 2, Metrics.value(DIRECT));
    }

    @Test
    void refusalsOfTheServiceAreTheRestLayersProblemDocuments() {
        Users alice = Users.fresh();
        Users outsider = Users.fresh();
        String room = alice.group();
        outsider.call().get("/api/rooms").then().statusCode(200); // outsider's token is known now
        double before = Metrics.value(DIRECT);
        Response hidden = send(outsider, room, "not-mine", "hello");
        assertEquals(before + 1, Metrics.value(DIRECT));
        Response hiddenViaRest = send(new Users(outsider.id(), TestTokens.token(outsider.id())), room, "not-mine", "hello");
        assertEquals(before + 1, Metrics.value(DIRECT));
        assertEquals(404, hidden.statusCode());
        assertEquals(headers(hiddenViaRest), headers(hidden));
        Map<String, Object> expected = new TreeMap<>(hiddenViaRest.jsonPath().getMap(""));
        Map<String, Object> actual = new TreeMap<>(hidden.jsonPath().getMap(""));
        assertEquals(expected.remove("requestId") != null, actual.remove("requestId") != null);
        assertEquals(expected, actual);
        assertEquals(hidden.header("X-Request-Id"), hidden.jsonPath().getString("requestId"));

        // refused by the service before anything is written: a body over the limit, with the field at fault
        String tooLong = "x".repeat(4001);
        Response overLimit = send(alice, room, "too-long", tooLong);
        assertEquals(before + 2, Metrics.value(DIRECT));
        Response overLimitViaRest = send(new Users(alice.id(), TestTokens.token(alice.id())), room, "too-long", tooLong);
        assertEquals(before + 2, Metrics.value(DIRECT));
        assertEquals(400, overLimit.statusCode());
        assertEquals(headers(overLimitViaRest), headers(overLimit));
        assertEquals("body", overLimit.jsonPath().getString("errors[0].field"));
        assertEquals(overLimitViaRest.jsonPath().getString("detail"), overLimit.jsonPath().getString("detail"));
    }

    @Test
    void whatTheDirectRouteDoesNotTakeTheRestLayerAnswersWithTheFieldAtFault() {
        Users alice = Users.fresh();
        String room = alice.group();
        String messages = "/api/rooms/" + room + "/messages";
        double before = Metrics.value(DIRECT);
        // invalid: the REST layer reads the body the direct route read, and names the field
        alice.call().body(Map.of("clientMsgId", "not valid!", "type", "text", "body", "x")).post(messages).then()
                .statusCode(400).contentType("application/problem+json").header("Cache-Control", "no-store")
                .body("errors[0].field", equalTo("clientMsgId"));
        alice.call().body(Map.of("clientMsgId", "c1", "type", "sticker", "body", "x")).post(messages).then()
                .statusCode(400).body("errors[0].field", equalTo("type"));
        alice.call().body("{\"clientMsgId\": \"c1\", \"type\": ").post(messages).then().statusCode(400)
                .body("detail", equalTo("The request body is not valid JSON"));
        alice.call().body("null").post(messages).then().statusCode(400).body("errors[0].field", notNullValue());
        // another media type or another wish for the answer: negotiated by the REST layer
        given().header("Authorization", "Bearer " + alice.token()).contentType("text/plain").body("hello").post(messages)
                .then().statusCode(415).contentType("application/problem+json");
        alice.call().accept("text/html").body(Map.of("clientMsgId", "c2", "type", "text", "body", "x")).post(messages)
                .then().statusCode(406);
        // no token, or one that does not verify
        given().contentType("application/json").body(Map.of("clientMsgId", "c3", "type", "text", "body", "x"))
                .post(messages).then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer " + alice.token() + "x").contentType("application/json")
                .body(Map.of("clientMsgId", "c4", "type", "text", "body", "x")).post(messages).then().statusCode(401);
        assertEquals(before, Metrics.value(DIRECT), "none of them was taken by the direct route");
        // and nothing of them was stored
        alice.call().get(messages).then().statusCode(200).body("items.size()", equalTo(0));
    }

    @Test
    void contentTypesAndAcceptsTheDirectRouteRecognises() {
        assertEquals(true, SendRoute.json("application/json"));
        assertEquals(true, SendRoute.json("Application/JSON; charset=UTF-8"));
        assertEquals(true, SendRoute.json("application/json;charset=utf-8"));
        assertEquals(false, SendRoute.json("application/jsonp"));
        assertEquals(false, SendRoute.json("application/json-patch+json"));
        assertEquals(false, SendRoute.json(null));
        assertEquals(true, SendRoute.acceptsJson(null));
        assertEquals(true, SendRoute.acceptsJson("*/*"));
        assertEquals(false, SendRoute.acceptsJson("text/html"));
    }

    private static Response send(Users user, String room, String clientMsgId, String body) {
        return user.call().body(Map.of("clientMsgId", clientMsgId, "type", "text", "body", body))
                .post("/api/rooms/" + room + "/messages").andReturn();
    }

    /** Header names and values, but for the request id (new each time) and the length. */
    private static Map<String, String> headers(Response response) {
        Map<String, String> headers = new TreeMap<>();
        response.headers().forEach(h -> headers.put(h.getName().toLowerCase(), h.getValue()));
        assertEquals(true, headers.remove("x-request-id") != null);
        headers.remove("content-length");
        return headers;
    }

    /** The members of the JSON answer and the kind of each value. */
    private static Map<String, String> shape(Response response) {
        Map<String, String> shape = new TreeMap<>();
        response.jsonPath().getMap("").forEach((k, v) -> shape.put(String.valueOf(k),
                v == null ? "null" : v.getClass().getSimpleName()));
        return shape;
    }
}
