package io.talkline.chat.realtime;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.talkline.chat.ChatTestResource;
import io.talkline.chat.Users;
import io.talkline.commons.testing.FrameClient;
import io.talkline.commons.testing.TestTokens;
import io.talkline.devstack.DevstackResource;

/** A client that stops reading is closed with 1013 and never holds up the others in its room. */
@QuarkusTest
@QuarkusTestResource(value = DevstackResource.class, initArgs = @ResourceArg(name = "components", value = "mariadb,redis,kafka"))
@QuarkusTestResource(ChatTestResource.class)
@QuarkusTestResource(TestTokens.class)
class SlowConsumerTest {

    private static final int MESSAGES = 600;

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
        try (RawSocket stuck = RawSocket.upgrade(base, bob.token(), 4096)) {
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

            // the stuck client reads at last: what was queued before the limit, then the close frame
            int frames = 0;
            RawSocket.Frame frame = stuck.read();
            while (frame.opcode() != RawSocket.CLOSE) {
                frames += frame.opcode() == RawSocket.PING ? 0 : 1;
                frame = stuck.read();
            }
            assertEquals(Sockets.TOO_SLOW, frame.closeCode());
            assertTrue(frames > 1 && frames < MESSAGES + 2, frames + " frames before the close");
        }
    }

    private static double slowClosed() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("talkline_chat_sockets_closed_slow_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
