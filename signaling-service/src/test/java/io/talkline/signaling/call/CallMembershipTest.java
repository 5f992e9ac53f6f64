package io.talkline.signaling.call;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URL;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TestTokens;
import io.talkline.signaling.ChatStandIn;
import io.talkline.signaling.SignalSockets;
import io.vertx.core.json.JsonObject;

/**
 * Only members of a room ring, answer, join or read its calls: chat-service shows every room to
 * moderators and admins, but seeing a room does not make them a party to its calls.
 */
@QuarkusTest
class CallMembershipTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void staffWhoAreNotMembersNeitherRingNorJoinNorReadTheHistory() throws Exception {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String moderator = UUID.randomUUID().toString();
        String room = UUID.randomUUID().toString();
        ChatStandIn.room(room, alice, bob);
        String moderatorToken = TestTokens.token(moderator, "user", "moderator");
        FrameClient moderators = SignalSockets.open(base, moderatorToken);
        FrameClient bobs = SignalSockets.open(base, TestTokens.token(bob));

        moderators.send(SignalSockets.invite(room, "audio"));
        JsonObject refused = moderators.next("error");
        assertEquals("not_found", refused.getString("code"));
        assertEquals("call.invite", refused.getString("ref"));

        FrameClient alices = SignalSockets.open(base, TestTokens.token(alice));
        alices.send(SignalSockets.invite(room, "audio"));
        String callId = alices.next("call.created").getString("callId");
        assertEquals(alice, bobs.next("call.incoming").getString("from"));

        for (String type : new String[] { "call.join", "call.accept" }) {
            moderators.send(SignalSockets.call(type, callId));
            JsonObject error = moderators.next("error");
            assertEquals("not_found", error.getString("code"), type);
            assertEquals(type, error.getString("ref"));
        }
        // the members' call went on without the moderator
        bobs.send(SignalSockets.call("call.accept", callId));
        assertEquals(bob, alices.next("call.accepted").getString("userId"));

        given().header("Authorization", "Bearer " + moderatorToken).queryParam("roomId", room).get("/api/calls").then()
                .statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TestTokens.token(alice)).queryParam("roomId", room)
                .get("/api/calls").then().statusCode(200);
    }

    @Test
    void iceCandidatesOfARealCallNeverMeetTheFrameBudget() throws Exception {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String room = UUID.randomUUID().toString();
        ChatStandIn.room(room, alice, bob);
        FrameClient alices = SignalSockets.open(base, TestTokens.token(alice));
        FrameClient bobs = SignalSockets.open(base, TestTokens.token(bob));
        alices.send(SignalSockets.invite(room, "video"));
        String callId = alices.next("call.created").getString("callId");
        bobs.next("call.incoming");
        bobs.send(SignalSockets.call("call.accept", callId));
        alices.next("call.accepted");
        // ICE gathering: a burst of candidates far beyond the budget of other frames
        int candidates = 300;
        alices.send(SignalSockets.offer(callId, bob, "v=0"));
        for (int i = 0; i < candidates; i++) {
            alices.send(new JsonObject().put("type", "signal.ice").put("callId", callId).put("to", bob)
                    .put("candidate", new JsonObject().put("candidate", "candidate:" + i).put("sdpMid", "0")));
        }
        bobs.next("signal.offer");
        for (int i = 0; i < candidates; i++) {
            String expected = "candidate:" + i;
            assertEquals(expected, bobs.next("signal.ice").getJsonObject("candidate").getString("candidate"));
        }
        assertNull(alices.within("error", 200));
    }
}
