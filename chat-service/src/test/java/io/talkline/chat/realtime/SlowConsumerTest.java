package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.RawSocket;

/** A client that stops reading is closed with 1013 and never holds up the others in its room. */
@QuarkusTest
class SlowConsumerTest {

    private static final int MESSAGES = 600;
    private static final int RECEIVE_BUFFER = 4096;

    @ConfigProperty(name = "chat.socket.send-queue-limit")
    long queueLimit;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aSocketThatStopsReadingIsClosedWith1013WhileTheOthersGetEverything() throws Exception {
        Users alice = Users.fresh();
        Users bob = Users.fresh();
        Users carol = Users.fresh();
        String room = alice.group(bob, carol);
        double slowBefore = slowClosed();
        FrameClient carols = FrameClient.connect(base, "/ws/chat", carol.token());
        carols.next("ready");
        try (RawSocket stuck = RawSocket.upgrade(base, "/ws/chat", bob.token(), RECEIVE_BUFFER)) {
            // 4,000 emoji: 8,000 characters queued per frame, 16 KB on the wire
            String body = "😀".repeat(4_000);
            for (int i = 1; i <= MESSAGES; i++) {
                alice.send(room, "big-" + i, body).statusCode(201);
            }
            // the reading member got every one of them, in order
            for (long seq = 1; seq <= MESSAGES; seq++) {
                long expected = seq;
                carols.next("message.created", f -> f.getJsonObject("message").getLong("seq") == expected);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slowClosed() > slowBefore);

            // what can reach the stuck client before the close: "ready" and the odd small frame, the
            // send queue (queueLimit characters, each message frame more than body.length() of them)
            // and what the kernel holds for it (the client's receive buffer, which Linux doubles, and
            // the server's send buffer, at most tcp_wmem's maximum; more than 16 KB per frame on the wire)
            long wireBytes = 4L * 4_000;
            long kernel = 2L * RECEIVE_BUFFER + RawSocket.maxSendBuffer();
            long bound = 3 + queueLimit / body.length() + kernel / wireBytes + 1;
            assertTrue(bound < MESSAGES, "the test sends too few messages to tell a bounded queue: " + bound);

            // the stuck client reads at last: what was queued before the limit, then the close frame
            int frames = 0;
            RawSocket.Frame frame = stuck.read();
            while (frame.opcode() != RawSocket.CLOSE) {
                frames += frame.opcode() == RawSocket.PING ? 0 : 1;
                assertTrue(frames <= bound, "more than " + bound + " frames for a socket with a send queue of "
                        + queueLimit + " characters: not closed for being slow, or buffered without limit");
                frame = stuck.read();
            }
            assertEquals(Sockets.TOO_SLOW, frame.closeCode());
            assertTrue(frames > 1, frames + " frames before the close (at most " + bound + ")");
        }
    }

    private static double slowClosed() {
        return Metrics.sum("talkline_chat_sockets_closed_slow_total");
    }
}
