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
import io.talkline.commons.testing.Metrics;
import io.talkline.commons.testing.RawSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A resync waits for each frame to be written before the next (so a replay of thousands never
 * queues them all): a client that stops reading during one holds that write up, and after
 * {@code chat.socket.write-timeout} (3 s in tests) the socket is closed with 1013. A different
 * trigger from SlowConsumerTest's send-queue limit, which a resync never reaches: it has one frame
 * (16 KB here) waiting at a time, far below the limit.
 */
@QuarkusTest
class WriteTimeoutTest {

    private static final int MESSAGES = 40;
    private static final int RECEIVE_BUFFER = 4096;
    // 4,000 emoji: 8,000 characters in the send queue, 16 KB on the wire
    private static final String BODY = "😀".repeat(4_000);

    @ConfigProperty(name = "chat.socket.write-timeout")
    Duration writeTimeout;

    @ConfigProperty(name = "chat.socket.send-queue-limit")
    long queueLimit;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aResyncToAClientThatStopsReadingIsGivenUpAfterTheWriteTimeoutWith1013() throws Exception {
        assertTrue(2L * BODY.length() < queueLimit, "a resync frame must not reach the send-queue limit");
        Users alice = Users.fresh();
        String room = alice.group();
        for (int i = 1; i <= MESSAGES; i++) {
            alice.send(room, "m" + i, BODY).statusCode(201);
        }
        // more than the kernel holds between the server and a client that reads nothing (the client's
        // receive buffer, doubled by Linux, and the server's send buffer at most tcp_wmem's maximum): the
        // room's history asked for several times over in one frame, as a confused client may
        long kernel = 2L * RECEIVE_BUFFER + RawSocket.maxSendBuffer();
        int replays = (int) (kernel / (MESSAGES * 4L * 4_000)) + 2;
        JsonArray rooms = new JsonArray();
        for (int i = 0; i < replays; i++) {
            rooms.add(new JsonObject().put("roomId", room).put("afterSeq", 0));
        }
        double slowBefore = slowClosed();
        try (RawSocket stuck = RawSocket.upgrade(base, "/ws/chat", alice.token(), RECEIVE_BUFFER)) {
            long asked = System.nanoTime();
            stuck.sendText(new JsonObject().put("type", "resync").put("rooms", rooms).encode());
            // it reads nothing from now on
            Awaitility.await().atMost(writeTimeout.plusSeconds(10)).until(() -> slowClosed() > slowBefore);
            long gaveUp = (System.nanoTime() - asked) / 1_000_000;
            assertTrue(gaveUp >= writeTimeout.toMillis(),
                    "closed " + gaveUp + " ms after the resync: before the write timeout");

            // reading at last: the frames written before the stall, then the close frame
            RawSocket.Frame frame = stuck.read();
            while (frame.opcode() != RawSocket.CLOSE) {
                frame = stuck.read();
            }
            assertEquals(Sockets.TOO_SLOW, frame.closeCode());
            // the resync's own reason, not the send queue's ("too slow: reconnect and catch up")
            assertEquals("too slow: reconnect and resync", frame.closeReason());
        }
    }

    private static double slowClosed() {
        return Metrics.sum("talkline_chat_sockets_closed_slow_total");
    }
}
