package io.talkline.signaling.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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

/** A room has one call at a time: a second invite gets {@code error busy} with the call to join instead. */
@QuarkusTest
class OneCallPerRoomTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aSecondInviteInTheRoomIsBusyWithTheCallGoingOnWhichItCanJoin() throws Exception {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String carol = UUID.randomUUID().toString();
        String room = UUID.randomUUID().toString();
        ChatStandIn.room(room, alice, bob, carol);
        FrameClient alices = SignalSockets.open(base, TestTokens.token(alice));
        FrameClient bobs = SignalSockets.open(base, TestTokens.token(bob));
        FrameClient carols = SignalSockets.open(base, TestTokens.token(carol));

        alices.send(SignalSockets.invite(room, "audio"));
        String callId = alices.next("call.created").getString("callId");
        bobs.next("call.incoming");
        // carol is rung, not in a call: what makes her busy is the room's call, not one of her own
        carols.next("call.incoming");
        carols.send(SignalSockets.invite(room, "video"));
        JsonObject busy = carols.next("error");
        assertEquals("busy", busy.getString("code"));
        assertEquals("call.invite", busy.getString("ref"));
        assertEquals(callId, busy.getString("callId"));

        // the callId is the call to join
        carols.send(SignalSockets.call("call.join", callId));
        assertEquals(alice, carols.next("call.joined").getJsonArray("participants").getString(0));
        assertEquals(carol, alices.next("call.participant.joined").getString("userId"));

        // once that call is over (two were in it, one leaves), the room takes a new one
        alices.send(SignalSockets.call("call.leave", callId));
        bobs.next("call.ended", ended -> callId.equals(ended.getString("callId")));
        bobs.send(SignalSockets.invite(room, "audio"));
        assertNotEquals(callId, bobs.next("call.created").getString("callId"));
    }
}
