package io.talkline.chat.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.RawSocket;
import io.vertx.core.json.JsonObject;

/** The server pings; a client that answers keeps its socket, one that answers nothing loses it (1001). */
@QuarkusTest
@TestProfile(IdleTimeoutTest.ShortIdle.class)
class IdleTimeoutTest {

    public static class ShortIdle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.socket.idle-timeout", "2s", "chat.socket.ping-interval", "500ms");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aClientThatAnswersPingsStaysAndOneThatAnswersNothingIsClosedWith1001() throws Exception {
        Users alice = Users.fresh();
        FrameClient answering = FrameClient.connect(base, "/ws/chat", alice.token()); // the JDK client answers pings itself
        answering.next("ready");
        try (RawSocket silent = RawSocket.upgrade(base, "/ws/chat", alice.token(), 65536)) {
            long started = System.nanoTime();
            int pings = 0;
            RawSocket.Frame frame = silent.read();
            while (frame.opcode() != RawSocket.CLOSE) {
                pings += frame.opcode() == RawSocket.PING ? 1 : 0;
                frame = silent.read();
            }
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertEquals(Sockets.IDLE, frame.closeCode());
            assertTrue(pings >= 2, pings + " pings before the close");
            assertTrue(waited >= 1_500 && waited < 10_000, "closed after " + waited + " ms");
        }
        // the answering client sent nothing but pongs all that while, and is still served
        assertFalse(answering.closed().isDone());
        answering.send(new JsonObject().put("type", "ping"));
        answering.next("pong");
    }
}
