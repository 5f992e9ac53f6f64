package io.talkline.chat.realtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A burst of frames larger than a few thousand, published faster than Redis answers (a cold start
 * under load, when the event loop is slow: BENCHMARKS.md, "Warm-up after a start"), waits for the
 * pool's connections instead of being dropped.
 */
@QuarkusTest
class FanoutBurstTest {

    private static final int FRAMES = 10_000;

    @Inject
    Fanout fanout;
    @Inject
    RedisDataSource redis;

    @Test
    void aBurstOfFramesIsPublishedWhole() {
        String channel = Fanout.roomChannel("burst-" + UUID.randomUUID());
        AtomicInteger received = new AtomicInteger();
        PubSubCommands.RedisSubscriber subscriber = redis.pubsub(String.class).subscribe(channel,
                frame -> received.incrementAndGet());
        try {
            for (int n = 0; n < FRAMES; n++) {
                fanout.publish(channel, "{\"type\":\"typing\",\"n\":" + n + "}");
            }
            // the channel is this test's alone: every frame published arrives, and no other
            await().atMost(Duration.ofSeconds(30)).untilAsserted(
                    () -> assertEquals(FRAMES, received.get(), "frames received of " + FRAMES + " published at once"));
        } finally {
            subscriber.unsubscribe();
        }
    }
}
