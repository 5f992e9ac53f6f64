package io.talkline.commons.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.talkline.devstack.Component;
import io.talkline.devstack.Devstack;
import io.talkline.devstack.Infra;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** Channels come and go on one connection; a lost connection subscribes everything again. */
class RedisChannelsTest {

    private static final String REDIS = "redis://127.0.0.1:6379";
    private static Vertx vertx;
    private static Redis commands;

    @BeforeAll
    static void start() {
        Devstack.shared().up(EnumSet.of(Component.REDIS));
        vertx = Vertx.vertx();
        commands = Redis.createClient(vertx, REDIS);
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    private static void publish(String channel, String message) throws Exception {
        commands.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
    }

    /** Publishes until the message arrives (a SUBSCRIBE takes effect a moment after the call). */
    private static String deliveredAfterPublishing(BlockingQueue<String> received, String channel, String message)
            throws Exception {
        for (int i = 0; i < 50; i++) {
            publish(channel, message);
            String got = received.poll(100, TimeUnit.MILLISECONDS);
            if (got != null) {
                received.clear();
                return got;
            }
        }
        return null;
    }

    @Test
    void channelsComeAndGoAndSurviveALostConnection() throws Exception {
        RedisChannels channels = new RedisChannels(vertx, REDIS, "commons-test");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        String a = "test:a:" + UUID.randomUUID();
        String b = "test:b:" + UUID.randomUUID();
        String c = "test:c:" + UUID.randomUUID();
        channels.subscribe(a, (channel, message) -> received.add(channel + "=" + message));
        assertEquals(a + "=1", deliveredAfterPublishing(received, a, "1"));
        channels.subscribe(b, (channel, message) -> received.add(channel + "=" + message));
        assertEquals(b + "=2", deliveredAfterPublishing(received, b, "2"));

        // every channel gone, then a new one: the connection has left subscribe mode and must come back to it
        channels.unsubscribe(a);
        channels.unsubscribe(b);
        channels.subscribe(c, (channel, message) -> received.add(channel + "=" + message));
        assertEquals(c + "=3", deliveredAfterPublishing(received, c, "3"));
        // one connection, commands in order: c delivers, so the unsubscribes before it took effect
        publish(a, "not any more");
        publish(b, "not any more");
        assertNull(received.poll(300, TimeUnit.MILLISECONDS));
        channels.subscribe(a, (channel, message) -> received.add(channel + "=" + message));
        assertEquals(a + "=4", deliveredAfterPublishing(received, a, "4"));

        // the pub/sub connection is killed: told of the reset, and subscribed to both again
        BlockingQueue<Boolean> resets = new LinkedBlockingQueue<>();
        BlockingQueue<Boolean> resubscribed = new LinkedBlockingQueue<>();
        channels.onReset(() -> resets.add(true));
        channels.onResubscribed(() -> resubscribed.add(true));
        assertEquals(1, io.talkline.commons.testing.OwnPubSub.kill("commons-test"), "this test's one connection is killed");
        assertEquals(true, resets.poll(10, TimeUnit.SECONDS));
        // once told, a message published at once arrives: the subscriptions are in place
        assertEquals(true, resubscribed.poll(10, TimeUnit.SECONDS));
        publish(c, "5");
        assertEquals(c + "=5", received.poll(5, TimeUnit.SECONDS));
        assertEquals(a + "=6", deliveredAfterPublishing(received, a, "6"));
        channels.close();
    }

    @Test
    void aConnectionCutByAResetIsSubscribedAgain() throws Exception {
        // a reset (RST), not an orderly close: Redis closing a socket with a command still unread
        // does this, and the client then reports an error rather than the end of the connection
        try (CuttingProxy proxy = new CuttingProxy(Infra.REDIS_PORT)) {
            RedisChannels channels = new RedisChannels(vertx, "redis://127.0.0.1:" + proxy.port(), "commons-test");
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            BlockingQueue<Boolean> resubscribed = new LinkedBlockingQueue<>();
            channels.onResubscribed(() -> resubscribed.add(true));
            String channel = "test:reset:" + UUID.randomUUID();
            channels.subscribe(channel, (ch, message) -> received.add(message)).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            publish(channel, "before");
            assertEquals("before", received.poll(5, TimeUnit.SECONDS));

            proxy.reset();
            assertEquals(true, resubscribed.poll(10, TimeUnit.SECONDS), "not subscribed again after the reset");
            publish(channel, "after");
            assertEquals("after", received.poll(5, TimeUnit.SECONDS));
            channels.close();
        }
    }

    /** Forwards connections to Redis; {@link #reset} cuts the open ones with a TCP reset. */
    private static final class CuttingProxy implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> clients = new CopyOnWriteArrayList<>();

        CuttingProxy(int redisPort) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        Socket redis = new Socket(InetAddress.getLoopbackAddress(), redisPort);
                        clients.add(client);
                        pipe(client, redis);
                        pipe(redis, client);
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void reset() throws IOException {
            for (Socket client : clients) {
                client.setSoLinger(true, 0); // close() now sends RST
                client.close();
            }
            clients.clear();
        }

        private static void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (from; to) {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException e) {
                    // one side is gone: both are closed
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            reset();
        }
    }

    @Test
    void aSubscriptionIsConfirmedOnceWhatIsPublishedArrives() throws Exception {
        RedisChannels channels = new RedisChannels(vertx, REDIS, "commons-test");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        for (int i = 0; i < 20; i++) {
            String channel = "test:confirmed:" + UUID.randomUUID();
            channels.subscribe(channel, (ch, message) -> received.add(message)).toCompletionStage().toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            // no retries: published right after the confirmation, it must arrive
            publish(channel, "m" + i);
            assertEquals("m" + i, received.poll(5, TimeUnit.SECONDS));
            // subscribing again to a confirmed channel is confirmed at once
            channels.subscribe(channel, (ch, message) -> received.add(message)).toCompletionStage().toCompletableFuture()
                    .get(1, TimeUnit.SECONDS);
            channels.unsubscribe(channel);
        }
        channels.close();
    }
}
