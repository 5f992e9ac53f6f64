package io.talkline.signaling.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.commons.realtime.LiveSocket;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.RawSocket;
import io.talkline.commons.testing.TestTokens;
import io.talkline.signaling.ChatStandIn;
import io.talkline.signaling.SignalSockets;
import io.vertx.core.json.JsonObject;

/**
 * A participant whose client stops reading is closed with 1013 once more than
 * {@code signaling.socket.send-queue-limit} characters wait for it; the peer sending to it is not
 * held up, and the call ends for it as for any socket that goes.
 */
@QuarkusTest
class SlowConsumerTest {

    private static final int OFFERS = 300;
    private static final int RECEIVE_BUFFER = 4096;
    /** Within signaling.relay.max-sdp (32,768): each relayed offer is more than this many characters and bytes. */
    private static final String SDP = "v=0\r\n" + "a=x-padding:" + "x".repeat(31_983);

    @ConfigProperty(name = "signaling.socket.send-queue-limit")
    long queueLimit;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aParticipantThatStopsReadingIsClosedWith1013AndThePeerIsNotHeldUp() throws Exception {
        String alice = UUID.randomUUID().toString();
        String bob = UUID.randomUUID().toString();
        String room = UUID.randomUUID().toString();
        ChatStandIn.room(room, alice, bob);
        double slowBefore = slowClosed();
        FrameClient alices = SignalSockets.open(base, TestTokens.token(alice));
        try (RawSocket bobs = RawSocket.upgrade(base, "/ws/signal", TestTokens.token(bob), RECEIVE_BUFFER)) {
            bobs.next("ready");
            alices.send(SignalSockets.invite(room, "video"));
            String callId = alices.next("call.created").getString("callId");
            bobs.next("call.incoming");
            bobs.sendText(SignalSockets.call("call.accept", callId).encode());
            alices.next("call.accepted");

            // from here on bob reads nothing while alice renegotiates again and again
            for (int i = 0; i < OFFERS; i++) {
                alices.send(SignalSockets.offer(callId, bob, SDP));
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slowClosed() > slowBefore);
            alices.send(new JsonObject().put("type", "ping"));
            alices.next("pong");

            // what can reach bob before the close: the send queue (queueLimit characters) and what the
            // kernel holds for him (his receive buffer, which Linux doubles, and the server's send
            // buffer, at most tcp_wmem's maximum) — more than SDP.length() of each per offer
            long kernel = 2L * RECEIVE_BUFFER + RawSocket.maxSendBuffer();
            long bound = (queueLimit + kernel) / SDP.length() + 1;
            assertTrue(bound < OFFERS, "the test sends too few offers to tell a bounded queue: " + bound);

            // bob reads at last: what was queued before the limit, then the close frame
            int offers = 0;
            RawSocket.Frame frame = bobs.read();
            while (frame.opcode() != RawSocket.CLOSE) {
                if (frame.opcode() == RawSocket.TEXT && "signal.offer".equals(frame.json().getString("type"))) {
                    offers++;
                }
                assertTrue(offers <= bound, "more than " + bound + " offers for a socket with a send queue of "
                        + queueLimit + " characters: not closed for being slow, or buffered without limit");
                frame = bobs.read();
            }
            assertEquals(LiveSocket.TOO_SLOW, frame.closeCode());
            assertTrue(offers > 0, "no offer reached bob before the close");
        }
        // bob's socket is gone and with it his part in the call: a 1:1 call ends for alice
        assertEquals("hangup", alices.next("call.ended").getString("reason"));
    }

    private static double slowClosed() {
        return Metrics.sum("talkline_signaling_sockets_closed_slow_total");
    }
}
